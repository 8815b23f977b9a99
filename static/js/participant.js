// The phone page: joins with the token kept on the phone, posts notes through an outbox kept in
// localStorage (each note keeps its id until the server acknowledges it), follows the rounds.
// In a World Café: hosts a table, shows the host its tablecloth, says where to sit next, and lets
// the host post the table's key ideas for the harvest (through an outbox too).
// In an Open Space block: the marketplace, my sessions, the wall and the vote (phone-openspace.js).
import {
  ServerClock,
  joinPatiently,
  applyRoundEvent,
  cafeBlock,
  clockText,
  connect,
  connectionBanner,
  currentBlock,
  currentRound,
  el,
  format,
  keepFocus,
  readStrings,
  request,
  roundTimerText,
  setText,
  shown,
  tableTheme,
  timerState,
  uuid,
} from "./common.js";
import { blockQuestion, openSpaceBlock } from "./openspace.js";
import { phoneOpenSpace } from "./phone-openspace.js";
import { byId, control, find, targetOf } from "./dom.js";
import { Outbox } from "./outbox.js";

const root = byId("participant", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const maxLength = Number(root.dataset.max) || 500;
const clock = new ServerClock(root.dataset.now);
// A note written while no round is open waits in the outbox for the next round to start.
const held = (item, code) => code === "no_running_round" || (code === "round_closed" && !item.round);

// --- what the phone keeps (per workshop code); memory only when localStorage is refused

const memory = new Map();
const store = {
  get(name, fallback) {
    const key = `workshop:${code}:${name}`;
    try {
      const value = window.localStorage.getItem(key);
      if (value !== null) return JSON.parse(value);
    } catch {
      if (memory.has(key)) return memory.get(key);
    }
    return memory.has(key) ? memory.get(key) : fallback;
  },
  set(name, value) {
    const key = `workshop:${code}:${name}`;
    memory.set(key, value);
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      // private mode or full: the memory copy still holds it for this visit
    }
  },
};

let failed = store.get("failed", []); // [{id, text, color, error}] refused for good; text kept
let state = null;
let joined = false;
let queryTable = root.dataset.table ? Number(root.dataset.table) : null;
// Where to sit next, as the server announced it ({round, table, until?, host?, by?}); the
// snapshot's me.move says the same after a reload, without the countdown.
let announced = null;
let dismissed = null; // "round:table" of a move the person answered "I took another seat" to
const movingUntil = new Map(); // round id -> end of the board's "change tables" screen

const form = byId("note-form", HTMLFormElement);
const textarea = byId("note-text", HTMLTextAreaElement);
const counter = byId("note-count", HTMLElement);
const list = byId("my-notes", HTMLUListElement);
const dialog = byId("move", HTMLDialogElement);
const harvestForm = byId("harvest-form", HTMLFormElement);
const harvestText = byId("harvest-text", HTMLTextAreaElement);

function saveBoxes() {
  store.set("failed", failed);
}

/** Notes not yet acknowledged: [{id, text, color, round}]. */
const notesOut = new Outbox({
  store,
  name: "outbox",
  message: (item) => ["note:post", { id: item.id, text: item.text, ...(item.color && { color: item.color }), ...(item.round && { round: item.round }) }],
  holds: held,
  stored: (item, ack) => {
    remember(ack.note);
    say(t.posted);
  },
  held: () => say(t.held), // sent when a round starts (round:started flushes the outbox)
  refused: (item, ack) => {
    // Refused for good: the text goes back to the person, in the box if it is empty.
    failed.push({ id: item.id, text: item.text, color: item.color, error: ack.error.message });
    saveBoxes();
    if (!textarea.value.trim()) {
      textarea.value = item.text;
      updateCounter();
    }
    say(ack.error.message, "error");
  },
  changed: () => render(),
});

/** The host's key ideas for the harvest not yet acknowledged: [{id, text}]. */
const ideasOut = new Outbox({
  store,
  name: "harvest-outbox",
  message: (item) => ["harvest:post", { id: item.id, text: item.text }],
  stored: (item, ack) => {
    remember(ack.note);
    sayIn("harvest-status", t.ideaPosted);
  },
  refused: (item, ack) => {
    // Refused for good (the harvest closed, no longer the host): the text goes back to the box.
    if (!harvestText.value.trim()) harvestText.value = item.text;
    sayIn("harvest-status", ack.error.message, "error");
  },
  changed: () => render(),
});

