"""The page as a tree of elements, and the check that what the server renders and a page's
<template> (the same Jinja macro, called with nothing) have one structure: the phone's Open Space
part (test_open_space_pages.py) and its rounds and World Café part (test_phone_cafe_templates.py)."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    def __init__(self, tag: str, attrs: dict, parent: Element | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def classes(self) -> tuple[str, ...]:
        return tuple((self.attrs.get("class") or "").split())

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()

    def find_all(self, test) -> list[Element]:
        return [node for node in self.walk() if test(node)]


class Tree(HTMLParser):
    """The page as a tree of elements (the standard library's parser: nothing to install)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {}, None)
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        node = Element(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent


def by_id(tree: Tree, id_: str) -> Element:
    found = tree.root.find_all(lambda node: node.attrs.get("id") == id_)
    assert len(found) == 1, f"#{id_}: {len(found)} elements"
    return found[0]


def with_class(root: Element, name: str) -> list[Element]:
    return root.find_all(lambda node: name in node.classes())


def same_shape(server: Element, template: Element, items: set[str], where: str = "") -> None:
    """The server's element has the template's structure (tags, classes, in order): the template
    holds every alternative (data-show) and the server only those that apply; an item of another
    template (a cell in a slot, a note in a group) is that template's business."""
    kept = [
        child
        for child in server.children
        if not (child.classes() and child.classes()[0] in items and child.classes() != template.classes())
    ]
    shown = {(child.tag, child.classes(), child.attrs.get("data-show")) for child in kept}
    expected = [
        child
        for child in template.children
        if "data-show" not in child.attrs or (child.tag, child.classes(), child.attrs["data-show"]) in shown
    ]
    here = f"{where} > {server.tag}.{'.'.join(server.classes())}"
    assert [(c.tag, c.classes()) for c in kept] == [(c.tag, c.classes()) for c in expected], here
    for mine, theirs in zip(kept, expected, strict=True):
        if theirs.children or not mine.children:  # an empty list in the template is filled by the script
            same_shape(mine, theirs, items, here)


def template_root(tree: Tree, id_: str) -> Element:
    template = by_id(tree, id_)
    assert template.tag == "template"
    return template


def ancestors(node: Element):
    while node.parent is not None:
        node = node.parent
        yield node
