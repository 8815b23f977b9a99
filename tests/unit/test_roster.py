"""The roster's CSV reader (issue 16): the separators and encodings spreadsheets export, and a
clear error for every row it does not take."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workshop.domain.roster import MAX_BYTES, RosterFileError, read_roster

SECTORS = {"sante": "Santé", "education": "Éducation"}
TABLES = {1, 2, 3, 4, 5}


def test_semicolons_in_windows_1252_as_french_excel_saves_them():
    data = "Nom;Secteur;Table;Rôle\r\nHélène Côté;Santé;;\r\nÉric Nadeau;education;2;hôte\r\n".encode("cp1252")
    roster = read_roster(data, SECTORS, TABLES)
    assert roster.errors == []
    assert [(r.name, r.sector, r.table, r.host) for r in roster.rows] == [
        ("Hélène Côté", "sante", None, False),
        ("Éric Nadeau", "education", 2, True),
    ]


def test_commas_in_utf8_with_a_bom_and_columns_in_another_order():
    data = "\ufeffRole,Table,Full name,Sector\n,,Zoë Ng,SANTÉ\nhost,Table 3,Li Wei,\n".encode("utf-8")
    roster = read_roster(data, SECTORS, TABLES)
    assert [(r.line, r.name, r.sector, r.table, r.host) for r in roster.rows] == [
        (2, "Zoë Ng", "sante", None, False),
        (3, "Li Wei", None, 3, True),
    ]


def test_without_a_header_the_order_is_name_sector_table_role():
    roster = read_roster(b"Ana;sante;4\nBen\n", SECTORS, TABLES)
    assert [(r.name, r.table) for r in roster.rows] == [("Ana", 4), ("Ben", None)]


def test_every_bad_row_has_its_line_and_reason_and_the_good_ones_stay():
    data = (
        "Nom;Secteur;Table;Rôle\n"
        "Ana;sante;;\n"
        ";sante;;\n"
        "Ben;astrologie;;\n"
        "Cléo;;douze;\n"
        "Dan;;9;\n"
        "Éva;;;cheffe\n"
        "ana;;;\n"
        f"{'x' * 61};;;\n"
        "Fay;;1;hôte\n"
        "Gus;;1;hôte\n"
        "\n"
        "Hal;;;\n"
    ).encode()
    roster = read_roster(data, SECTORS, TABLES)
    assert [r.name for r in roster.rows] == ["Ana", "Fay", "Hal"]
    assert [(e.line, e.code) for e in roster.errors] == [
        (3, "roster_no_name"),
        (4, "roster_unknown_sector"),
        (5, "roster_bad_table"),
        (6, "roster_unknown_table"),
        (7, "roster_bad_role"),
        (8, "roster_twice"),
        (9, "roster_name_too_long"),
        (11, "roster_two_hosts"),
    ]
    assert roster.errors[5].params == {"name": "ana", "other": 2}


def test_whole_file_refusals():
    for data, code in (
        (b"", "roster_empty"),
        (b" \n\n", "roster_empty"),
        (b"PK\x03\x04\x00", "roster_not_text"),
        (b"a" * (MAX_BYTES + 1), "roster_too_big"),
    ):
        with pytest.raises(RosterFileError) as refused:
            read_roster(data, SECTORS, TABLES)
        assert refused.value.code == code


@given(st.binary(max_size=2000))
def test_any_bytes_give_rows_and_errors_or_one_refusal_never_a_crash(data):
    try:
        roster = read_roster(data, SECTORS, TABLES)
    except RosterFileError:
        return
    lines = [r.line for r in roster.rows] + [e.line for e in roster.errors]
    assert len(lines) == len(set(lines))
    assert all(0 < len(r.name) <= 60 for r in roster.rows)
