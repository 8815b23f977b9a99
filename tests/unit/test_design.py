"""The designer's rules, without the app: the form's names, the edits, what the day allows, and
every template written back as a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from workshop.config import PROJECT_ROOT
from workshop.domain import design
from workshop.domain.agenda import list_templates, load_template, read_data, read_text, template_data, template_toml
from workshop.domain.design import Defaults, Facts, FormError

DEFAULTS = Defaults(
    block_title="Nouveau bloc",
    question="Écrivez la question ici",
    round_title="Ronde %(number)s",
    sector="Secteur %(number)s",
    theme="Thème %(number)s",
    slot="Plage %(number)s",
    space="Salle %(number)s",
    today=dt.date(2026, 12, 8),
)
TEMPLATES = list_templates(PROJECT_ROOT / "sessions")


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.stem)
def test_every_shipped_template_is_written_back_as_the_same_template(path: Path):
    template = load_template(path)
    again, problems = read_text(template_toml(template), template.name, "agenda.toml")
    assert problems == []
    assert again == template


def test_the_gallery_holds_the_four_templates_the_issue_names_each_with_its_sentence():
    templates = {load_template(p).title: load_template(p) for p in TEMPLATES}
    for title in (
        "World Café, 3 rondes, récolte",
        "Forum ouvert, une journée",
        "Enquête appréciative : Découvrir, Rêver, Concevoir, Réaliser",
        "Demi-journée : World Café, puis Forum ouvert",
    ):
        assert title in templates
        assert templates[title].summary and len(templates[title].summary) > 40
    phases = [b.phase for b in templates["Enquête appréciative : Découvrir, Rêver, Concevoir, Réaliser"].blocks]
    assert phases == ["discover", "dream", "design", "deliver"]


def test_field_names_read_back_into_the_nested_data_in_index_order():
    data = design.unflatten(
        {
            "workshop.title": "Bibliothèque",
            "blocks[1].title": "Forum",
            "blocks[0].title": "Café",
            "blocks[0].rounds[10].minutes": "30",
            "blocks[0].rounds[2].minutes": "20",
            "workshop.dates[0]": "2026-12-08",
        }
    )
    assert data["workshop"] == {"title": "Bibliothèque", "dates": ["2026-12-08"]}
    assert [b["title"] for b in data["blocks"]] == ["Café", "Forum"]
    assert [r["minutes"] for r in data["blocks"][0]["rounds"]] == ["20", "30"]


@pytest.mark.parametrize(
    "fields",
    [
        {"a..b": "x"},
        {"[0]": "x"},
        {"blocks[0]x": "x"},
        {"blocks[99999].title": "x"},
        {"x" * 200: "x"},
        {"blocks[0]": "x", "blocks[0].title": "y"},  # a value and a table at one place
        {"blocks[0].title": "x", "blocks.title": "y"},  # a list and a table at one place
    ],
)
def test_a_forged_field_name_is_refused_whole(fields):
    with pytest.raises(FormError):
        design.unflatten(fields)


def test_form_text_becomes_numbers_and_dates_and_empty_optional_fields_go():
    data = design.coerce(
        {
            "workshop": {"dates": ["2026-12-08"], "place": "  "},
            "blocks": [
                {
                    "day": "2026-12-08",
                    "rounds": [{"minutes": "20", "title": "", "question": ""}],
                    "tables": [{"number": "3", "capacity": ""}],
                }
            ],
        }
    )
    assert data["workshop"] == {"dates": [dt.date(2026, 12, 8)]}
    block = data["blocks"][0]
    assert block["day"] == dt.date(2026, 12, 8)
    assert block["rounds"] == [{"minutes": 20, "question": ""}]  # a round's question stays, to be reported empty
    assert block["tables"] == [{"number": 3}]


def test_new_items_get_ids_from_their_titles_unique_in_their_list():
    data = {"themes": [{"id": "bibliotheque", "title": "x"}, {"title": "Bibliothèque"}, {"title": "!!!"}], "blocks": []}
    design.fill_ids(data)
    assert [t["id"] for t in data["themes"]] == ["bibliotheque", "bibliotheque-2", "theme-3"]


def small_agenda() -> dict:
    return template_data(load_template(PROJECT_ROOT / "sessions" / "cafe-3-rondes-recolte.toml"))


def test_adding_a_round_gives_it_the_next_number_and_a_question_to_edit():
    data, problem = design.apply_action(small_agenda(), "add:blocks[0].rounds", Facts(), DEFAULTS)
    assert problem is None
    assert data["blocks"][0]["rounds"][-1] == {"title": "Ronde 4", "question": "Écrivez la question ici", "minutes": 20}
    _template, problems = read_data(design.without_ids(data), "t", "designer")
    assert problems == []


def test_an_open_space_block_comes_with_slots_and_spaces_and_passes_the_validator():
    data, problem = design.apply_action(small_agenda(), "add:blocks:open-space", Facts(), DEFAULTS)
    assert problem is None
    design.fill_ids(data)
    template, problems = read_data(design.without_ids(data), "t", "designer")
    assert problems == []
    block = template.blocks[-1]
    assert block.method == "open-space" and len(block.slots) == 2 and len(block.spaces) == 3


def test_moving_and_removing_rounds():
    data, _ = design.apply_action(small_agenda(), "up:blocks[0].rounds[2]", Facts(), DEFAULTS)
    assert [r["title"] for r in data["blocks"][0]["rounds"]] == ["Ronde 1", "Ronde 3", "Ronde 2"]
    data, _ = design.apply_action(data, "remove:blocks[0].rounds[0]", Facts(), DEFAULTS)
    assert [r["title"] for r in data["blocks"][0]["rounds"]] == ["Ronde 3", "Ronde 2"]


@pytest.mark.parametrize(
    "action", ["add:blocks[0].notes", "remove:blocks[0].rounds[9]", "explode:blocks", "up:workshop.title"]
)
def test_an_unknown_action_is_a_form_error(action):
    with pytest.raises(FormError):
        design.apply_action(small_agenda(), action, Facts(), DEFAULTS)


def with_ids(data: dict) -> dict:
    data["blocks"][0]["_id"] = 1
    for number, round_ in enumerate(data["blocks"][0]["rounds"], start=10):
        round_["_id"] = number
    for number, table in enumerate(data["blocks"][0]["tables"], start=20):
        table["_id"] = number
    return data


def held_facts() -> Facts:
    """Round 10 closed with notes, round 11 running, round 12 not started; table 20 has notes."""
    return Facts(
        round_status={10: "closed", 11: "running", 12: "pending"},
        round_minutes={10: 20, 11: 20, 12: 20},
        round_block={10: 1, 11: 1, 12: 1},
        round_order={1: [10, 11, 12]},
        round_notes={10: 7},
        block_method={1: "world-cafe"},
        block_notes={1: 7},
        table_block={20: 1, 21: 1, 22: 1, 23: 1},
        table_number={20: 1, 21: 2, 22: 3, 23: 4},
        table_notes={20: 7},
    )


def test_a_round_holding_notes_can_be_renamed_but_not_removed():
    data = with_ids(small_agenda())
    same, problem = design.apply_action(data, "remove:blocks[0].rounds[0]", held_facts(), DEFAULTS)
    assert problem is not None and problem.place == "blocks[0].rounds[0]"
    assert "7 notes" in problem.wording.render()
    assert len(same["blocks"][0]["rounds"]) == 3
    data["blocks"][0]["rounds"][0]["question"] = "Une question corrigée?"
    assert design.change_problems(data, held_facts()) == []


def test_the_running_round_cannot_be_removed_but_one_not_started_can():
    data = with_ids(small_agenda())
    _same, problem = design.apply_action(data, "remove:blocks[0].rounds[1]", held_facts(), DEFAULTS)
    assert problem is not None and "running" in problem.wording.render()
    after, problem = design.apply_action(data, "remove:blocks[0].rounds[2]", held_facts(), DEFAULTS)
    assert problem is None and len(after["blocks"][0]["rounds"]) == 2
    assert design.change_problems(after, held_facts()) == []


def test_a_forged_form_that_drops_a_round_with_notes_is_refused_at_save():
    data = with_ids(small_agenda())
    del data["blocks"][0]["rounds"][0]
    problems = design.change_problems(data, held_facts())
    assert [p.place for p in problems] == ["blocks[0].rounds"]


def test_a_closed_round_keeps_its_length_and_started_rounds_keep_their_place():
    data = with_ids(small_agenda())
    data["blocks"][0]["rounds"][0]["minutes"] = 45
    data["blocks"][0]["rounds"][1]["minutes"] = 35  # the running one: allowed
    assert [p.place for p in design.change_problems(data, held_facts())] == ["blocks[0].rounds[0].minutes"]
    moved, _ = design.apply_action(with_ids(small_agenda()), "up:blocks[0].rounds[2]", held_facts(), DEFAULTS)
    assert "blocks[0].rounds[2]" in [p.place for p in design.change_problems(moved, held_facts())]


def test_a_table_with_notes_keeps_its_number_and_cannot_be_removed():
    data = with_ids(small_agenda())
    data["blocks"][0]["tables"][0]["number"] = 9
    assert [p.place for p in design.change_problems(data, held_facts())] == ["blocks[0].tables[0].number"]
    fewer, problem = design.set_table_count(with_ids(small_agenda()), 0, "3", held_facts())
    assert problem is None and [t["number"] for t in fewer["blocks"][0]["tables"]] == [1, 2, 3]
    _same, problem = design.set_table_count(with_ids(small_agenda()), 0, "0", held_facts())
    assert problem is not None and problem.place == "blocks[0]._count"
    more, problem = design.set_table_count(with_ids(small_agenda()), 0, "6", held_facts())
    assert problem is None and [t["number"] for t in more["blocks"][0]["tables"]] == [1, 2, 3, 4, 5, 6]
    assert more["blocks"][0]["tables"][-1] == {"number": 6, "capacity": 5}


def test_a_started_block_keeps_its_method():
    data = with_ids(small_agenda())
    data["blocks"][0]["method"] = "open-space"
    assert [p.place for p in design.change_problems(data, held_facts())] == ["blocks[0].method"]


def test_switching_a_fresh_block_to_open_space_swaps_tables_for_slots_and_spaces():
    data = small_agenda()
    data["blocks"][0]["method"] = "open-space"
    design.fit_methods(data, DEFAULTS)
    design.fill_ids(data)
    template, problems = read_data(design.without_ids(data), "t", "designer")
    assert problems == [] and template.blocks[0].tables == () and len(template.blocks[0].spaces) == 3


def test_messages_render_in_a_page_language():
    (problem,) = read_text('[workshop]\ntitle = ""\n', "t", "f")[1][:1]
    french = {"must not be empty": "ne doit pas être vide"}
    assert problem.wording.render(lambda text: french.get(text, text)) == "ne doit pas être vide"
    assert problem.message == "must not be empty"
