"""The live pages print a workshop's texts with the documents' typography (issue 17): the JSON keeps
the text as written and adds ``shown``, the text as printed."""

from __future__ import annotations

import uuid

NBSP, NNBSP = "\u00a0", "\u202f"


def test_notes_rounds_and_tables_carry_their_printed_text(create_workshop, connect):
    keys = create_workshop()
    facilitator = connect({"code": keys["code"], "role": "facilitator", "key": keys["facilitator_key"]})
    state = facilitator.ack["state"]
    first = state["blocks"][0]["rounds"][0]
    assert first["question"].endswith("objectif?")  # as the template wrote it
    assert first["shown"]["question"].endswith(f"objectif{NNBSP}?")
    theme = next(t for t in state["blocks"][0]["tables"] if "l'apport" in (t["theme"] or ""))
    assert "l’apport" in theme["shown"]["theme"]
    assert facilitator.emit("round:start", {"round": first["id"]}, callback=True)["ok"]
    phone = connect({"code": keys["code"], "role": "participant", "table": 1})
    typed = "L'emploi: d'abord!"
    ack = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": typed}, callback=True)
    assert ack["ok"] and ack["note"]["text"] == typed
    assert ack["note"]["shown"] == {"text": f"L’emploi{NBSP}: d’abord{NNBSP}!"}
    plain = phone.emit("note:post", {"id": str(uuid.uuid4()), "text": "Rien à changer"}, callback=True)
    assert "shown" not in plain["note"]  # only when the printed text differs
    events = [e for e in facilitator.get_received() if e["name"] == "note:added"]
    assert events[0]["args"][0]["note"]["shown"]["text"] == f"L’emploi{NBSP}: d’abord{NNBSP}!"