// The server-rendered move panel (for phones without JavaScript) gives way to the modal one.
if (dialog.open) dialog.close();

// --- rendering

function render() {
  if (state) {
    const block = currentBlock(state);
    const round = currentRound(state);
    const osBlock = openSpaceBlock(state);
    setText("block-title", block ? shown(block, "title") : shown(state.workshop, "title"));
    setText("round-title", shown(round, "title") ?? "");
    // An Open Space block shows its question before any round starts; its notes are session reports.
    const text = round ? shown(round, "question") : osBlock ? blockQuestion(state, osBlock) : "";
    const question = setText("question", text);
    question.hidden = !text;
    byId("post", HTMLElement).hidden = Boolean(osBlock);
    byId("note-wait", HTMLElement).hidden = round?.status === "running";
    // The round's facilitation modes (issue 15), said before anyone types.
    const hint = ["reveal", "moderated", "anonymous"].filter((name) => round?.[name]).map((name) => t.modes[name]).join(" ");
    setText("note-modes", hint).hidden = !hint;
    renderTable(block);
    renderHarvest();
    renderCloth();
    renderMove();
    openSpace.render();
    tick();
  }
  renderNotes();
}

function tableOf(block, number) {
  return block?.tables.find((table) => table.number === number) ?? null;
}

function renderTable(block) {
  const me = state.me ?? {};
  const tables = block ? block.tables : [];
  const current = byId("my-table", HTMLElement);
  const known = me.table !== null && me.table !== undefined;
  current.hidden = tables.length === 0 || !known; // an Open Space block has no tables
  setText("my-table-number", known ? format(t.table, { number: me.table }) : t.noTable);
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
        ? t.hostedAnonymous
        : "";
  byId("cloth-link", HTMLAnchorElement).hidden = !hosting;
  const hostForm = byId("host-form", HTMLFormElement);
  hostForm.hidden = !table || hosting || table.host_id !== null || cafe.harvest === "closed";
  byId("host-table", HTMLInputElement).value = table ? String(table.number) : "";

  const picker = byId("table-picker", HTMLDetailsElement);
  picker.hidden = tables.length === 0;
  const summary = byId("picker-summary", HTMLElement);
  summary.textContent = known ? summary.dataset.change : summary.dataset.choose;
  if (!known && tables.length && !queryTable) picker.open = true; // not while the card's table is being taken
  const buttons = tables.map((each) =>
    el(
      "button",
      { type: "submit", name: "table", value: each.number, class: "picker__table", "aria-pressed": String(each.number === me.table) },
      el("span", { class: "picker__number" }, format(t.table, { number: each.number })),
      each.theme ? el("span", { class: "picker__theme" }, shown(each, "theme")) : null,
    ),
  );
  byId("picker-tables", HTMLElement).replaceChildren(...buttons);
}

// --- the host's tablecloth: every note of the table in this block, grouped by round

function renderCloth() {
  const section = byId("tablecloth", HTMLElement);
  const block = cafeBlock(state);
  const me = state.me ?? {};
  const number = me.host;
  const hosting = Boolean(block) && number !== null && number !== undefined && number === me.table;
  section.hidden = !hosting;
  if (!hosting) return;
  const notes = state.notes.filter((n) => n.block === block.id && n.table === number && n.kind !== "harvest" && !n.hidden);
  const rounds = block.rounds.filter((r) => r.status !== "pending" || notes.some((n) => n.round === r.id));
  const container = byId("cloth-rounds", HTMLElement);
  keepFocus(container, () =>
    container.replaceChildren(
      ...rounds.map((round) => {
        const mine = notes.filter((n) => n.round === round.id);
        const heading = `cloth-round-${round.id}`;
        return el(
          "section",
          { class: "cloth__round", "aria-labelledby": heading },
          el("h3", { id: heading, class: "cloth__heading" }, shown(round, "title") || format(t.roundNumber, { number: round.position + 1 })),
          el("p", { class: "cloth__question" }, shown(round, "question")),
          mine.length
            ? el("ol", { class: "cloth__notes" }, mine.map(clothNote))
            : el("p", { class: "help" }, t.noNoteYet),
        );
      }),
    ),
  );
}

