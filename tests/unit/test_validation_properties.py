"""Properties of the one validator, over generated input (Hypothesis)."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from workshop.domain.errors import WorkshopError
from workshop.domain.notes import NOTE_MAX_LENGTH, note_text
from workshop.domain.text import clean_text
from workshop.validation import Field, validate

SCHEMA = (
    Field("id", kind="uuid", required=True),
    Field("text", kind="text", required=True, max_length=NOTE_MAX_LENGTH),
    Field("table", kind="int", max_value=999),
    Field("name", max_length=60),
    Field("role", kind="choice", choices=("board", "participant")),
    Field("notes", kind="uuid_list", max_items=5),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
CODES = {
    "bad_payload",
    "missing_field",
    "wrong_type",
    "too_long",
    "out_of_range",
    "bad_choice",
    "bad_uuid",
    "too_many_items",
}


@settings(max_examples=400, deadline=None)
@given(json_values)
def test_any_payload_is_either_clean_or_refused_with_a_known_code(payload):
    try:
        data = validate(payload, SCHEMA)
    except WorkshopError as error:
        assert error.code in CODES
        return
    assert set(data) == {f.name for f in SCHEMA}
    assert isinstance(data["id"], str) and isinstance(data["text"], str)
    assert data["table"] is None or (type(data["table"]) is int and 1 <= data["table"] <= 999)
    assert data["role"] in (None, "board", "participant")
    assert data["name"] is None or len(data["name"]) <= 60


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([f.name for f in SCHEMA] + ["extra", "__proto__"]), json_values, max_size=8))
def test_payloads_shaped_like_ours_never_raise_anything_else(payload):
    try:
        validate(payload, SCHEMA)
    except WorkshopError as error:
        assert error.code in CODES


@settings(max_examples=400, deadline=None)
@given(st.text())
@example("e\x00\u0301")  # a control between a letter and its accent
@example("a\u202e\u0301b\r\n")
def test_clean_text_is_normalised_without_controls_and_idempotent(raw):
    text = clean_text(raw)
    assert unicodedata.is_normalized("NFC", text)
    assert not any(unicodedata.category(c) == "Cc" for c in text)
    assert "\u202e" not in text and "\ufeff" not in text
    assert text == text.strip()
    assert clean_text(text) == text


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=700))
def test_a_note_is_either_refused_or_between_1_and_500_characters(raw):
    try:
        text = note_text(raw)
    except WorkshopError as error:
        assert error.code in ("empty_note", "note_too_long")
        return
    assert 1 <= len(text) <= NOTE_MAX_LENGTH
    assert text.strip() == text
