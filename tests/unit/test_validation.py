import pytest

from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH, note_color, note_text
from workshop.domain.text import clean_text
from workshop.validation import Field, validate

SCHEMA = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=500),
    Field("table", kind="int", max_value=999),
    Field("name", max_length=10),
    Field("role", kind="choice", choices=("board", "participant")),
)
UUID = "0b7e9f4e-7d55-4c6a-9f3e-2f1a3b4c5d6e"


def refusal(payload, schema=SCHEMA):
    with pytest.raises(WorkshopError) as error:
        validate(payload, schema)
    return error.value


def test_a_good_payload_comes_back_clean_with_every_field():
    data = validate({"id": UUID.upper(), "text": "Bonjour", "table": "3", "extra": [1, 2]}, SCHEMA)
    assert data == {"id": UUID, "text": "Bonjour", "table": 3, "name": None, "role": None}


@pytest.mark.parametrize("payload", [None, {}, {"text": "x"}])
def test_missing_required_field(payload):
    assert refusal(payload).code == "missing_field"


@pytest.mark.parametrize("payload", ["text", 42, [1, 2], True])
def test_a_payload_that_is_not_an_object(payload):
    assert refusal(payload).code == "bad_payload"


def test_too_many_fields_is_refused():
    assert refusal({f"f{i}": i for i in range(100)}).code == "bad_payload"


@pytest.mark.parametrize(
    "field, value, code",
    [
        ("table", True, "wrong_type"),
        ("table", 1.5, "wrong_type"),
        ("table", {"a": 1}, "wrong_type"),
        ("table", 0, "out_of_range"),
        ("table", 1000, "out_of_range"),
        ("table", "99999999999999", "wrong_type"),
        ("name", 12, "wrong_type"),
        ("name", "x" * 11, "too_long"),
        ("role", "admin", "bad_choice"),
        ("text", ["a"], "wrong_type"),
        ("text", "x" * 5000, "too_long"),
    ],
)
def test_wrong_values_name_the_field(field, value, code):
    error = refusal({"id": UUID, "text": "ok", field: value})
    assert error.code == code
    assert error.params["field"] == field


@pytest.mark.parametrize("value", ["not-a-uuid", 12, "", "../../etc/passwd", "x" * 100])
def test_ids_must_be_uuids(value):
    assert refusal({"id": value, "text": "ok"}).code in ("bad_uuid", "missing_field")


def test_clean_text_normalises_and_strips_controls():
    assert clean_text("Cafe\u0301 \x00\x07ok\u202e ") == "Café ok"
    assert clean_text("a\nb") == "a b"
    assert clean_text("a\r\n\n\n\n\nb", multiline=True) == "a\n\nb"


def test_note_text_limits():
    assert note_text("  idée  ") == "idée"
    assert len(note_text("é" * NOTE_MAX_LENGTH)) == NOTE_MAX_LENGTH
    for empty in ("", "   ", "\n\t\n", "\x00\x01"):
        with pytest.raises(WorkshopError) as error:
            note_text(empty)
        assert error.value.code == "empty_note"
    with pytest.raises(WorkshopError) as error:
        note_text("x" * (NOTE_MAX_LENGTH + 1))
    assert error.value.code == "note_too_long"
    assert error.value.params == {"max": 500, "length": 501}


def test_note_colours():
    assert note_color(None) is None
    assert note_color("pink") == "pink"
    with pytest.raises(WorkshopError):
        note_color("#ff0000")