function clothNote(note) {
  return el(
    "li",
    { class: "cloth__note", "data-note": note.id, "data-color": note.color || "yellow", "data-starred": String(Boolean(note.starred)) },
    el("p", { class: "cloth__text" }, shown(note, "text")),
    note.author ? el("p", { class: "cloth__author" }, note.author) : null,
    el(
      "button",
      { type: "button", class: "star", "aria-pressed": String(Boolean(note.starred)), "data-star": note.id, "data-key": `star-${note.id}` },
      el("span", { class: "star__icon", "aria-hidden": "true" }, note.starred ? "★" : "☆"),
      el("span", {}, note.starred ? t.starred : t.star),
    ),
  );
}

// --- the harvest: the host posts the table's key ideas; everyone at the table sees them

function renderHarvest() {
  const section = byId("harvest", HTMLElement);
  const block = cafeBlock(state);
  const me = state.me ?? {};
  const table = block ? tableOf(block, me.table) : null;
  const ideas = table ? state.notes.filter((n) => n.kind === "harvest" && n.block === block.id && n.table === table.number && !n.hidden) : [];
  const open = Boolean(table) && block.harvest === "open";
  section.hidden = !table || (!open && !(block.harvest === "closed" && ideas.length));
  if (section.hidden) return;
  const host = open && me.host === table.number;
  harvestForm.hidden = !host;
  byId("harvest-help-host", HTMLElement).hidden = !host;
  byId("harvest-help-guest", HTMLElement).hidden = host || !open;
  const posted = new Set(ideas.map((n) => n.id));
  const waiting = host ? ideasOut.items.filter((n) => !posted.has(n.id)) : [];
  byId("harvest-list", HTMLUListElement).replaceChildren(
    ...waiting.map((n) => ideaItem(n, "waiting")),
    ...ideas.slice().reverse().map((n) => ideaItem(n, "sent")),
  );
}

function ideaItem(note, status) {
  return el(
    "li",
    { class: "mine__note harvest__idea", "data-note": note.id, "data-status": status },
    el("p", { class: "mine__text" }, shown(note, "text")),
    status === "waiting" ? el("p", { class: "mine__state" }, t.waiting) : null,
  );
}

// --- where to sit next

function shownMove() {
  const block = cafeBlock(state);
  if (!block || block.harvest !== "none") return null; // once the harvest opens, nobody moves
  const move = announced ?? state.me?.move ?? null;
  if (!move || dismissed === `${move.round}:${move.table}`) return null;
  return move;
}

function renderMove() {
  const move = shownMove();
  if (!move) {
    if (dialog.open) dialog.close();
    return;
  }
  const me = state.me ?? {};
  const hosting = Boolean(move.host) || me.host === move.table;
  const staying = !hosting && me.table === move.table && move.by !== "facilitator";
  setText("move-title", hosting ? t.stayHost : format(staying ? t.stayAt : t.goTo, { number: move.table }));
  setText("move-number", String(move.table));
  setText("move-theme", tableTheme(state, move.table));
  setText(
    "move-brief",
    hosting ? format(t.hostBrief, { number: move.table }) : move.by === "facilitator" ? format(t.movedBy, { number: move.table }) : "",
  );
  byId("move-table", HTMLInputElement).value = String(move.table);
  setText("move-here", hosting ? t.gotIt : t.imHere);
  byId("move-elsewhere", HTMLAnchorElement).hidden = hosting;
  dialog.dataset.table = String(move.table);
  dialog.dataset.host = String(hosting);
  if (!dialog.open) {
    setText("move-error", "");
    dialog.showModal();
  }
  tickMove();
}

function tickMove() {
  const move = dialog.open ? shownMove() : null;
  const until = move ? move.until ?? movingUntil.get(move.round) : null;
  const left = until ? clock.secondsUntil(until) : null;
  setText("move-timer", left ? format(t.moveLeft, { time: clockText(left) }) : "");
}

function dismissMove() {
  const move = shownMove();
  if (move) dismissed = `${move.round}:${move.table}`;
  announced = null;
  if (dialog.open) dialog.close();
  const picker = byId("table-picker", HTMLDetailsElement);
  picker.open = true;
  picker.querySelector("summary").focus();
  picker.scrollIntoView({ block: "start" });
}

