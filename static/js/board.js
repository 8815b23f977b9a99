// The projected board: joins as "board", rebuilds from the full state on every (re)connection,
// then follows rounds, notes and presence live.
import {
  ServerClock,
  applyRoundEvent,
  connect,
  connectionBanner,
  currentBlock,
  currentRound,
  el,
  format,
  plural,
  readStrings,
  request,
  roundTimerText,
  setText,
  sticky,
  timerState,
} from "./common.js";

const root = document.getElementById("board");
const t = readStrings();
const code = root.dataset.code;
const clock = new ServerClock(root.dataset.now);
const wall = document.getElementById("wall");
let state = null;
let presence = { phones: 0, tables: {} };

function columnsFor(block) {
  const tables = block ? block.tables : [];
  const numbers = new Set(tables.map((table) => table.number));
  const round = currentRound(state);
  const notes = round ? state.notes.filter((n) => n.round === round.id && !n.hidden) : [];
  const columns = tables.map((table) => ({ ...table, notes: notes.filter((n) => n.table === table.number) }));
  const others = notes.filter((n) => !numbers.has(n.table));
  if (others.length || !tables.length) columns.push({ number: null, theme: null, notes: others });
  return columns;
}

function column(spec, index) {
  const id = `column-${index + 1}`;
  return el(
    "section",
    { class: "column", "data-table": spec.number ?? "", "aria-labelledby": id },
    el(
      "header",
      { class: "column__head" },
      el("h2", { id, class: "column__title" }, spec.number !== null ? format(t.table, { number: spec.number }) : t.notes),
      spec.theme ? el("p", { class: "column__theme" }, spec.theme) : null,
      el("p", { class: "column__count", "data-presence": "" }),
    ),
    el("ol", { class: "column__notes", "aria-live": "polite" }, spec.notes.slice().reverse().map(sticky)),
  );
}

function render() {
  const block = currentBlock(state);
  const round = currentRound(state);
  setText("block-title", block ? block.title : state.workshop.title);
  setText("round-title", round?.title ?? "");
  setText("question", round ? round.question : t.noRound);
  const columns = columnsFor(block);
  wall.dataset.count = String(columns.length);
  wall.replaceChildren(...columns.map(column));
  renderPresence();
  tick();
}

function renderPresence() {
  setText("presence", plural(presence.phones ?? 0, t));
  for (const section of wall.querySelectorAll(".column")) {
    const count = presence.tables?.[section.dataset.table] ?? 0;
    section.querySelector("[data-presence]").textContent = count ? format(t.atTable, { count }) : "";
  }
}

function tick() {
  const timer = document.getElementById("timer");
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  if (!state && !round) return;
  timer.textContent = round ? roundTimerText(round, clock, t) : ""; // the question line says it
  timer.dataset.status = timerState(round, clock);
}

function addNote(note) {
  const round = currentRound(state);
  if (!round || note.round !== round.id || note.hidden) return;
  let section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  if (!section) {
    render(); // a note for a table without a column yet: the "other notes" column appears
    section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  }
  if (!section || section.querySelector(`[data-note="${CSS.escape(note.id)}"]`)) return;
  const item = sticky(note);
  item.classList.add("sticky--new");
  section.querySelector(".column__notes").prepend(item);
}

const socket = connect();
connectionBanner(socket, t.offline);

socket.on("connect", async () => {
  const ack = await request(socket, "join", { code, role: "board", lang: document.documentElement.lang });
  if (!ack.ok) return;
  state = ack.state;
  presence = ack.presence ?? presence;
  clock.sync(state.now);
  render();
});

socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  addNote(note);
});
socket.on("note:hidden", ({ note }) => {
  if (!state) return;
  state.notes = state.notes.filter((n) => n.id !== note);
  wall.querySelector(`[data-note="${CSS.escape(note)}"]`)?.remove();
});
socket.on("note:shown", ({ note }) => {
  if (!state || !note) return;
  state.notes = state.notes.filter((n) => n.id !== note.id).concat([note]);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  render();
});
for (const event of ["round:started", "round:extended", "round:closed"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload);
    render();
  });
}
socket.on("block:changed", async (payload) => {
  clock.sync(payload?.now);
  const ack = await request(socket, "state:get", {});
  if (ack.ok) {
    state = ack.state;
    render();
  }
});
socket.on("presence:updated", (payload) => {
  presence = payload ?? presence;
  renderPresence();
});

tick();
setInterval(tick, 1000);
