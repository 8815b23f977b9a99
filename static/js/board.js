// The projected board: joins as "board", rebuilds from the full state on every (re)connection,
// then follows rounds, notes and presence live. In a World Café: the hosts' names, starred notes,
// the "change tables" screen between rounds, and the harvest side by side. In an Open Space
// block: the agenda wall, the marketplace and the vote (board-openspace.js).
import {
  ServerClock,
  applyRoundEvent,
  clockText,
  connect,
  connectionBanner,
  currentBlock,
  currentRound,
  el,
  findRound,
  format,
  plural,
  readStrings,
  request,
  roundTimerText,
  setText,
  sticky,
  timerState,
} from "./common.js";
import { boardOpenSpace } from "./board-openspace.js";
import { blockQuestion, openSpaceBlock } from "./openspace.js";

const root = document.getElementById("board");
const t = readStrings();
const code = root.dataset.code;
const clock = new ServerClock(root.dataset.now);
const wall = document.getElementById("wall");
let state = null;
let presence = { phones: 0, tables: {} };

let moving = null; // the tables:moving payload while the "change tables" screen shows

/** The harvest replaces the round's notes once a World Café block's harvest opened (not while a round runs). */
function harvestShown(block, round) {
  if (!block || block.method !== "world-cafe" || !block.tables.length || block.harvest === "none") return false;
  return !round || round.status !== "running" || round.block !== block.id;
}

function columnsFor(block) {
  const tables = block ? block.tables : [];
  const round = currentRound(state);
  if (harvestShown(block, round)) {
    const ideas = state.notes.filter((n) => n.kind === "harvest" && n.block === block.id && !n.hidden);
    return tables.map((table) => ({ ...table, notes: ideas.filter((n) => n.table === table.number) }));
  }
  const numbers = new Set(tables.map((table) => table.number));
  const notes = round ? state.notes.filter((n) => n.round === round.id && !n.hidden) : [];
  const columns = tables.map((table) => ({ ...table, notes: notes.filter((n) => n.table === table.number) }));
  const others = notes.filter((n) => !numbers.has(n.table));
  if (others.length || !tables.length) columns.push({ number: null, theme: null, notes: others });
  return columns;
}

function hostText(table) {
  if (!table?.host_id) return "";
  return table.host ? format(t.host, { name: table.host }) : t.hostAnonymous;
}

function column(spec, index) {
  const id = `column-${index + 1}`;
  const host = hostText(spec);
  return el(
    "section",
    { class: "column", "data-table": spec.number ?? "", "aria-labelledby": id },
    el(
      "header",
      { class: "column__head" },
      el("h2", { id, class: "column__title" }, spec.number !== null ? format(t.table, { number: spec.number }) : t.notes),
      spec.theme ? el("p", { class: "column__theme" }, spec.theme) : null,
      host ? el("p", { class: "column__host" }, host) : null,
      el("p", { class: "column__count", "data-presence": "" }),
    ),
    el("ol", { class: "column__notes", "aria-live": "polite" }, spec.notes.slice().reverse().map((n) => sticky(n, t.starred))),
  );
}

function render() {
  const block = currentBlock(state);
  const round = currentRound(state);
  const harvest = harvestShown(block, round);
  const osBlock = openSpaceBlock(state);
  setText("block-title", block ? block.title : state.workshop.title);
  setText("round-title", harvest ? "" : round?.title ?? "");
  setText("question", harvest ? t.harvest : round ? round.question : osBlock ? blockQuestion(state, osBlock) : t.noRound);
  wall.hidden = Boolean(osBlock);
  openSpace.render();
  const columns = osBlock ? [] : columnsFor(block);
  wall.dataset.count = String(columns.length);
  wall.dataset.view = harvest ? "harvest" : "round";
  wall.replaceChildren(...columns.map(column));
  renderPresence();
  tick();
}

// --- "change tables": a countdown, the next question, how many people each table expects

