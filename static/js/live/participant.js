// The phone page: joins with the token kept on the phone, posts notes through an outbox kept in
// localStorage (each note keeps its id until the server acknowledges it), follows the rounds.
// In a World Café: the table, hosting it, the tablecloth, where to sit next, the harvest
// (phone-cafe.js). In an Open Space block: the marketplace, my sessions, the wall and the vote
// (phone-openspace.js). "My notes" is phone-notes.js; the markup of every repeated item comes from
// the page's <template>s.
import {
  ServerClock,
  joinPatiently,
  applyRoundEvent,
  connect,
  connectionBanner,
  currentBlock,
  currentRound,
  format,
  readStrings,
  request,
  roundTimerText,
  sayIn,
  setText,
  shown,
  timerState,
  uuid,
} from "../common.js";
import { blockQuestion, openSpaceBlock } from "../openspace.js";
import { phoneCafe } from "../cafe/phone-cafe.js";
import { renderNotes } from "./phone-notes.js";
import { phoneOpenSpace } from "../openspace/phone-openspace.js";
import { phoneStore } from "./phone-store.js";
import { byId, find, findAll, targetOf } from "../dom.js";
import { Outbox } from "../outbox.js";

const root = byId("participant", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const maxLength = Number(root.dataset.max) || 500;
const clock = new ServerClock(root.dataset.now);
const store = phoneStore(code);
// A note written while no round is open waits in the outbox for the next round to start.
const held = (item, code) => code === "no_running_round" || (code === "round_closed" && !item.round);

let failed = store.get("failed", []); // [{id, text, color, error}] refused for good; text kept
let state = null;
let joined = false;
let queryTable = root.dataset.table ? Number(root.dataset.table) : null;

const form = byId("note-form", HTMLFormElement);
const textarea = byId("note-text", HTMLTextAreaElement);
const counter = byId("note-count", HTMLElement);
const list = byId("my-notes", HTMLUListElement);

const say = (message, kind) => sayIn("note-status", message, kind);

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

// --- the socket, and the World Café and Open Space parts

const socket = connect();
connectionBanner(socket, t.offline);
const parts = {
  socket,
  store,
  t,
  getState: () => state,
  isJoined: () => joined,
  refresh: () => refresh(),
  remember: (note) => remember(note),
};
const cafe = phoneCafe({ ...parts, clock, applyState: (next) => applyState(next), changed: () => render() });
const openSpace = phoneOpenSpace(parts);

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
    // The round's facilitation modes (issue 15), said before anyone types: the page holds each sentence.
    const modes = byId("note-modes", HTMLElement);
    for (const line of findAll(modes, "[data-mode]", HTMLElement)) line.hidden = !round?.[line.dataset.mode];
    modes.hidden = !findAll(modes, "[data-mode]:not([hidden])", HTMLElement).length;
    cafe.render(state, block, !queryTable); // not while the card's table is being taken
    openSpace.render();
    tick();
  }
  renderNotes(list, state, failed, notesOut.items);
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
  if (state) cafe.tickMove();
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

// --- joining, and the state

socket.on("connect", () => join());
socket.on("disconnect", () => {
  joined = false;
  delete root.dataset.joined;
  notesOut.forget();
  cafe.forget();
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
    await cafe.scanned(wanted);
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
  cafe.settle(next);
  openSpace.settle(next);
  saveBoxes();
  render();
}

async function refresh() {
  if (!joined) return;
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
}

function flush() {
  if (!joined) return;
  notesOut.flush(socket);
  cafe.flush();
  openSpace.flush();
}

function remember(note) {
  if (!state) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  if (state.me && !state.me.notes.includes(note.id)) state.me.notes.push(note.id);
}

// --- the live events of notes and rounds (the World Café's are phone-cafe.js's)

socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  const waiting = notesOut.has(note.id) || cafe.has(note.id);
  if (waiting) {
    notesOut.drop((n) => n.id === note.id);
    cafe.drop(note.id);
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
socket.on("notes:shown", (/** @type {import("../shapes.js").NotesShownJSON} */ payload) => {
  if (!state || !payload?.notes) return;
  const ids = new Set(payload.notes.map((n) => n.id));
  state.notes = state.notes.filter((n) => !ids.has(n.id)).concat(payload.notes);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  render();
});
for (const event of ["round:started", "round:extended", "round:closed", "round:skipped", "round:settings"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload);
    if (event === "round:started") {
      // The round began: whoever has not moved stays where they are.
      cafe.forgetMove();
      if (state.me) state.me.move = null;
    }
    render();
    if (event === "round:started" && joined) flush(); // the notes written before it go now
  });
}
socket.on("block:changed", (payload) => {
  clock.sync(payload?.now);
  cafe.forgetMove();
  refresh();
});

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

// "Write it again" on a note refused for good: its text goes back to the box.
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
render();
tick();
setInterval(tick, 1000);
// An ack lost while the socket stayed up: try again now and then, with the same ids.
setInterval(() => {
  if (joined) flush();
}, 15000);
