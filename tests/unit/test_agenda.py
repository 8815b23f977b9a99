"""Workshop templates (workshop/domain/agenda.py): the shipped seeds and the checker."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from workshop.domain.agenda import (
    BlockSpec,
    TableSpec,
    Template,
    TemplateError,
    TemplateProblem,
    check_template,
    find_template,
    list_templates,
    load_template,
)

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
FORUM = SESSIONS / "forum-ouvert-2009.toml"
CAFE = SESSIONS / "cafe-conversation-2010.toml"

OBJECTIVES = [
    "Mobiliser les acteurs concernés par l’immigration, notamment les jeunes et leur famille.",
    "Favoriser l’insertion en emploi des personnes immigrantes notamment par la création de leur "
    "entreprise comme moyen d’intégration économique.",
    "Soutenir les organisations dans le développement d’activités de préparation, d’intégration "
    "et de maintien en emploi.",
    "Sensibiliser la population à l'apport de l’immigration notamment au moyen d’une vaste "
    "campagne régionale ciblée selon les clientèles.",
    "Valoriser la participation citoyenne comme moyen d’intégration des personnes immigrantes à la société d’accueil.",
]


# --------------------------------------------------------------------------- shipped templates


def test_both_seed_templates_are_shipped_and_valid():
    names = [p.name for p in list_templates(SESSIONS)]
    assert "forum-ouvert-2009.toml" in names
    assert "cafe-conversation-2010.toml" in names
    assert check_template(FORUM) == []
    assert check_template(CAFE) == []


def test_every_shipped_template_checks_clean():
    for path in list_templates(SESSIONS):
        assert check_template(path) == [], path


def test_forum_ouvert_2009():
    t = load_template(FORUM)
    assert isinstance(t, Template)
    assert t.name == "forum-ouvert-2009"
    assert t.title == "Journées de réflexion sur la prochaine entente spécifique en immigration"
    assert "Table régionale de concertation en immigration de la Capitale-Nationale" in t.organiser
    assert "Conférence régionale des élus (CRÉ) de la Capitale-Nationale" in t.organiser
    assert t.language == "fr"
    assert t.dates == (dt.date(2009, 6, 15), dt.date(2009, 6, 16))
    assert t.question == (
        "Qu’est-ce qui doit exister pour que la région de la Capitale-Nationale développe son "
        "plein potentiel en matière d’immigration?"
    )
    assert t.dots_per_participant == 5
    assert [(b.title, b.day, b.part, b.method) for b in t.blocks] == [
        ("RÊVER", dt.date(2009, 6, 15), "am", "open-space"),
        ("CONCEVOIR", dt.date(2009, 6, 15), "pm", "open-space"),
        ("LIVRER", dt.date(2009, 6, 16), "am", "open-space"),
    ]
    questions = [[r.question for r in b.rounds] for b in t.blocks]
    assert questions == [
        [
            "Nous sommes en 2013, faisons le bilan des succès exceptionnels de la région en "
            "matière d’immigration. Qu’a-t-on accompli?"
        ],
        ["Qu’est-ce que l’on doit faire pour que la vision que nous avons évoquée se concrétise?"],
        ["Qu’est-ce qu’il manque pour s’engager dans la réalisation de notre vision?"],
    ]
    for block in t.blocks:
        assert block.slots and block.spaces
        assert block.tables == ()
        assert len({s.id for s in block.slots}) == len(block.slots)
        assert all(1 <= r.minutes <= 240 for r in block.rounds)


def test_sectors_of_the_round_table():
    for path in (FORUM, CAFE):
        t = load_template(path)
        counts = {s.name: s.count for s in t.sectors}
        assert counts == {
            "Signataires de l’entente": 7,
            "Organismes œuvrant en employabilité": 7,
            "Organismes œuvrant en accueil et intégration": 3,
            "Représentants éducation (CS, cégeps, université)": 3,
            "Représentants territoriaux": 4,
            "Représentants des employeurs et entrepreneurs": 4,
            "Représentant de la santé et des services sociaux": 1,
        }
        assert sum(counts.values()) == 29


def test_cafe_conversation_2010():
    t = load_template(CAFE)
    assert t.name == "cafe-conversation-2010"
    assert t.title == "Journées de réflexion sur la mise en œuvre de l’entente"
    assert t.dates == (dt.date(2010, 5, 4), dt.date(2010, 5, 5))
    assert [th.title for th in t.themes] == OBJECTIVES
    assert t.theme("objectif-4").title == OBJECTIVES[3]
    assert t.theme("nope") is None

    blocks = {b.id: b for b in t.blocks}
    assert [(b.id, b.title, b.day, b.part, b.method) for b in t.blocks] == [
        ("4-mai-am", "COMPRENDRE ET CRÉER DES LIENS", dt.date(2010, 5, 4), "am", "world-cafe"),
        ("4-mai-pm", "IMAGINER LE FUTUR", dt.date(2010, 5, 4), "pm", "world-cafe"),
        ("5-mai-am", "AGIR ET PERFORMER ENSEMBLE", dt.date(2010, 5, 5), "am", "world-cafe"),
        ("5-mai-pm", "CRISTALLISER LA VISION", dt.date(2010, 5, 5), "pm", "open-space"),
    ]
    assert [(r.title, r.question) for r in blocks["4-mai-am"].rounds] == [
        ("Ronde 1", "Quels sont les principaux défis en lien avec cet objectif?"),
        ("Ronde 2", "Qu'est-ce qui vous stimule dans cet objectif?"),
        ("Ronde 3", "Si notre succès était assuré, qu'aurions-nous l'audace de faire?"),
    ]
    pm = blocks["4-mai-pm"]
    assert [r.title for r in pm.rounds] == ["Ronde 1", "Ronde 2", "Ronde 3", "Ronde 4"]
    assert pm.description == ("Quatre rondes pour bâtir des projets en lien avec chacun des cinq objectifs")
    assert [(r.title, r.question) for r in blocks["5-mai-am"].rounds] == [
        ("Ronde 1", "Qu'est-ce qu'on aime et que l'on doit continuer à faire?"),
        ("Ronde 2", "Qu'est-ce que nous ne pouvons désormais plus faire de la même façon?"),
        ("Ronde 3", "Nous sommes audacieux et créatifs. Quelle table allons-nous créer ensemble?"),
    ]
    last = blocks["5-mai-pm"]
    assert last.method == "open-space"
    assert last.description == "en Forum ouvert"
    assert [r.question for r in last.rounds] == ["De quoi devons-nous absolument parler avant de nous quitter?"]
    assert last.slots and len(last.spaces) == 5
    assert last.tables == ()

    # the five tables, one per objective, are the workshop's and every World Café block's
    expected = tuple(TableSpec(n, f"objectif-{n}", 8) for n in range(1, 6))
    for block in t.blocks:
        if block.method == "world-cafe":
            assert block.tables == expected
            assert all(20 <= r.minutes <= 30 for r in block.rounds)


def test_templates_are_frozen_values():
    t = load_template(CAFE)
    with pytest.raises(AttributeError):
        t.title = "x"  # type: ignore[misc]
    assert isinstance(t.blocks, tuple) and isinstance(t.blocks[0], BlockSpec)
    assert load_template(CAFE) == t


# --------------------------------------------------------------------------- broken templates

VALID = """\
[workshop]
title = "Atelier"
organiser = "Quelqu’un"
language = "fr"
dates = [2010-05-04, 2010-05-05]

