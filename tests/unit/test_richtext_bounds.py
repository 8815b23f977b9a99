"""The Markdown renderer's worst cases (issue 18, point 5): within the bounds an introduction
renders; past them it is refused on save, and never handed to the renderer."""

from __future__ import annotations

import pytest

from workshop.results.export import richtext

WITHIN = {
    "open brackets": "[" * richtext.MAX_BRACKETS,
    "image openers": "![" * (richtext.MAX_BRACKETS // 2),
    "link openers": "[(" * richtext.MAX_BRACKETS,
    "closed links": "[a](b) " * richtext.MAX_BRACKETS,
    "nested lists": "1. " * richtext.MAX_NESTING + "x",
    "nested bullets": "- " * richtext.MAX_NESTING + "x",
    "nested quotes": ">" * richtext.MAX_NESTING + " x",
    "indented lists": "".join("    " * i + "- x\n" for i in range(100)),
    "stars": "*" * 10_000,
    "backticks": "`" * 10_000,
    "angles": "<" * 10_000,
    "emphasis": "_a" * 5_000,
    "parentheses": "(" * 10_000,
    "backslashes": "\\" * 10_000,
}
BEYOND = {
    "the red team's 10,000 brackets": "[" * 10_000,
    "brackets and parentheses": "[(" * 5_000,
    "images": "![" * 5_000,
    "a line of nested lists": "1. " * 3_000,
    "nested quotes": "> " * (richtext.MAX_NESTING + 1) + "x",
    "nested bullets": "* " * (richtext.MAX_NESTING + 1) + "x",
}


@pytest.mark.parametrize("source", WITHIN.values(), ids=WITHIN.keys())
def test_worst_cases_within_the_bounds_render(source):
    assert not richtext.too_complex(source)
    html = richtext.sanitized_html(source)  # no RecursionError, nothing unsafe
    assert "<script" not in html


@pytest.mark.parametrize("source", BEYOND.values(), ids=BEYOND.keys())
def test_worst_cases_beyond_the_bounds_are_never_rendered(source, monkeypatch):
    assert richtext.too_complex(source)

    def renderer(*args, **kwargs):
        raise AssertionError("the Markdown renderer was called")

    monkeypatch.setattr(richtext.markdown_lib, "markdown", renderer)
    html = richtext.sanitized_html(source)  # saved before the bounds: shown as plain text
    assert html.startswith("<p>") and "<ol>" not in html


def test_a_renderer_recursion_is_plain_text_not_a_crash(monkeypatch):
    def renderer(*args, **kwargs):
        raise RecursionError

    monkeypatch.setattr(richtext.markdown_lib, "markdown", renderer)
    assert richtext.sanitized_html("Une *intro*\n\nen deux") == "<p>Une *intro*</p><p>en deux</p>"
