"""The data of the results' charts (workshop/domain/charts.py), from a small workshop: notes per
block, notes per table and round, the dot vote's ranking. The golden JSON in tests/golden/ holds the
data (``UPDATE_GOLDEN=1`` rewrites it after a wanted change); the drawings are checked for what
they may not hold."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

from test_synthesis import note, small_workshop

from workshop.domain import charts
from workshop.domain.synthesis import TopicInput, build
from workshop.results.export import plots
from workshop.results.export.layout import Plot, layout

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "charts-small.json"


def voted_workshop():
    """The small workshop, its Open Space block with three sessions and their dots."""
    base = small_workshop()
    cafe, forum = base.blocks
    forum = dataclasses.replace(
        forum,
        topics=(
            TopicInput("t1", "Financement", votes=3),
            TopicInput("t2", "Un « guichet » unique <script>", votes=7, selected=True),
            TopicInput("t3", "Sans pastille"),
        ),
    )
    notes = base.notes + (note("r1", "Compte rendu", 45, block=2, topic="t1"),)
    return dataclasses.replace(base, blocks=(cafe, forum), notes=notes)


def test_the_charts_data_is_the_golden_one():
    data = [c.as_dict() for c in charts.all_charts(build(voted_workshop()))]
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_notes_per_block_counts_visible_notes_and_harvest():
    chart = charts.notes_per_block(build(voted_workshop()))
    assert [c.key for c in chart.categories] == ["block-1", "block-2"]
    assert [(s.key, s.values) for s in chart.series] == [("notes", (4, 3)), ("harvest", (1, 0))]
    assert chart.total == 8  # the hidden note (n5) is not counted


def test_participation_is_notes_per_table_and_round():
    tree = build(voted_workshop())
    chart = charts.participation(tree.blocks[0])
    assert [c.number for c in chart.categories] == [1, 2]
    assert [(s.position, s.values) for s in chart.series] == [(0, (2, 1)), (1, (0, 1))]
    assert charts.participation(tree.blocks[1]) is None  # an Open Space block has no tables' rounds


def test_the_vote_ranks_the_sessions_by_dots_the_kept_ones_first():
    tree = build(voted_workshop())
    chart = charts.votes(tree.blocks[1])
    assert [c.title for c in chart.categories] == ["Un « guichet » unique <script>", "Financement"]
    assert [c.marked for c in chart.categories] == [True, False]
    assert chart.series[0].values == (7, 3)
    assert charts.votes(tree.blocks[0]) is None


def test_an_empty_workshop_has_no_chart():
    base = small_workshop()
    assert charts.all_charts(build(dataclasses.replace(base, notes=()))) == []


def test_every_chart_has_its_data_table_in_the_layout():
    _w, elements = layout(build(voted_workshop()))
    shown = [e for e in elements if isinstance(e, Plot)]
    assert [p.chart.kind for p in shown] == ["notes_per_block", "participation", "dot_vote"]
    for plot in shown:
        assert len(plot.grid.rows) == len(plot.chart.categories)
    participation = shown[1].grid
    assert participation.header == ["Table", "Ronde 1", "Ronde 2", "Total"]
    assert participation.rows == [["Table 1", "2", "0", "2"], ["Table 2", "1", "1", "2"]]


def test_the_svg_holds_drawing_only():
    _w, elements = layout(build(voted_workshop()))
    votes = next(e for e in elements if isinstance(e, Plot) and e.chart.kind == "dot_vote")
    drawn = plots.svg(votes.chart, plots.Words(votes.title, tuple(votes.categories), tuple(votes.series), "Pastilles"))
    assert drawn.startswith("<svg") and 'role="img"' in drawn
    for absent in ("<script", "<style", "style=", "<metadata", "onload", "<text", "guichet"):
        assert absent not in drawn, absent  # the titles are drawn as paths, never as markup
    png = plots.png(votes.chart, plots.Words(votes.title, tuple(votes.categories), tuple(votes.series), "Dots"))
    assert png.startswith(b"\x89PNG")


def test_clean_svg_drops_what_could_run_or_reach_out():
    hostile = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)">'
        b"<script>alert(2)</script><style>*{}</style><foreignObject><div>x</div></foreignObject>"
        b'<a xlink:href="javascript:alert(3)"><path d="M0 0"/></a>'
        b'<use xlink:href="https://evil.example/x.svg#a"/><use xlink:href="#glyph"/>'
        b'<path d="M1 1" style="fill: url(https://evil.example/); stroke: #000000; behavior: x" onclick="y"/></svg>'
    )
    cleaned = plots.clean_svg(hostile, "Label")
    for absent in ("alert", "script", "style", "foreignObject", "evil", "onclick", "behavior", "javascript"):
        assert absent not in cleaned, absent
    assert 'xlink:href="#glyph"' in cleaned and 'stroke="#000000"' in cleaned
