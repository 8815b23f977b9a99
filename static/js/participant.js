// The phone page: joins with the token kept on the phone, posts notes through an outbox kept in
// localStorage (each note keeps its id until the server acknowledges it), follows the rounds.
import {
  ServerClock,
  applyRoundEvent,
  connect,
  connectionBanner,
  currentBlock,
  currentRound,
  el,
  format,
  readStrings,
  request,
  roundTimerText,
  setText,
  tableTheme,
  timerState,
  uuid,
} from "./common.js";

const root = document.getElementById("participant");
const t = readStrings();
const code = root.dataset.code;
const maxLength = Number(root.dataset.max) || 500;
const clock = new ServerClock(root.dataset.now);
// Errors after which sending the same note again cannot succeed: the text goes back to the person.
const TRANSIENT = new Set(["timeout", "internal", "not_joined"]);

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

let outbox = store.get("outbox", []); // [{id, text, color, round}] not yet acknowledged
let failed = store.get("failed", []); // [{id, text, color, error}] refused for good; text kept
let state = null;
let joined = false;
let queryTable = root.dataset.table ? Number(root.dataset.table) : null;
const inflight = new Set();

const form = document.getElementById("note-form");
const textarea = document.getElementById("note-text");
const counter = document.getElementById("note-count");
const noteStatus = document.getElementById("note-status");
const list = document.getElementById("my-notes");

function saveBoxes() {
  store.set("outbox", outbox);
  store.set("failed", failed);
}

// --- rendering

function render() {
  if (state) {
    const block = currentBlock(state);
    const round = currentRound(state);
    setText("block-title", block ? block.title : state.workshop.title);
    setText("round-title", round?.title ?? "");
    const question = setText("question", round ? round.question : "");
    question.hidden = !round;
    renderTable(block);
    tick();
  }
  renderNotes();
}

function renderTable(block) {
  const me = state.me ?? {};
  const tables = block ? block.tables : [];
  const current = document.getElementById("my-table");
  const known = me.table !== null && me.table !== undefined;
  current.hidden = tables.length === 0 || !known; // an Open Space block has no tables
  setText("my-table-number", known ? format(t.table, { number: me.table }) : t.noTable);
  setText("my-table-theme", known ? tableTheme(state, me.table) : "");

  const picker = document.getElementById("table-picker");
  picker.hidden = tables.length === 0;
  const summary = document.getElementById("picker-summary");
  summary.textContent = known ? summary.dataset.change : summary.dataset.choose;
  if (!known && tables.length) picker.open = true;
  const buttons = tables.map((table) =>
    el(
      "button",
      { type: "submit", name: "table", value: table.number, class: "picker__table", "aria-pressed": String(table.number === me.table) },
      el("span", { class: "picker__number" }, format(t.table, { number: table.number })),
      table.theme ? el("span", { class: "picker__theme" }, table.theme) : null,
    ),
  );
  document.getElementById("picker-tables").replaceChildren(...buttons);
}

function noteItem(note, status, error) {
  const item = el(
    "li",
    { class: "mine__note", "data-note": note.id, "data-color": note.color || "yellow", "data-status": status },
    el("p", { class: "mine__text" }, note.text),
    el("p", { class: "mine__state" }, { sent: t.sent, waiting: t.waiting, failed: t.failed }[status]),
  );
  if (error) item.append(el("p", { class: "mine__error" }, error)); // said once by the status line
  if (status === "failed") {
    item.append(el("button", { type: "button", class: "button button--small", "data-rewrite": note.id }, t.writeAgain));
  }
  return item;
}

function renderNotes() {
  const mine = new Set(state?.me?.notes ?? []);
  const sent = (state?.notes ?? []).filter((n) => mine.has(n.id) && !n.hidden).reverse();
  const items = [
    ...failed.map((n) => noteItem(n, "failed", n.error)),
    ...outbox.slice().reverse().map((n) => noteItem(n, "waiting", n.error)),
    ...sent.map((n) => noteItem(n, "sent")),
  ];
  if (!state) {
    // Before the first join: keep what the server rendered, add what waits on this phone.
    const known = new Set(Array.from(list.children, (li) => li.dataset.note));
    list.prepend(...items.filter((li) => !known.has(li.dataset.note)));
  } else {
    list.replaceChildren(...items);
  }
  document.getElementById("no-notes").hidden = list.children.length > 0;
}