function showMoving(payload) {
  moving = payload;
  const next = findRound(state, payload.round);
  setText("moving-next", next?.title ? format(t.nextRound, { title: next.title }) : "");
  setText("moving-question", next?.question ?? "");
  const block = state.blocks.find((b) => b.id === payload.block) ?? currentBlock(state);
  const tables = Object.entries(payload.tables ?? {})
    .map(([number, count]) => [Number(number), count])
    .sort(([a], [b]) => a - b);
  document.getElementById("moving-tables").replaceChildren(
    ...tables.map(([number, count]) => {
      const table = block?.tables.find((each) => each.number === number);
      const host = hostText(table);
      return el(
        "li",
        { class: "moving__table", "data-table": number },
        el("p", { class: "moving__number" }, format(t.table, { number })),
        table?.theme ? el("p", { class: "moving__theme" }, table.theme) : null,
        host ? el("p", { class: "moving__host" }, host) : null,
        el("p", { class: "moving__count" }, count === 0 ? t.expectedNone : count === 1 ? t.expectedOne : format(t.expected, { count })),
      );
    }),
  );
  tickMoving();
}

function tickMoving() {
  const section = document.getElementById("moving");
  const left = moving ? clock.secondsUntil(moving.until) : null;
  if (!moving || !left) {
    moving = null;
    section.hidden = true;
    delete document.body.dataset.moving;
    return;
  }
  setText("moving-timer", clockText(left));
  section.hidden = false;
  document.body.dataset.moving = "true";
}

function renderPresence() {
  setText("presence", plural(presence.phones ?? 0, t));
  for (const section of wall.querySelectorAll(".column")) {
    const count = presence.tables?.[section.dataset.table] ?? 0;
    section.querySelector("[data-presence]").textContent = count ? format(t.atTable, { count }) : "";
  }
}

function tick() {
  tickMoving();
  const timer = document.getElementById("timer");
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  if (!state && !round) return;
  const harvest = state && harvestShown(currentBlock(state), round);
  const quiet = state && openSpaceBlock(state) && round?.status !== "running"; // Open Space: a countdown only while a round runs
  timer.textContent = round && !harvest && !quiet ? roundTimerText(round, clock, t) : ""; // the question line says it
  timer.dataset.status = timerState(round, clock);
}

function addNote(note) {
  if (note.hidden) return;
  if (wall.dataset.view === "harvest") {
    if (note.kind !== "harvest" || note.block !== state.current.block) return;
  } else {
    const round = currentRound(state);
    if (!round || note.round !== round.id) return;
  }
  let section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  if (!section) {
    render(); // a note for a table without a column yet: the "other notes" column appears
    section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  }
  if (!section || section.querySelector(`[data-note="${CSS.escape(note.id)}"]`)) return;
  const item = sticky(note, t.starred);
  item.classList.add("sticky--new");
  section.querySelector(".column__notes").prepend(item);
}

const socket = connect();
connectionBanner(socket, t.offline);
const openSpace = boardOpenSpace({ socket, t, getState: () => state });

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
    if (event === "round:started") moving = null; // everyone sat down
    render();
  });
}
socket.on("tables:moving", (payload) => {
  if (!state || !payload) return;
  clock.sync(payload.now);
  showMoving(payload);
});
socket.on("note:starred", ({ note, starred }) => {
  const found = state?.notes.find((n) => n.id === note);
  if (!found) return;
  found.starred = Boolean(starred);
  const shown = wall.querySelector(`[data-note="${CSS.escape(note)}"]`);
  if (shown) shown.replaceWith(sticky(found, t.starred));
});
socket.on("table:hosted", (payload) => {
  const table = state?.blocks.find((b) => b.id === payload?.block)?.tables.find((each) => each.number === payload.table);
  if (!table) return;
  table.host = payload.host;
  table.host_id = payload.host_id;
  render();
  if (moving) showMoving(moving);
});
for (const [event, status] of [["harvest:opened", "open"], ["harvest:closed", "closed"]]) {
  socket.on(event, (payload) => {
    const block = state?.blocks.find((b) => b.id === payload?.block);
    if (!block) return;
    block.harvest = status;
    if (status === "open") moving = null;
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
