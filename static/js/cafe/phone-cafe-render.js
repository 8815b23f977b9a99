// The phone's World Café part drawn from the state snapshot: the phone's table (its host, or the
// button to become it, and the picker), the host's tablecloth, the harvest's key ideas, and what
// the move between two rounds says. The repeated markup and its strings are the page's
// <template>s (templates/cafe/_cafe_phone_items.html, the macros the server renders the first paint
// with); this fills copies of them. Text from people enters as text only.
import { cafeBlock, format, keepFocus, setText, shown, tableTheme } from "../common.js";
import { byId, find } from "../dom.js";
import { clone, fill, showParts } from "../templates.js";

/** @typedef {Object<string, any>} Strings the page's strings (workshop/web/participant.py) */

/** @param {any} block @param {number | null | undefined} number */
export function tableOf(block, number) {
  return block?.tables.find((table) => table.number === number) ?? null;
}

// --- the phone's table, its host, the picker

/**
 * @param {Strings} t
 * @param {any} state
 * @param {any} block the current block (an Open Space block has no tables)
 * @param {boolean} openPicker open the picker for a phone without a table
 */
export function renderTable(t, state, block, openPicker) {
  const me = state.me ?? {};
  const tables = block ? block.tables : [];
  const known = me.table !== null && me.table !== undefined;
  byId("my-table", HTMLElement).hidden = tables.length === 0 || !known;
  setText("my-table-number", known ? format(t.table, { number: me.table }) : "");
  setText("my-table-theme", known ? tableTheme(state, me.table) : "");

  // The host of the table, or the button to become it (World Café only).
  const cafe = cafeBlock(state);
  const table = known ? tableOf(cafe, me.table) : null;
  const hosting = table !== null && me.host === table.number;
  const hostLine = byId("my-table-host", HTMLElement);
  hostLine.hidden = !table || (!hosting && table.host_id === null);
  hostLine.dataset.me = String(hosting);
  hostLine.textContent = hosting
    ? format(t.hosting, { number: table.number })
    : table?.host
      ? format(t.hostedBy, { name: table.host })
      : table?.host_id
        ? (hostLine.dataset.anonymous ?? "")
        : "";
  byId("cloth-link", HTMLAnchorElement).hidden = !hosting;
  byId("host-form", HTMLFormElement).hidden = !table || hosting || table.host_id !== null || cafe.harvest === "closed";
  byId("host-table", HTMLInputElement).value = table ? String(table.number) : "";

  const picker = byId("table-picker", HTMLDetailsElement);
  picker.hidden = tables.length === 0;
  const summary = byId("picker-summary", HTMLElement);
  summary.textContent = known ? summary.dataset.change : summary.dataset.choose;
  if (!known && tables.length && openPicker) picker.open = true;
  byId("picker-tables", HTMLElement).replaceChildren(...tables.map((each) => pickerTable(t, each, me.table)));
}

/** @param {Strings} t @param {any} table @param {number | null | undefined} current */
function pickerTable(t, table, current) {
  const button = fill(clone("tpl-picker-table"), {
    number: table.number,
    pressed: String(table.number === current),
    label: format(t.table, { number: table.number }),
    theme: shown(table, "theme") ?? "",
  });
  return showParts(button, { theme: Boolean(table.theme) });
}

// --- the host's tablecloth: every note of the table in this block, grouped by round

/** @param {Strings} t @param {any} state */
export function renderCloth(t, state) {
  const section = byId("tablecloth", HTMLElement);
  const block = cafeBlock(state);
  const me = state.me ?? {};
  const number = me.host;
  const hosting = Boolean(block) && number !== null && number !== undefined && number === me.table;
  section.hidden = !hosting;
  if (!hosting) return;
  /** @type {import("../shapes.js").NoteJSON[]} */
  const notes = state.notes.filter((n) => n.block === block.id && n.table === number && n.kind !== "harvest" && !n.hidden);
  const rounds = block.rounds.filter((r) => r.status !== "pending" || notes.some((n) => n.round === r.id));
  const container = byId("cloth-rounds", HTMLElement);
  const rebuild = () => container.replaceChildren(...rounds.map((r) => clothRound(t, r, notes.filter((n) => n.round === r.id))));
  keepFocus(container, rebuild);
}