let lastAnnounced = null;
function tick() {
  const round = state ? currentRound(state) : null;
  const timer = document.getElementById("timer");
  if (state) {
    timer.textContent = roundTimerText(round, clock, t);
    timer.dataset.status = timerState(round, clock);
  } else if (root.dataset.ends) {
    const left = clock.secondsUntil(root.dataset.ends);
    timer.textContent = roundTimerText({ status: "running", ends_at: root.dataset.ends }, clock, t);
    timer.dataset.status = left === 0 ? "over" : "running";
  }
  announce(round);
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

function say(message, kind = "info") {
  noteStatus.textContent = message ?? "";
  noteStatus.dataset.kind = kind;
}

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);

socket.on("connect", () => join());
socket.on("disconnect", () => {
  joined = false;
  delete root.dataset.joined;
  inflight.clear();
});

async function join() {
  const token = store.get("token", null) || root.dataset.sessionToken || undefined;
  const payload = { code, role: "participant", lang: document.documentElement.lang, participant: token };
  if (queryTable) payload.table = queryTable;
  const ack = await request(socket, "join", payload);
  if (!ack.ok) {
    if (ack.error.message) say(ack.error.message, "error");
    return;
  }
  if (queryTable) {
    // The table of the QR code is now the phone's: a reload must not undo a later change.
    queryTable = null;
    const url = new URL(window.location.href);
    url.searchParams.delete("table");
    window.history.replaceState(null, "", url);
  }
  store.set("token", ack.participant);
  joined = true;
  root.dataset.joined = "true"; // for people's eyes nothing; for tests, "the live page is ready"
  applyState(ack.state);
  flush();
}

function applyState(next) {
  state = next;
  clock.sync(next.now);
  // Notes stored by an earlier send whose ack was lost: the outbox lets them go.
  const stored = new Set(next.me?.notes ?? []);
  outbox = outbox.filter((n) => !stored.has(n.id));
  saveBoxes();
  render();
}

async function refresh() {
  if (!joined) return;
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
}

function flush() {
  for (const item of outbox) send(item);
}

async function send(item) {
  if (!joined || inflight.has(item.id)) return;
  inflight.add(item.id);
  const payload = { id: item.id, text: item.text };
  if (item.color) payload.color = item.color;
  if (item.round) payload.round = item.round;
  const ack = await request(socket, "note:post", payload);
  inflight.delete(item.id);
  if (ack.ok) {
    outbox = outbox.filter((n) => n.id !== item.id);
    remember(ack.note);
    say(t.posted);
  } else if (TRANSIENT.has(ack.error.code)) {
    // Kept with the same id: resent on the next reconnect or retry, stored once by the server.
    if (ack.error.message) item.error = ack.error.message;
  } else {
    outbox = outbox.filter((n) => n.id !== item.id);
    failed.push({ id: item.id, text: item.text, color: item.color, error: ack.error.message });
    if (!textarea.value.trim()) {
      textarea.value = item.text;
      updateCounter();
    }
    say(ack.error.message, "error");
  }
  saveBoxes();
  render();
}

function remember(note) {
  if (!state) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  if (state.me && !state.me.notes.includes(note.id)) state.me.notes.push(note.id);
}

socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  const waiting = outbox.some((n) => n.id === note.id);
  if (waiting) {
    outbox = outbox.filter((n) => n.id !== note.id);
    saveBoxes();
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
for (const event of ["round:started", "round:extended", "round:closed"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload);
    render();
  });
}
socket.on("block:changed", (payload) => {
  clock.sync(payload?.now);
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
  const color = form.querySelector("input[name=color]:checked")?.value || null;
  const round = currentRound(state);
  const item = { id: uuid(), text, color, round: round?.status === "running" ? round.id : null };
  outbox.push(item);
  saveBoxes();
  textarea.value = "";
  updateCounter();
  document.getElementById("form-error")?.remove();
  textarea.removeAttribute("aria-invalid");
  say(joined ? t.waiting : t.queued);
  render();
  send(item);
});

document.getElementById("table-form").addEventListener("submit", async (event) => {
  if (!joined) return; // the plain form does it
  event.preventDefault();
  const table = Number(event.submitter?.value);
  if (!table) return;
  const ack = await request(socket, "table:arrive", { table });
  if (!ack.ok) {
    say(ack.error.message, "error");
    return;
  }
  document.getElementById("table-picker").open = false;
  applyState(ack.state);
  say(t.saved);
});

document.getElementById("name-form").addEventListener("submit", async (event) => {
  if (!joined) return;
  event.preventDefault();
  const name = document.getElementById("name").value.trim();
  const ack = await request(socket, "join", {
    code,
    role: "participant",
    lang: document.documentElement.lang,
    participant: store.get("token", null) || undefined,
    name,
  });
  if (ack.ok) {
    store.set("token", ack.participant);
    applyState(ack.state);
    say(t.saved);
  } else {
    say(ack.error.message, "error");
  }
});

list.addEventListener("click", (event) => {
  const button = event.target.closest("[data-rewrite]");
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