// --- the person's own notes

function noteItem(note, status, error) {
  const item = el(
    "li",
    { class: "mine__note", "data-note": note.id, "data-color": note.color || "yellow", "data-status": status },
    el("p", { class: "mine__text" }, shown(note, "text")),
    el("p", { class: "mine__state" }, status === "sent" ? sentState(note) : { waiting: t.waiting, failed: t.failed }[status]),
  );
  if (error) item.append(el("p", { class: "mine__error" }, error)); // said once by the status line
  if (status === "failed") {
    item.append(el("button", { type: "button", class: "button button--small", "data-rewrite": note.id }, t.writeAgain));
  }
  return item;
}

/** A sent note in a moderated or reveal round says it is not on the board yet (issue 15). */
function sentState(note) {
  if (note.approved === false) return t.awaitingApproval;
  return note.revealed === false ? t.notShown : t.sent;
}

function renderNotes() {
  const mine = new Set(state?.me?.notes ?? []);
  const sent = (state?.notes ?? []).filter((n) => mine.has(n.id) && !n.hidden && n.kind !== "harvest").reverse();
  const items = [
    ...failed.map((n) => noteItem(n, "failed", n.error)),
    ...notesOut.items.slice().reverse().map((n) => noteItem(n, "waiting", n.error)),
    ...sent.map((n) => noteItem(n, "sent")),
  ];
  if (!state) {
    // Before the first join: keep what the server rendered, add what waits on this phone.
    const known = new Set(Array.from(list.children, (li) => li.dataset.note));
    list.prepend(...items.filter((li) => !known.has(li.dataset.note)));
  } else {
    list.replaceChildren(...items);
  }
  byId("no-notes", HTMLElement).hidden = list.children.length > 0;
}

let lastAnnounced = null;
function tick() {
  const round = state ? currentRound(state) : null;
  const timer = byId("timer", HTMLElement);
  if (state && openSpaceBlock(state) && round?.status !== "running") {
    timer.textContent = ""; // an Open Space block without a running round: no countdown to show
    timer.dataset.status = "none";
  } else if (state) {
    timer.textContent = roundTimerText(round, clock, t);
    timer.dataset.status = timerState(round, clock);
  } else if (root.dataset.ends) {
    const left = clock.secondsUntil(root.dataset.ends);
    timer.textContent = roundTimerText({ status: "running", ends_at: root.dataset.ends }, clock, t);
    timer.dataset.status = left === 0 ? "over" : "running";
  }
  announce(round);
  if (state) tickMove();
}

// Screen readers hear the time at a few moments, not every second.
function announce(round) {
  if (!round || round.status !== "running") return;
  const left = clock.secondsUntil(round.ends_at);
  if (left === null) return;
  const minutes = Math.ceil(left / 60);
  let message = null;
  if (left === 0) message = t.timeUp;
  else if (minutes <= 5 || minutes % 5 === 0) message = format(t.minutesLeft, { minutes });
  if (message && message !== lastAnnounced) {
    if (lastAnnounced !== null) setText("timer-live", message);
    lastAnnounced = message;
  }
}

function updateCounter() {
  const length = textarea.value.length;
  counter.textContent = format(length > maxLength ? t.tooLong : t.count, { count: length, max: maxLength });
  counter.dataset.state = length > maxLength ? "over" : length > maxLength * 0.9 ? "near" : "ok";
}

function sayIn(id, message, kind = "info") {
  const line = document.getElementById(id);
  line.textContent = message ?? "";
  line.dataset.kind = kind;
}

const say = (message, kind) => sayIn("note-status", message, kind);
const tableSay = (message, kind) => sayIn("table-status", message, kind);
const errorText = (ack) => ack.error?.message || t.noAnswer;

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);
const openSpace = phoneOpenSpace({
  socket,
  store,
  t,
  getState: () => state,
  isJoined: () => joined,
  refresh: () => refresh(),
  remember: (note) => remember(note),
});

socket.on("connect", () => join());
socket.on("disconnect", () => {
  joined = false;
  delete root.dataset.joined;
  notesOut.forget();
  ideasOut.forget();
});

