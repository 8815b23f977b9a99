"""A section's introduction as nested blocks (richtext.outline), what the board's results view
renders as HTML lists: the flat items of ``paragraphs`` put back in their lists."""

from __future__ import annotations

from workshop.results.export import richtext


def shape(blocks) -> list:
    """The outline as plain data: ("p", text), ("ul" | "ol", [(item text, [nested lists])])."""
    out = []
    for block in blocks:
        if block.kind == "list":
            out.append(("ol" if block.ordered else "ul", [(i.paragraph.text, shape(i.lists)) for i in block.items]))
        else:
            out.append((block.kind, block.text))
    return out


def test_paragraphs_headings_quotes_and_code_stay_in_order():
    source = "# Titre\n\nUn **gras** et un [lien](https://example.org)\n\n> Une citation\n\n    du code"
    assert shape(richtext.outline(source)) == [
        ("heading", "Titre"),
        ("p", "Un gras et un lien"),
        ("quote", "Une citation"),
        ("pre", "du code\n"),
    ]


def test_list_items_go_back_into_their_lists_nested_under_their_item():
    source = "- a\n- b\n    1. b.1\n    2. b.2\n        - b.2.a\n- c\n\nEntre deux\n\n1. x\n2. y\n\n- z"
    assert shape(richtext.outline(source)) == [
        ("ul", [("a", []), ("b", [("ol", [("b.1", []), ("b.2", [("ul", [("b.2.a", [])])])])]), ("c", [])]),
        ("p", "Entre deux"),
        ("ol", [("x", []), ("y", [])]),
        ("ul", [("z", [])]),
    ]


def test_an_ordered_list_right_after_a_bulleted_one_is_a_list_of_its_own():
    blocks = richtext.outline("- a\n- b\n\n1. c")
    assert [(b.kind, b.ordered) for b in blocks] == [("list", False), ("list", True)]


def test_nothing_to_outline():
    assert richtext.outline("") == [] and richtext.outline(None) == [] and richtext.outline("  \n ") == []