/** @param {Strings} t @param {any} round @param {import("../shapes.js").NoteJSON[]} notes */
function clothRound(t, round, notes) {
  const section = fill(clone("tpl-cloth-round"), {
    heading: `cloth-round-${round.id}`,
    title: shown(round, "title") || format(t.roundNumber, { number: round.position + 1 }),
    question: shown(round, "question") ?? "",
  });
  showParts(section, { notes: notes.length > 0, empty: notes.length === 0 });
  find(section, "[data-list=notes]", HTMLElement)?.append(...notes.map(clothNote));
  return section;
}

/** A note of the tablecloth, with its star button. @param {import("../shapes.js").NoteJSON} note */
function clothNote(note) {
  const starred = Boolean(note.starred);
  const item = fill(clone("tpl-cloth-note"), {
    note: note.id,
    color: note.color || "yellow",
    starred: String(starred),
    text: shown(note, "text"),
    author: note.author ?? "",
    key: `star-${note.id}`,
    icon: starred ? "★" : "☆",
  });
  return showParts(item, { author: Boolean(note.author), mark: false, star: true, starred, unstarred: !starred });
}

// --- the harvest: the host posts the table's key ideas; everyone at the table sees them

/**
 * @param {any} state
 * @param {Object<string, any>[]} waitingIdeas the host's ideas still on this phone: {id, text}
 * @returns {boolean} whether this phone may post key ideas (it hosts the table, the harvest is open)
 */
export function renderHarvest(state, waitingIdeas) {
  const section = byId("harvest", HTMLElement);
  const block = cafeBlock(state);
  const me = state.me ?? {};
  const table = block ? tableOf(block, me.table) : null;
  const ideas = table ? state.notes.filter((n) => n.kind === "harvest" && n.block === block.id && n.table === table.number && !n.hidden) : [];
  const open = Boolean(table) && block.harvest === "open";
  section.hidden = !table || (!open && !(block.harvest === "closed" && ideas.length));
  if (section.hidden) return false;
  const host = open && me.host === table.number;
  byId("harvest-form", HTMLFormElement).hidden = !host;
  byId("harvest-help-host", HTMLElement).hidden = !host;
  byId("harvest-help-guest", HTMLElement).hidden = host || !open;
  const posted = new Set(ideas.map((n) => n.id));
  const waiting = host ? waitingIdeas.filter((n) => !posted.has(n.id)) : [];
  byId("harvest-list", HTMLUListElement).replaceChildren(
    ...waiting.map((n) => idea(n, "waiting")),
    ...ideas.slice().reverse().map((n) => idea(n, "sent")),
  );
  return host;
}

/** @param {Object<string, any>} note a key idea ({id, text}) @param {"sent" | "waiting"} status */
function idea(note, status) {
  const item = fill(clone("tpl-harvest-idea"), { note: note.id, status, text: shown(note, "text") });
  return showParts(item, { waiting: status === "waiting" });
}

// --- where to sit next

/**
 * What the move panel says for this move (the dialog's title, number, theme, brief, button).
 * @param {Strings} t
 * @param {any} state
 * @param {{ round: number, table: number, host?: boolean, by?: string }} move
 * @returns {boolean} whether the phone hosts the table it goes to (it stays)
 */
export function fillMove(t, state, move) {
  const me = state.me ?? {};
  const hosting = Boolean(move.host) || me.host === move.table;
  const staying = !hosting && me.table === move.table && move.by !== "facilitator";
  const title = byId("move-title", HTMLElement);
  title.textContent = hosting ? (title.dataset.host ?? "") : format(staying ? t.stayAt : t.goTo, { number: move.table });
  setText("move-number", String(move.table));
  setText("move-theme", tableTheme(state, move.table));
  setText(
    "move-brief",
    hosting ? format(t.hostBrief, { number: move.table }) : move.by === "facilitator" ? format(t.movedBy, { number: move.table }) : "",
  );
  byId("move-table", HTMLInputElement).value = String(move.table);
  const here = byId("move-here", HTMLButtonElement);
  here.textContent = (hosting ? here.dataset.host : here.dataset.guest) ?? "";
  byId("move-elsewhere", HTMLAnchorElement).hidden = hosting;
  return hosting;
}
