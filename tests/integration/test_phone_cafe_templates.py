"""One renderer for the phone's rounds and World Café part (issue 13): "My notes", the key ideas of
the harvest, the table picker and the host's tablecloth are each one Jinja macro
(templates/cafe/_cafe_phone_items.html) that renders both the first paint (the page without JavaScript)
and the <template> that the scripts clone and fill. What the server renders has the template's
structure, people's text is escaped, and the templates carry no one's text."""

from __future__ import annotations

import re
import uuid

import pytest
from page_tree import Element, Tree, by_id, same_shape, template_root

from workshop.config import PROJECT_ROOT

HOSTILE = "<img src=x onerror=alert(1)> & <b>gras</b>"
SCRIPTS = ("live/participant.js", "cafe/phone-cafe.js", "cafe/phone-cafe-render.js", "live/phone-notes.js")


def html(response) -> str:
    return response.get_data(as_text=True)


def ok(ack: dict) -> dict:
    assert ack["ok"] is True, ack
    return ack


@pytest.fixture
def english(client):
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def cafe(create_workshop, connect, english):
    """A World Café round or two later: the page of a host without JavaScript (table 1), with its
    notes in each standing, a guest's notes (one hostile, one starred), and the harvest open."""
    keys = create_workshop()
    code = keys["code"]
    console = connect({"code": code, "role": "facilitator", "key": keys["facilitator_key"]})
    block = ok(console.ack)["state"]["blocks"][0]
    rounds = [r["id"] for r in block["rounds"]]
    assert english.post(f"/j/{code}/join", data={"table": "1", "name": "Hostess"}).status_code == 303
    assert english.post(f"/j/{code}/host", data={"table": "1"}).status_code == 303
    guest = connect({"code": code, "role": "participant", "table": 1, "name": HOSTILE})
    ok(guest.ack)

    ok(console.emit("round:start", {"round": rounds[0]}, callback=True))

    def post(text: str) -> None:
        assert english.post(f"/j/{code}/notes", data={"id": str(uuid.uuid4()), "text": text}).status_code == 303

    post("Sur le tableau")
    ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": HOSTILE}, callback=True))
    starred = ok(guest.emit("note:post", {"id": str(uuid.uuid4()), "text": "Étoilée"}, callback=True))["note"]
    ok(console.emit("note:star", {"note": starred["id"], "starred": True}, callback=True))
    ok(console.emit("round:settings", {"round": rounds[0], "moderated": True}, callback=True))
    post("À valider")
    ok(console.emit("round:settings", {"round": rounds[0], "moderated": False, "reveal": True}, callback=True))
    post("Pas encore montrée")
    ok(console.emit("round:start", {"round": rounds[1]}, callback=True))  # a round without notes yet
    ok(console.emit("harvest:open", {"block": block["id"]}, callback=True))
    for idea in ("Première idée clé", "Deuxième idée clé"):
        assert english.post(f"/j/{code}/harvest", data={"id": str(uuid.uuid4()), "text": idea}).status_code == 303
    return {"code": code, "page": html(english.get(f"/j/{code}"))}


def outside_templates(node: Element) -> bool:
    while node.parent is not None:
        node = node.parent
        if node.tag == "template":
            return False
    return True


def test_the_phone_page_carries_each_template_the_scripts_clone(cafe):
    tree = Tree(cafe["page"])
    scripts = "".join((PROJECT_ROOT / "static" / "js" / name).read_text(encoding="utf-8") for name in SCRIPTS)
    cloned = set(re.findall(r"""clone(?:Parts)?\(\s*["'`](tpl-[\w-]+)["'`]""", scripts))
    assert cloned == {"tpl-my-note", "tpl-harvest-idea", "tpl-picker-table", "tpl-cloth-round", "tpl-cloth-note"}
    for id_ in cloned:
        (item,) = template_root(tree, id_).children
        # A template holds markup and fixed strings, never someone's text.
        for node in [item, *item.walk()]:
            if "data-fill" in node.attrs:
                assert not node.children, (id_, node.tag, node.attrs)
    # Every standing of a note and both faces of the star are in the templates, translated once there.
    page = cafe["page"]
    mine = page.split('<template id="tpl-my-note">', 1)[1].split("</template>", 1)[0]
    for said in ("Sent", "Sent, not yet on the board", "Waiting for approval", "Waiting to be sent…", "Not posted"):
        assert f">{said}<" in mine, said
    assert "Write it again" in mine
    star = page.split('<template id="tpl-cloth-note">', 1)[1].split("</template>", 1)[0]
    assert ">Star<" in star and ">Starred<" in star


def test_the_server_s_items_have_the_templates_structure(cafe):
    """What the server renders and what the scripts clone come from one macro: the same elements
    and classes, item by item, in each list of the page."""
    tree = Tree(cafe["page"])
    lists = {
        "my-notes": "tpl-my-note",
        "harvest-list": "tpl-harvest-idea",
        "picker-tables": "tpl-picker-table",
        "cloth-rounds": "tpl-cloth-round",
    }
    checked = {}
    for list_id, template_id in lists.items():
        (template,) = template_root(tree, template_id).children
        rendered = by_id(tree, list_id).children
        assert rendered, f"the page renders nothing in #{list_id}"
        for item in rendered:
            assert (item.tag, item.classes()) == (template.tag, template.classes()), list_id
            same_shape(item, template, set(), template_id)
        checked[list_id] = len(rendered)
    (note_template,) = template_root(tree, "tpl-cloth-note").children
    cloth_notes = [n for n in by_id(tree, "cloth-rounds").walk() if "cloth__note" in n.classes()]
    for note in cloth_notes:
        assert (note.tag, note.classes()) == (note_template.tag, note_template.classes())
        same_shape(note, note_template, set(), "tpl-cloth-note")
    assert checked == {"my-notes": 3, "harvest-list": 2, "picker-tables": 5, "cloth-rounds": 2}, checked
    assert len(cloth_notes) == 3  # the notes on the board (the others wait for the facilitator)

    # Each standing was rendered, by the macro's alternatives (data-show).
    standings = [
        [child.attrs["data-show"] for child in item.children[1].children] for item in by_id(tree, "my-notes").children
    ]
    assert standings == [["not-shown"], ["approval"], ["sent"]]  # newest first
    # The round without notes says so; the one with notes lists them; the star is a mark without JavaScript.
    shows = [
        [c.attrs.get("data-show") for c in r.children if "data-show" in c.attrs]
        for r in by_id(tree, "cloth-rounds").children
    ]
    assert shows == [["notes"], ["empty"]]
    marks = [n for n in cloth_notes if any(c.attrs.get("data-show") == "mark" for c in n.children)]
    assert len(marks) == 1 and not [n for n in cloth_notes if any(c.tag == "button" for c in n.children)]


def test_a_hostile_note_is_escaped_in_the_server_s_items(cafe):
    page = cafe["page"]
    tree = Tree(page)
    cloth = [n for n in by_id(tree, "cloth-rounds").walk() if outside_templates(n)]
    assert not [n for n in cloth if n.tag in ("img", "b", "script")]
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;gras&lt;/b&gt;" in page  # the note, and its author
    assert "<img src=x" not in page and "<b>gras</b>" not in page
    # The key ideas: newest first, as the script lists them.
    ideas = page.split('id="harvest-list"', 1)[1].split("</ul>", 1)[0]
    assert ideas.index("Deuxième idée clé") < ideas.index("Première idée clé")