[[themes]]
id = "t1"
title = "Thème 1"

[[tables]]
number = 1
theme = "t1"
capacity = 8

[[tables]]
number = 2

[[blocks]]
id = "cafe"
title = "Café"
day = 2010-05-04
part = "am"
method = "world-cafe"

  [[blocks.rounds]]
  title = "Ronde 1"
  question = "Pourquoi?"
  minutes = 25

[[blocks]]
id = "forum"
title = "Forum"
day = 2010-05-05
part = "pm"
method = "open-space"

  [[blocks.rounds]]
  question = "De quoi parler?"
  minutes = 90

  [[blocks.slots]]
  id = "s1"
  label = "13 h 30 – 14 h 15"

  [[blocks.spaces]]
  id = "salle-a"
  name = "Salle A"
"""


def write(tmp_path: Path, text: str, name: str = "t.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def places(problems: list[TemplateProblem]) -> list[str]:
    return [p.place for p in problems]


def only_problem(tmp_path: Path, text: str) -> TemplateProblem:
    problems = check_template(write(tmp_path, text))
    assert len(problems) == 1, problems
    return problems[0]


def test_the_valid_fixture_is_valid(tmp_path):
    path = write(tmp_path, VALID, "mini.toml")
    assert check_template(path) == []
    t = load_template(path)
    assert t.name == "mini"
    assert t.blocks[0].tables == (TableSpec(1, "t1", 8), TableSpec(2, None, None))
    assert t.blocks[1].tables == ()
    assert t.blocks[1].slots[0].label == "13 h 30 – 14 h 15"
    assert t.place is None and t.question is None and t.dots_per_participant is None


def test_syntax_error_gives_line_and_column(tmp_path):
    text = VALID.replace('title = "Café"', 'title = "Café')
    problem = only_problem(tmp_path, text)
    line = text.splitlines().index('title = "Café') + 1
    assert problem.place.startswith(f"line {line}, column ")
    assert "TOML syntax error" in problem.message


def test_duplicate_key_is_a_syntax_error(tmp_path):
    problem = only_problem(tmp_path, VALID.replace('language = "fr"', 'language = "fr"\nlanguage = "en"'))
    assert problem.place.startswith("line 5, column")


def test_bad_utf8_gives_a_place(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(VALID.replace("Atelier", "Café atelier").encode("latin-1", errors="replace"))
    problems = check_template(path)
    assert places(problems) == ["line 2, column 13"]
    assert "UTF-8" in problems[0].message


def test_missing_and_unreadable_files_are_problems(tmp_path):
    missing = tmp_path / "nope.toml"
    (problem,) = check_template(missing)
    assert problem.file == str(missing) and problem.place == "file"
    (problem,) = check_template(tmp_path)
    assert problem.place == "file"
    with pytest.raises(TemplateError) as caught:
        load_template(missing)
    assert [str(p) for p in caught.value.problems] == [f"{missing}: file: no such file"]


def test_problem_file_is_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, VALID.replace('language = "fr"\n', ""))
    (problem,) = check_template("t.toml")  # type: ignore[arg-type]
    assert problem.file == "t.toml"
    assert str(problem) == "t.toml: workshop.language: required key is missing"


@pytest.mark.parametrize(
    ("old", "new", "place", "words"),
    [
        ('title = "Atelier"\n', "", "workshop.title", "missing"),
        ('organiser = "Quelqu’un"\n', "", "workshop.organiser", "missing"),
        ("dates = [2010-05-04, 2010-05-05]", "dates = []", "workshop.dates", "at least one"),
        (
            "dates = [2010-05-04, 2010-05-05]",
            'dates = ["2010-05-04", 2010-05-05]',
            "workshop.dates[0]",
            "without quotes",
        ),
        ("dates = [2010-05-04, 2010-05-05]", "dates = 2010-05-04", "workshop.dates", "array"),
        (
            "dates = [2010-05-04, 2010-05-05]",
            "dates = [2010-05-05, 2010-05-04, 2010-05-04T09:00:00]",
            "workshop.dates[2]",
            "date-time",
        ),
        ('language = "fr"', 'language = "de"', "workshop.language", '"fr", "en"'),
        ('language = "fr"', 'language = "fr"\nlangage = "fr"', "workshop.langage", "did you mean 'language'"),
        ('title = "Atelier"', "title = 12", "workshop.title", "expected a string, got an integer"),
        ('title = "Atelier"', 'title = "   "', "workshop.title", "empty"),
        ('title = "Atelier"', 'title = "Ate\\nlier"', "workshop.title", "one line"),
        ('title = "Atelier"', 'title = "Ate\\u0000lier"', "workshop.title", "control character"),
        ('title = "Atelier"', f'title = "{"x" * 201}"', "workshop.title", "limit is 200"),
        ('title = "Atelier"', 'title = "Atelier"\nquestion = "' + "q" * 501 + '"', "workshop.question", "limit is 500"),
        (
            'title = "Atelier"',
            'title = "Atelier"\ndots_per_participant = 0',
            "workshop.dots_per_participant",
            "between 1 and 50",
        ),
        (
            'title = "Atelier"',
            'title = "Atelier"\ndots_per_participant = true',
            "workshop.dots_per_participant",
            "boolean",
        ),
        ('title = "Café"', f'title = "{"é" * 201}"', "blocks[0].title", "201 characters"),
        ('method = "world-cafe"', 'method = "world cafe"', "blocks[0].method", "not one of"),
        ('method = "world-cafe"', "method = 1", "blocks[0].method", "expected a string"),
        ('part = "am"', 'part = "morning"', "blocks[0].part", '"am", "pm", "day", "evening"'),
        ('id = "cafe"', 'id = "Café AM"', "blocks[0].id", "not a valid id"),
        ('id = "cafe"', 'id = "forum"', "blocks[1].id", 'duplicate block id "forum"'),
        ("day = 2010-05-04", "day = 2010-05-06", "blocks[0].day", "not one of workshop.dates"),
        ("day = 2010-05-04", 'day = "2010-05-04"', "blocks[0].day", "without quotes"),
        ("minutes = 25", "minutes = 0", "blocks[0].rounds[0].minutes", "between 1 and 240"),
        ("minutes = 25", "minutes = 1000", "blocks[0].rounds[0].minutes", "got 1000"),
        ("minutes = 25", 'minutes = "25"', "blocks[0].rounds[0].minutes", "write 25 without quotes"),
        ("minutes = 25", "minutes = 25.5", "blocks[0].rounds[0].minutes", "a float"),
        ('question = "Pourquoi?"', 'question = ["Pourquoi?"]', "blocks[0].rounds[0].question", "got an array"),
        ('question = "Pourquoi?"', f'question = "{"q" * 501}"', "blocks[0].rounds[0].question", "limit is 500"),
        ('question = "Pourquoi?"\n', "", "blocks[0].rounds[0].question", "missing"),
        (
            '  question = "Pourquoi?"',
            '  qestion = "Pourquoi?"\n  question = "Pourquoi?"',
            "blocks[0].rounds[0].qestion",
            "unknown key 'qestion'",
        ),
        ('theme = "t1"', 'theme = "t9"', "tables[0].theme", 'theme "t9" is not declared'),
        ("number = 2", "number = 1", "tables[1].number", "already numbered"),
        ("number = 2", "number = -2", "tables[1].number", "between 1 and 999"),
        ("capacity = 8", "capacity = 0", "tables[0].capacity", "between 1 and 50"),
        ('label = "13 h 30 – 14 h 15"', 'label = ""', "blocks[1].slots[0].label", "empty"),
        ('name = "Salle A"', "name = 3", "blocks[1].spaces[0].name", "expected a string"),
        ("[workshop]", 'colour = "red"\n[workshop]', "colour", "unknown key 'colour'"),
    ],
)
def test_each_broken_template_names_the_place(tmp_path, old, new, place, words):
    assert old in VALID
    problems = check_template(write(tmp_path, VALID.replace(old, new, 1)))
    assert problems, "expected a problem"
    matching = [p for p in problems if p.place == place]
    assert matching, problems
    assert any(words in p.message for p in matching), matching
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "t.toml")
    assert caught.value.problems == problems
    assert place in str(caught.value)


def test_missing_workshop_and_blocks(tmp_path):
    problems = check_template(write(tmp_path, 'title = "x"\n'))
    assert set(places(problems)) == {"title", "workshop", "blocks"}


def test_workshop_must_be_a_table(tmp_path):
    text = VALID.replace("[workshop]", "[[workshop]]")
    problem = only_problem(tmp_path, text)
    assert problem.place == "workshop"
    assert "expected a table" in problem.message and "array of tables" in problem.message


def test_blocks_must_be_an_array_of_tables(tmp_path):
    text = VALID.split("[[blocks]]")[0] + '[blocks]\nid = "x"\n'
    problem = only_problem(tmp_path, text)
    assert problem.place == "blocks"
    assert "array of tables" in problem.message


def test_block_table_theme_must_be_declared(tmp_path):
    text = VALID.replace(
        "  [[blocks.rounds]]\n  title",
        '  [[blocks.tables]]\n  number = 4\n  theme = "absent"\n\n  [[blocks.rounds]]\n  title',
        1,
    )
    problem = only_problem(tmp_path, text)
    assert problem.place == "blocks[0].tables[0].theme"
    assert '"t1"' in problem.message  # says which themes exist


def test_block_tables_override_the_workshop_tables(tmp_path):
    text = VALID.replace(
        "  [[blocks.rounds]]\n  title",
        "  [[blocks.tables]]\n  number = 7\n\n  [[blocks.rounds]]\n  title",
        1,
    )
    t = load_template(write(tmp_path, text))
    assert t.blocks[0].tables == (TableSpec(7),)


def test_world_cafe_block_without_any_table(tmp_path):
    text = VALID.split("[[tables]]")[0] + "[[blocks]]" + VALID.split("[[blocks]]", 1)[1]
    problem = only_problem(tmp_path, text)
    assert problem.place == "blocks[0].tables"
    assert "at least one table" in problem.message


def test_world_cafe_block_with_empty_tables(tmp_path):
    text = VALID.replace('method = "world-cafe"', 'method = "world-cafe"\ntables = []')
    problem = only_problem(tmp_path, text)
    assert problem.place == "blocks[0].tables"


def test_open_space_block_needs_slots_and_spaces(tmp_path):
    text = VALID.split("  [[blocks.slots]]")[0]
    problems = check_template(write(tmp_path, text))
    assert places(problems) == ["blocks[1].slots", "blocks[1].spaces"]
    assert "at least one slot" in problems[0].message


def test_methods_do_not_mix(tmp_path):
    text = VALID.replace(
        "  minutes = 90\n",
        "  minutes = 90\n\n  [[blocks.tables]]\n  number = 1\n",
    )
    text = text.replace('method = "world-cafe"', 'method = "world-cafe"\nslots = [{id = "s", label = "x"}]')
    problems = check_template(write(tmp_path, text))
    assert {(p.place, p.message) for p in problems} == {
        ("blocks[0].slots", "only open-space blocks have slots"),
        ("blocks[1].tables", "only world-cafe blocks have tables"),
    }


def test_duplicate_ids_within_a_block_and_workshop(tmp_path):
    text = VALID.replace(
        '  [[blocks.spaces]]\n  id = "salle-a"',
        '  [[blocks.spaces]]\n  id = "salle-a"\n  name = "A"\n\n  [[blocks.spaces]]\n  id = "salle-a"',
    )
    text = text.replace(
        '[[themes]]\nid = "t1"\ntitle = "Thème 1"',
        '[[themes]]\nid = "t1"\ntitle = "Thème 1"\n\n[[themes]]\nid = "t1"\ntitle = "Bis"',
    )
    problems = check_template(write(tmp_path, text))
    assert places(problems) == ["themes[1].id", "blocks[1].spaces[1].id"]


def test_block_without_rounds(tmp_path):
    text = VALID.replace('  [[blocks.rounds]]\n  title = "Ronde 1"\n  question = "Pourquoi?"\n  minutes = 25\n', "")
    problem = only_problem(tmp_path, text)
    assert problem.place == "blocks[0].rounds"
    assert "missing" in problem.message


def test_dates_must_be_in_order_and_distinct(tmp_path):
    text = VALID.replace("dates = [2010-05-04, 2010-05-05]", "dates = [2010-05-05, 2010-05-04, 2010-05-04]")
    problems = check_template(write(tmp_path, text))
    assert places(problems) == ["workshop.dates[1]", "workshop.dates[2]"]


def test_several_problems_are_reported_at_once(tmp_path):
    text = (
        VALID.replace('language = "fr"', 'language = "xx"')
        .replace("minutes = 25", "minutes = 0")
        .replace("day = 2010-05-04", "day = 2011-01-01")
        .replace('theme = "t1"', 'theme = "t2"')
        .replace('name = "Salle A"', 'nom = "Salle A"')
    )
    problems = check_template(write(tmp_path, text))
    assert places(problems) == [
        "workshop.language",
        "tables[0].theme",
        "blocks[0].day",
        "blocks[0].rounds[0].minutes",
        "blocks[1].spaces[0].nom",
        "blocks[1].spaces[0].name",
    ]
    with pytest.raises(TemplateError) as caught:
        load_template(tmp_path / "t.toml")
    assert len(caught.value.problems) == 6
    assert str(caught.value).count("\n") == 5
    assert isinstance(caught.value, ValueError)


def test_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert check_template(path) == []


def test_strings_are_trimmed(tmp_path):
    text = VALID.replace('title = "Atelier"', 'title = """\n  Atelier  \n"""')
    assert load_template(write(tmp_path, text)).title == "Atelier"


# --------------------------------------------------------------------------- finding templates


def test_list_templates_is_sorted_toml_only(tmp_path):
    for name in ("b.toml", "a.toml", "notes.md"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "dir.toml").mkdir()
    assert list_templates(tmp_path) == [tmp_path / "a.toml", tmp_path / "b.toml"]
    assert list_templates(tmp_path / "missing") == []


def test_find_template_by_bare_name_with_or_without_suffix():
    assert find_template("cafe-conversation-2010", SESSIONS) == CAFE
    assert find_template("cafe-conversation-2010.toml", SESSIONS) == CAFE
    assert find_template("forum-ouvert-2009", SESSIONS) == FORUM


def test_find_template_by_path(tmp_path):
    path = write(tmp_path, VALID, "ailleurs.toml")
    assert find_template(str(path), SESSIONS) == path
    assert find_template(str(CAFE), tmp_path) == CAFE


def test_find_template_by_relative_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", VALID, "x.toml")
    assert find_template("sub/x.toml", SESSIONS) == Path("sub/x.toml")


def test_unknown_name_lists_the_available_templates():
    with pytest.raises(FileNotFoundError) as caught:
        find_template("cafe-2011", SESSIONS)
    message = str(caught.value)
    assert "cafe-2011" in message
    assert "cafe-conversation-2010" in message and "forum-ouvert-2009" in message


def test_unknown_name_in_an_empty_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="no templates"):
        find_template("x", tmp_path)


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "../../../../etc/passwd",
        "/etc/passwd",
        "..",
        ".",
        "..toml",
        "..\\etc\\passwd",
        "cafe-conversation-2010\\..\\x",
        ".hidden",
        "",
        "  ",
        "a\x00b",
        "~/x",
    ],
)
def test_hostile_names_are_refused(tmp_path, name):
    with pytest.raises(FileNotFoundError):
        find_template(name, SESSIONS)


def test_dot_dot_is_refused_even_when_the_file_exists(tmp_path):
    sessions = tmp_path / "sessions"
    sessions.mkdir()
    write(tmp_path, VALID, "secret.toml")
    with pytest.raises(FileNotFoundError):
        find_template("..secret", sessions)
    with pytest.raises(FileNotFoundError, match="not a valid template name"):
        find_template("..\\secret.toml", sessions)


def test_a_path_must_be_a_toml_file(tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text(VALID, encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"\.toml"):
        find_template(str(other), SESSIONS)
    with pytest.raises(FileNotFoundError):
        find_template(str(tmp_path / "missing.toml"), SESSIONS)


def test_the_documented_example_is_a_valid_template(tmp_path):
    doc = (SESSIONS.parent / "docs" / "templates.md").read_text(encoding="utf-8")
    example = re.findall(r"```toml\n(.*?)```", doc, re.S)[-1]
    t = load_template(write(tmp_path, example, "exemple.toml"))
    assert [b.method for b in t.blocks] == ["world-cafe", "open-space"]
    assert len(t.blocks[0].tables) == 3