async function join() {
  // A passport scanned: this phone is its attendee now, whoever it was before.
  const passport = root.dataset.passport === "1" ? root.dataset.sessionToken : null;
  const token = passport || store.get("token", null) || root.dataset.sessionToken || undefined;
  const payload = { code, role: "participant", lang: document.documentElement.lang, participant: token };
  if (queryTable) payload.scanned = queryTable; // a walk-in is planned at the card's table
  const ack = await joinPatiently(socket, payload, () => say(t.joinWait, "info"));
  if (!ack.ok) {
    if (ack.error.message) say(ack.error.message, "error");
    return;
  }
  if (byId("note-status", HTMLElement).textContent === t.joinWait) say("");
  store.set("token", ack.participant);
  if (passport) {
    delete root.dataset.passport;
    const address = new URL(window.location.href);
    address.searchParams.delete("passport");
    window.history.replaceState(null, "", address);
  }
  const first = state === null;
  joined = true;
  applyState(ack.state);
  syncAboutMe();
  // The server rendered the picker open for a phone it did not know (no cookie): this one is seated.
  if (first && state.me?.table !== null && state.me?.table !== undefined) byId("table-picker", HTMLDetailsElement).open = false;
  if (queryTable) {
    // The card scanned: the phone sits at its table (within the table's capacity). A reload must
    // not undo a later change, so the table leaves the address.
    const wanted = queryTable;
    const url = new URL(window.location.href);
    url.searchParams.delete("table");
    window.history.replaceState(null, "", url);
    // Expected at another table by the plan: ask (#elsewhere), never move silently (issue 16).
    const expected = state.me?.expected ?? null;
    const ask = byId("elsewhere", HTMLFormElement);
    if (expected !== null && expected !== wanted && state.me?.table !== wanted && ask) {
      setText("elsewhere-text", format(t.expectedElsewhere, { expected, table: wanted }));
      setText("elsewhere-yes", format(t.sitAt, { number: wanted }));
      setText("elsewhere-no", format(t.goTo, { number: expected }));
      control(ask, "table").value = String(wanted);
      ask.hidden = false;
    } else if (state.me?.table !== wanted) {
      await sitAt(wanted);
    }
    queryTable = null;
  }
  root.dataset.joined = "true"; // for people's eyes nothing; for tests, "the live page is ready"
  flush();
}

/** The name and sector fields show what the server knows, unless the person is editing them. */
function syncAboutMe() {
  const name = byId("name", HTMLInputElement);
  if (document.activeElement !== name && name.value === name.defaultValue) name.value = state.me?.name ?? "";
  const sector = byId("sector", HTMLSelectElement);
  if (sector && document.activeElement !== sector) sector.value = state.me?.sector ?? "";
}

function applyState(next) {
  state = next;
  clock.sync(next.now);
  // Notes stored by an earlier send whose ack was lost: the outboxes let them go.
  const stored = new Set(next.me?.notes ?? []);
  notesOut.drop((n) => stored.has(n.id));
  ideasOut.drop((n) => stored.has(n.id));
  openSpace.settle(next);
  // Arrived at the announced table (a card scanned, another tab): the move is done.
  if (announced && !announced.by && !next.me?.move && next.me?.table === announced.table) announced = null;
  saveBoxes();
  render();
}

async function refresh() {
  if (!joined) return;
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
}

/** Sits at a table (table:arrive): the server checks the table exists and has room. */
async function sitAt(table) {
  const ack = await request(socket, "table:arrive", { table });
  if (!ack.ok) {
    tableSay(errorText(ack), "error");
    const picker = byId("table-picker", HTMLDetailsElement);
    if (!picker.hidden) picker.open = true;
    return ack;
  }
  announced = null;
  applyState(ack.state);
  tableSay(format(t.seated, { number: ack.table }));
  return ack;
}

function flush() {
  if (!joined) return;
  notesOut.flush(socket);
  ideasOut.flush(socket);
  openSpace.flush();
}

function remember(note) {
  if (!state) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  if (state.me && !state.me.notes.includes(note.id)) state.me.notes.push(note.id);
}

socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  const waiting = notesOut.has(note.id) || ideasOut.has(note.id);
  if (waiting) {
    notesOut.drop((n) => n.id === note.id);
    ideasOut.drop((n) => n.id === note.id);
    remember(note);
  } else if (!state.notes.some((n) => n.id === note.id)) {
    state.notes.push(note);
  }
  render();
});
socket.on("note:hidden", ({ note }) => {
  if (!state) return;
  state.notes = state.notes.filter((n) => n.id !== note);
  render();
});
socket.on("note:shown", () => refresh());
// Notes revealed or approved together (facilitation modes): this phone's copies, as they now stand.
socket.on("notes:shown", (/** @type {import("./shapes.js").NotesShownJSON} */ payload) => {
  if (!state || !payload?.notes) return;
  const ids = new Set(payload.notes.map((n) => n.id));
  state.notes = state.notes.filter((n) => !ids.has(n.id)).concat(payload.notes);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  render();
});
socket.on("note:starred", ({ note, starred }) => {
  const found = state?.notes.find((n) => n.id === note);
  if (!found) return;
  found.starred = Boolean(starred);
  renderCloth();
});
for (const event of ["round:started", "round:extended", "round:closed", "round:skipped", "round:settings"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload);
    if (event === "round:started") {
      // The round began: whoever has not moved stays where they are.
      announced = null;
      if (state.me) state.me.move = null;
    }
    render();
    if (event === "round:started" && joined) flush(); // the notes written before it go now
  });
}
socket.on("block:changed", (payload) => {
  clock.sync(payload?.now);
  announced = null;
  refresh();
});
socket.on("table:move", (payload) => {
  if (!state || !payload) return;
  announced = { ...payload };
  dismissed = null;
  if (payload.by === "facilitator") refresh(); // already seated there: the new table's notes
  render();
});
// The round began and the plan seated this phone at its table: the table's room and notes follow.
socket.on("table:seated", (payload) => {
  if (!state || !payload) return;
  announced = null;
  if (state.me) state.me.move = null;
  if (joined) sitAt(payload.table);
});
socket.on("tables:moving", (payload) => {
  if (!payload) return;
  clock.sync(payload.now);
  if (payload.until) movingUntil.set(payload.round, payload.until);
  if (state) tickMove();
});
socket.on("table:hosted", (payload) => {
  if (!state || !payload) return;
  const table = state.blocks.find((b) => b.id === payload.block)?.tables.find((each) => each.number === payload.table);
  if (table) {
    table.host = payload.host;
    table.host_id = payload.host_id;
  }
  render();
  refresh(); // whether this phone still hosts, and the tablecloth if it now does
});
for (const [event, status] of [["harvest:opened", "open"], ["harvest:closed", "closed"], ["harvest:cancelled", "none"]]) {
  socket.on(event, (payload) => {
    const block = state?.blocks.find((b) => b.id === payload?.block);
    if (!block) return;
    block.harvest = status;
    if (status === "open") announced = null;
    render();
  });
}

// --- the forms: sent through the socket when it is up; the plain POST is the fallback

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = textarea.value;
  if (!text.trim()) {
    textarea.focus();
    return;
  }
  const color = find(form, "input[name=color]:checked", HTMLInputElement)?.value || null;
  const round = currentRound(state);
  const item = { id: uuid(), text, color, round: round?.status === "running" ? round.id : null };
  notesOut.add(item);
  textarea.value = "";
  updateCounter();
  byId("form-error", HTMLElement)?.remove();
  textarea.removeAttribute("aria-invalid");
  say(round?.status !== "running" ? t.held : joined ? t.waiting : t.queued);
  render();
  if (joined) notesOut.send(socket, item);
});

harvestForm.addEventListener("submit", (event) => {
  if (!joined) return; // the plain form posts it
  event.preventDefault();
  const text = harvestText.value;
  if (!text.trim()) {
    harvestText.focus();
    return;
  }
  const item = { id: uuid(), text };
  ideasOut.add(item);
  harvestText.value = "";
  sayIn("harvest-status", t.waiting);
  render();
  ideasOut.send(socket, item);
});

// Another table's card, while the plan expects this phone elsewhere: the page asks (#elsewhere);
// "Sit at table N" sits there through the socket, "Go to table M" just leaves the question.
byId("elsewhere", HTMLFormElement)?.addEventListener("submit", async (event) => {
  if (!joined) return; // the plain form does it
  event.preventDefault();
  const form = /** @type {HTMLFormElement} */ (event.currentTarget);
  const table = Number(control(form, "table").value);
  const ack = await sitAt(table);
  if (ack.ok) form.remove();
});

