// "My notes" on the phone: the notes the server stored (and where each stands: on the board,
// waiting for the reveal, waiting for the facilitator's approval), those still on this phone, and
// those refused for good. Each item is a copy of the page's <template id="tpl-my-note">
// (templates/cafe/_cafe_phone_items.html, the macro the server renders the first paint with).
import { shown } from "../common.js";
import { byId } from "../dom.js";
import { clone, fill, showParts } from "../templates.js";

/** @typedef {"sent" | "not-shown" | "approval"} Standing */
/** @typedef {{ id: string, text: string, color?: string | null, error?: string | null }} KeptNote a note on this phone */

/**
 * Where a stored note stands (issue 15): a moderated round's note waits for approval, a reveal
 * round's for the reveal; any other is on the board.
 * @param {{ approved?: boolean, revealed?: boolean }} note
 * @returns {Standing}
 */
export function standing(note) {
  if (note.approved === false) return "approval";
  return note.revealed === false ? "not-shown" : "sent";
}

/**
 * One item of "My notes".
 * @param {import("../shapes.js").NoteJSON | KeptNote} note
 * @param {"sent" | "waiting" | "failed"} status
 * @param {string | null} [error] the server's reason, said once by the status line already
 * @returns {HTMLElement}
 */
export function noteItem(note, status, error = null) {
  const stands = status === "sent" ? standing(/** @type {import("../shapes.js").NoteJSON} */ (note)) : null;
  const item = fill(clone("tpl-my-note"), {
    note: note.id,
    color: note.color || "yellow",
    status,
    text: shown(note, "text"),
    error: error ?? "",
  });
  return showParts(item, {
    sent: stands === "sent",
    "not-shown": stands === "not-shown",
    approval: stands === "approval",
    waiting: status === "waiting",
    failed: status === "failed",
    error: Boolean(error),
  });
}

/**
 * The list: refused notes first, then those waiting on this phone (newest first), then the
 * stored ones (newest first). Before the first join the server's items stay, with what waits here.
 * @param {HTMLElement} list
 * @param {import("../shapes.js").SnapshotJSON | null} state
 * @param {KeptNote[]} failed
 * @param {KeptNote[]} waiting the note outbox's items, oldest first
 */
export function renderNotes(list, state, failed, waiting) {
  const mine = new Set(state?.me?.notes ?? []);
  const sent = (state?.notes ?? []).filter((n) => mine.has(n.id) && !n.hidden && n.kind !== "harvest").reverse();
  const items = [
    ...failed.map((n) => noteItem(n, "failed", n.error)),
    ...waiting.slice().reverse().map((n) => noteItem(n, "waiting", n.error)),
    ...sent.map((n) => noteItem(n, "sent")),
  ];
  if (!state) {
    const known = new Set(Array.from(list.children, (li) => li.getAttribute("data-note")));
    list.prepend(...items.filter((li) => !known.has(li.dataset.note)));
  } else {
    list.replaceChildren(...items);
  }
  byId("no-notes", HTMLElement).hidden = list.children.length > 0;
}