byId("table-form", HTMLFormElement).addEventListener("submit", async (event) => {
  if (!joined) return; // the plain form does it
  event.preventDefault();
  const table = Number(/** @type {SubmitEvent} */ (event).submitter?.getAttribute("value"));
  if (!table) return;
  const ack = await sitAt(table);
  if (ack.ok) byId("table-picker", HTMLDetailsElement).open = false;
});

byId("host-form", HTMLFormElement).addEventListener("submit", async (event) => {
  if (!joined) return;
  event.preventDefault();
  const table = Number(byId("host-table", HTMLInputElement).value);
  if (!table) return;
  const button = targetOf(event).querySelector("button");
  button.disabled = true;
  const ack = await request(socket, "table:host", { table });
  button.disabled = false;
  if (!ack.ok) {
    tableSay(errorText(ack), "error");
    refresh(); // someone else took it: the page shows who
    return;
  }
  applyState(ack.state); // the host line (a status region) says "You host table N."
  tableSay("");
});

byId("move-form", HTMLFormElement).addEventListener("submit", async (event) => {
  if (!joined) return;
  event.preventDefault();
  const table = Number(byId("move-table", HTMLInputElement).value);
  if (!table) return;
  const button = byId("move-here", HTMLButtonElement);
  button.disabled = true;
  const ack = await request(socket, "table:arrive", { table });
  button.disabled = false;
  if (!ack.ok) {
    setText("move-error", errorText(ack));
    return;
  }
  announced = null;
  dismissed = null;
  applyState(ack.state);
  tableSay(ack.me?.host === table ? "" : format(t.seated, { number: table })); // a host reads the host line
});

byId("move-elsewhere", HTMLAnchorElement).addEventListener("click", (event) => {
  if (!state) return; // without the live page, the link leads to the table picker
  event.preventDefault();
  dismissMove();
});
dialog.addEventListener("cancel", (event) => {
  // Escape: for a host, the same as "Got it" later; for the others, "I took another seat".
  event.preventDefault();
  if (dialog.dataset.host === "true") {
    const move = shownMove();
    if (move) dismissed = `${move.round}:${move.table}`;
    announced = null;
    dialog.close();
  } else {
    dismissMove();
  }
});

byId("cloth-rounds", HTMLElement).addEventListener("click", async (event) => {
  const button = /** @type {HTMLButtonElement | null} */ (targetOf(event).closest("[data-star]"));
  if (!button || !joined) return;
  const note = state.notes.find((n) => n.id === button.dataset.star);
  if (!note) return;
  const starred = !note.starred;
  button.disabled = true;
  const ack = await request(socket, "note:star", { note: note.id, starred });
  button.disabled = false;
  if (!ack.ok) {
    sayIn("cloth-status", errorText(ack), "error");
    return;
  }
  sayIn("cloth-status", "");
  note.starred = starred;
  renderCloth();
});

byId("name-form", HTMLFormElement).addEventListener("submit", async (event) => {
  if (!joined) return;
  event.preventDefault();
  const name = byId("name", HTMLInputElement).value.trim();
  const sector = byId("sector", HTMLSelectElement)?.value || undefined;
  const ack = await request(socket, "join", {
    code,
    role: "participant",
    lang: document.documentElement.lang,
    participant: store.get("token", null) || undefined,
    name,
    sector,
  });
  if (ack.ok) {
    store.set("token", ack.participant);
    applyState(ack.state);
    sayIn("name-status", t.saved);
  } else {
    sayIn("name-status", ack.error.message, "error");
  }
});

list.addEventListener("click", (event) => {
  const button = targetOf(event).closest("[data-rewrite]");
  if (!button) return;
  const entry = failed.find((n) => n.id === button.dataset.rewrite);
  failed = failed.filter((n) => n.id !== button.dataset.rewrite);
  if (entry && textarea.value.trim() !== entry.text.trim()) {
    textarea.value = textarea.value.trim() ? `${textarea.value}\n${entry.text}` : entry.text;
  }
  saveBoxes();
  updateCounter();
  render();
  textarea.focus();
});

textarea.addEventListener("input", updateCounter);
updateCounter();
renderNotes();
tick();
setInterval(tick, 1000);
// An ack lost while the socket stayed up: try again now and then, with the same ids.
setInterval(() => {
  if (joined) flush();
}, 15000);
