// The projected board: joins as "board" and follows the workshop live in the view the facilitator
// chose: the live wall (a column of notes per table, the harvest, the "change tables" screen
// between two World Café rounds), the Open Space agenda wall (board-openspace.js), the preliminary
// results as curated so far, or the key terms of the notes ("what the room said"). The server
// renders every view (templates/live/_board_wall.html, _board_results.html, _board_terms.html,
// _openspace_board.html); on a live event this script fetches the changed fragment again (one fetch
// after a burst) and brings it in. It keeps what needs a script: the countdown and its chime, how
// long "change tables" shows, the fit to the screen (smaller type, then pages of notes turning
// slowly; fewer notes per theme in the results), the switch between the views.
//
// A socket may say "connected" and carry nothing (a venue's Wi-Fi, a sleeping laptop's proxy):
// the board sends a heartbeat every few seconds and, when neither an event nor a heartbeat's
// answer came back for a while, says so and polls the state over HTTP until the socket speaks again.
import {
  ServerClock,
  applyRoundEvent,
  clockText,
  connect,
  countText,
  currentRound,
  format,
  joinPatiently,
  readStrings,
  request,
  roundTimerText,
  setText,
  timerState,
} from "../common.js";
import { boardOpenSpace } from "../openspace/board-openspace.js";
import { openSpaceBlock } from "../openspace.js";
import { byId, findAll } from "../dom.js";
import { coalesce, fetchFragment, mergeChildren, swapChanged, swapRegion } from "../fragments.js";

const root = byId("board", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const clock = new ServerClock(root.dataset.now);
const wall = byId("wall", HTMLElement);
const results = byId("results", HTMLElement);
const resultsFlow = byId("results-flow", HTMLElement);
const termsSection = byId("terms", HTMLElement);
const termsFlow = byId("terms-flow", HTMLElement);
const banner = byId("connection", HTMLElement);
const stateUrl = root.dataset.stateUrl;
const POLL_MS = (Number(root.dataset.poll) || 5) * 1000;
const HEARTBEAT_MS = 3000;
const STALL_BEATS = 2; // heartbeats in a row without a sign of life: the socket is stalled (6 to 9 s)
// A burst of events makes one fetch after 100 ms of quiet, and one a second at most while it lasts.
const QUIET_MS = 100;
const BURST_MS = 1000;

let state = null;
let moving = null; // {round, until} of the tables:moving event while "change tables" shows

const VIEWS = ["live", "results", "terms"];

/** "live" (the wall of the current round), "results" (the preliminary results) or "terms" (what the room said). */
function boardView() {
  const view = state ? state.board_view : root.dataset.view;
  return VIEWS.includes(view) ? view : "live";
}

/** The view shows at once; its content follows from the server. */
function showView() {
  const view = boardView();
  root.dataset.view = view;
  document.body.classList.toggle("board--results", view === "results");
  document.body.classList.toggle("board--terms", view === "terms");
  wall.hidden = view !== "live" || Boolean(openSpaceBlock(state));
  results.hidden = view !== "results";
  termsSection.hidden = view !== "terms";
}

function render() {
  showView();
  openSpace.render();
  loadWall();
  loadResults();
  loadTerms();
  tick();
}

// --- the live parts: the header's lines, the phones, "change tables", the wall (_board_wall.html)

/** Swapped when they changed (each keeps its element: #waiting and #presence are live regions). */
const REGIONS = ["block-title", "round-title", "question", "waiting", "presence", "moving-next", "moving-question", "moving-tables"];

const loadWall = coalesce(
  async () => {
    const fresh = await fetchFragment(root.dataset.wallUrl);
    if (!fresh) return;
    for (const id of REGIONS) swapChanged(document.getElementById(id), fresh.getElementById(id));
    const next = fresh.getElementById("wall");
    if (next) mergeWall(next);
    tick();
  },
  QUIET_MS,
  BURST_MS,
);

const tablesOf = (node) => Array.from(node.children, (column) => column.getAttribute("data-table")).join(",");

/** The same wall (a round's notes, a block's harvest, the same tables): the columns' heads and notes
 * brought up to date, the new notes added one by one (the list, a live region, reads only them);
 * another wall comes whole. */
function mergeWall(next) {
  if (wall.dataset.shows !== next.dataset.shows || tablesOf(wall) !== tablesOf(next)) {
    swapRegion(wall, next);
    if (state) showView(); // the view chosen since the fetch began
  } else {
    const heads = next.querySelectorAll(".column__head");
    const lists = next.querySelectorAll(".column__notes");
    findAll(wall, ".column__head", HTMLElement).forEach((head, index) => swapChanged(head, heads[index]));
    findAll(wall, ".column__notes", HTMLElement).forEach((list, index) => {
      for (const note of mergeChildren(list, lists[index], "note")) {
        note.classList.add("sticky--new");
        note.addEventListener("animationend", () => note.classList.remove("sticky--new"), { once: true });
      }
    });
    wall.dataset.count = next.dataset.count;
  }
  fitColumns();
}

// --- fitting a table's notes: every note of the round readable, none cut in half. Smaller type
// first; when even the smallest is too big, pages of whole notes, newest first, turning slowly,
// with a line that says which notes show ("Notes 1 to 9 of 30"). A newer note brings the first page back.
const NOTE_SCALES = [1, 0.9, 0.8, 0.72, 0.65];
const PAGE_MS = 12_000;
const pagers = new Map(); // table -> its page timer
const pageShown = new Map(); // table -> the page it shows, kept when the wall is fetched again
const newestAt = new Map(); // table -> its newest note: a newer one brings the first page back

function fitNotes(list) {
  const table = list.closest(".column")?.dataset.table ?? "";
  clearInterval(pagers.get(table));
  pagers.delete(table);
  const newest = list.querySelector(".sticky")?.dataset.note ?? "";
  if (newestAt.get(table) !== newest) pageShown.delete(table);
  newestAt.set(table, newest);
  const line = list.querySelector(".column__pages");
  if (line) line.hidden = true;
  const notes = [...list.querySelectorAll(".sticky")];
  for (const note of notes) note.hidden = false;
  const overflows = () => list.scrollHeight > list.clientHeight + 1;
  for (const scale of NOTE_SCALES) {
    list.style.setProperty("--fit", String(scale)); // CSSOM, not a style attribute
    list.dataset.fit = String(scale);
    if (!overflows()) return;
  }
  if (!line) return;
  // Pages: as many whole notes as fit above the line that counts them.
  line.hidden = false;
  const pages = [];
  let start = 0;
  while (start < notes.length) {
    for (const note of notes) note.hidden = true;
    let end = start;
    line.textContent = format(t.notePage, { first: start + 1, last: notes.length, count: notes.length });
    do {
      notes[end].hidden = false;
      end += 1;
    } while (end < notes.length && !overflows());
    if (overflows() && end - start > 1) {
      end -= 1;
      notes[end].hidden = true;
    }
    pages.push([start, end]);
    start = end;
  }
  let shown = (pageShown.get(table) ?? 0) % pages.length;
  const show = () => {
    pageShown.set(table, shown);
    const [first, end] = pages[shown];
    notes.forEach((note, index) => (note.hidden = index < first || index >= end));
    line.textContent = format(t.notePage, { first: first + 1, last: end, count: notes.length });
    list.dataset.page = String(shown + 1);
  };
  show();
  if (pages.length > 1) {
    pagers.set(table, setInterval(() => {
      if (!list.isConnected) return clearInterval(pagers.get(table));
      shown = (shown + 1) % pages.length;
      show();
    }, PAGE_MS));
  }
}

function fitColumns() {
  for (const list of wall.querySelectorAll(".column__notes")) fitNotes(list);
}

// --- the results view (_board_results.html), fitted to the screen: the whole text at full size if
// it fits, else slightly smaller type, then fewer notes per theme (the starred ones always show, a
// line counts the others), then smaller type again, down to 60 %.

const filled = new Map(); // a flow -> the server's markup it holds

/** Fills `flow` with the server's partial (its texts escaped by Jinja) unless it holds it already. */
function fill(flow, fresh) {
  const markup = fresh.body.innerHTML.trim();
  if (filled.get(flow) === markup) return false;
  flow.replaceChildren(...Array.from(fresh.body.childNodes, (node) => document.importNode(node, true)));
  filled.set(flow, markup);
  return true;
}

const loadResults = coalesce(
  async () => {
    if (boardView() !== "results") return;
    const fresh = await fetchFragment(root.dataset.resultsUrl);
    if (fresh && boardView() === "results" && fill(resultsFlow, fresh)) fitResults();
  },
  QUIET_MS,
  BURST_MS,
);

const NOTE_LIMITS = [Infinity, 8, 5, 3, 1, 0];
const SCALES = [1, 0.9, 0.8];
const LAST_SCALES = [0.75, 0.7, 0.65, 0.6];

/** Each theme's starred notes and its first `limit` others; the line after the list counts the rest. */
function limitNotes(limit) {
  for (const list of findAll(resultsFlow, ".rnotes", HTMLElement)) {
    const notes = findAll(list, ".rnote", HTMLElement);
    const keep = notes.filter((note) => note.dataset.starred === "true").length + limit;
    notes.forEach((note, index) => (note.hidden = index >= keep));
    const more = Math.max(0, notes.length - keep);
    const line = list.nextElementSibling;
    if (!(line instanceof HTMLElement) || !line.matches(".rmore")) continue;
    line.hidden = !more;
    line.textContent = more ? countText(more, t.moreNote, t.moreNotes) : "";
  }
}

function fitResults() {
  if (results.hidden) return;
  // The priorities' bars: each session's dots as a share of the most (CSSOM, no style attribute).
  for (const bar of findAll(resultsFlow, ".rpriority__bar[data-share]", HTMLElement)) bar.style.setProperty("--share", bar.dataset.share);
  const overflows = () => resultsFlow.scrollWidth > resultsFlow.clientWidth + 1;
  const scaleTo = (scale) => {
    resultsFlow.style.setProperty("--fit", String(scale)); // CSSOM, not a style attribute
    resultsFlow.dataset.fit = String(scale);
  };
  for (const limit of NOTE_LIMITS) {
    limitNotes(limit);
    for (const scale of SCALES) {
      scaleTo(scale);
      if (!overflows()) return;
    }
  }
  for (const scale of LAST_SCALES) {
    scaleTo(scale);
    if (!overflows()) return;
  }
}

// --- the key terms (_board_terms.html)

const loadTerms = coalesce(
  async () => {
    if (boardView() !== "terms") return;
    const fresh = await fetchFragment(root.dataset.termsUrl);
    if (fresh && boardView() === "terms") fill(termsFlow, fresh);
  },
  QUIET_MS,
  BURST_MS,
);

// --- "change tables": from the tables:moving event until its end, once the server's content for
// that round came (the tables, the people each expects)

function tickMoving() {
  const section = byId("moving", HTMLElement);
  const left = moving ? clock.secondsUntil(moving.until) : null;
  if (!moving || !left) moving = null;
  const ready = Boolean(moving) && byId("moving-tables", HTMLElement)?.dataset.round === String(moving.round);
  if (ready) setText("moving-timer", clockText(left));
  section.hidden = !ready;
  if (ready) document.body.dataset.moving = "true";
  else delete document.body.dataset.moving;
}

// --- the countdown: its colour changes in the last minute, time's up shows apart; an optional chime

const TIMER_STATES = ["running", "last-minute", "over"];

function tick() {
  tickMoving();
  const timer = byId("timer", HTMLElement);
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  if (!state && !round) return;
  const harvest = wall.dataset.view === "harvest"; // the question line says it
  const quiet = state && openSpaceBlock(state) && round?.status !== "running"; // Open Space: a countdown only while a round runs
  // The results view shows a countdown only while a round runs (nothing else to say there).
  const aside = state && boardView() !== "live" && round?.status !== "running";
  timer.textContent = round && !harvest && !quiet && !aside ? roundTimerText(round, clock, t) : "";
  const status = timerState(round, clock);
  timer.dataset.status = status;
  for (const each of TIMER_STATES) timer.classList.toggle(`board-head__timer--${each}`, status === each);
  listenForChime(round);
}

let chimeRound = null; // "round id|ends_at" of the countdown heard last
let chimeLeft = null; // its seconds left at the last tick

/** Chimes once when the last minute starts and once at zero, as the countdown crosses them. */
function listenForChime(round) {
  if (!round || round.status !== "running") {
    chimeRound = null;
    chimeLeft = null;
    return;
  }
  const key = `${round.id}|${round.ends_at}`;
  const left = clock.secondsUntil(round.ends_at);
  if (key === chimeRound && chimeLeft !== null && left !== null) {
    if (chimeLeft > 60 && left <= 60 && left > 0) chime.play("minute");
    else if (chimeLeft > 0 && left === 0) chime.play("end");
  }
  chimeRound = key;
  chimeLeft = left;
}

const chime = (() => {
  const KEY = "workshop:board:chime";
  const box = byId("chime", HTMLInputElement);
  let context = null;
  let on = false;
  try {
    on = window.localStorage.getItem(KEY) === "on";
  } catch {
    // storage refused: off, as by default
  }

  function unlock() {
    // Browsers start sound only after a gesture on the page: the toggle, or any click or key.
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!context) context = new Context();
    if (context.state === "suspended") context.resume().catch(() => {});
    return context;
  }

  // Two soft sine notes, each fading slowly: E5 then C5 for the last minute, C5 then G4 at zero.
  const NOTES = { minute: [659.25, 523.25], end: [523.25, 392.0] };

  function play(kind) {
    if (!on) return;
    const audio = unlock();
    if (!audio) return;
    const start = audio.currentTime + 0.05;
    NOTES[kind].forEach((frequency, index) => {
      const at = start + index * 0.6;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.16, at + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 2.4);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 2.5);
    });
    document.body.dataset.chimed = kind;
  }

  if (box) {
    box.checked = on;
    box.closest("label").hidden = false;
    box.addEventListener("change", () => {
      on = box.checked;
      try {
        window.localStorage.setItem(KEY, on ? "on" : "off");
      } catch {
        // kept for this visit only
      }
      if (on) play("minute"); // heard once now: the room's volume can be set
    });
  }
  const wake = () => {
    if (on) unlock();
  };
  window.addEventListener("pointerdown", wake, { once: true });
  window.addEventListener("keydown", wake, { once: true });
  return { play };
})();

// --- the socket, its heartbeat, and the HTTP polling while it is silent

const socket = connect();
const openSpace = boardOpenSpace({ socket, t, code, getState: () => state, shown: () => boardView() === "live" });

let joined = false;
let heard = true; // a sign of life since the last heartbeat went out
let silentBeats = 0;
let stalled = false;
let pollTimer = null;
let pollAbort = null;

function applyState(next) {
  state = next;
  clock.sync(state.now);
  render();
}

async function join() {
  const ack = await joinPatiently(socket, { code, role: "board", lang: document.documentElement.lang });
  if (!ack.ok) return;
  joined = true;
  root.dataset.joined = "true"; // for tests: the clock is the server's from here on
  applyState(ack.state);
  heardFromServer(true);
}

/** Catches up once after a silence: the snapshot again (or a new join if the first one was lost). */
async function resync() {
  if (!joined) {
    join();
    return;
  }
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
  else if (ack.error?.code === "not_joined") join();
}

/** Any event or heartbeat answer: the socket carries things again. */
function heardFromServer(fresh = false) {
  heard = true;
  silentBeats = 0;
  if (!stalled) return;
  stalled = false;
  stopPolling();
  showBanner(false);
  if (!fresh) resync();
}

function stall() {
  if (stalled) return;
  stalled = true;
  showBanner(true);
  poll();
}

function showBanner(shown) {
  banner.hidden = !shown;
  banner.textContent = shown ? format(t.stalled, { seconds: POLL_MS / 1000 }) : "";
  document.body.dataset.connection = shown ? "stalled" : "up";
}

async function poll() {
  clearTimeout(pollTimer);
  if (!stalled) return;
  const mine = new AbortController();
  pollAbort = mine;
  try {
    const response = await fetch(stateUrl, { cache: "no-store", headers: { Accept: "application/json" }, signal: mine.signal });
    if (response.ok) {
      const next = await response.json();
      if (stalled && pollAbort === mine) applyState(next);
    }
  } catch {
    // offline too: the next poll tries again
  }
  if (stalled && pollAbort === mine) pollTimer = setTimeout(poll, POLL_MS);
}

function stopPolling() {
  clearTimeout(pollTimer);
  pollAbort?.abort();
  pollAbort = null;
}

socket.on("connect", join);
socket.on("disconnect", () => {
  joined = false;
  delete root.dataset.joined;
  stall();
});
socket.onAny(() => heardFromServer());

setInterval(() => {
  silentBeats = heard ? 0 : silentBeats + 1;
  heard = false;
  if (silentBeats >= STALL_BEATS) stall();
  if (socket.connected) {
    request(socket, "heartbeat", {}, HEARTBEAT_MS * 3).then((ack) => {
      if (ack.ok) heardFromServer();
    });
  }
}, HEARTBEAT_MS);

// --- the events: each makes the views it changes fetched again

/** A note came, went, was starred or revealed: the wall, and the results or terms when they show. */
function notesChanged() {
  loadWall();
  loadResults();
  loadTerms();
}

for (const event of ["note:added", "note:hidden", "note:shown", "notes:shown", "note:starred"]) socket.on(event, notesChanged);
for (const event of ["notes:waiting", "table:hosted", "presence:updated"]) socket.on(event, () => loadWall());
for (const event of ["round:started", "round:extended", "round:closed", "round:skipped"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload); // the countdown reads the round at once
    if (event === "round:started") moving = null; // everyone sat down
    render();
  });
}
socket.on("tables:moving", (payload) => {
  if (!payload) return;
  clock.sync(payload.now);
  moving = { round: payload.round, until: payload.until };
  loadWall(); // shows once the server's tables for that round came
});
for (const event of ["harvest:opened", "harvest:closed", "harvest:cancelled"]) {
  socket.on(event, () => {
    if (event === "harvest:opened") moving = null;
    render();
  });
}
socket.on("block:changed", async (payload) => {
  clock.sync(payload?.now);
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
});
socket.on("board:view", (payload) => {
  if (!state || !VIEWS.includes(payload?.view)) return;
  state.board_view = payload.view;
  render();
});
// The curation, the topics and the vote (the latter applied to the state by board-openspace.js).
for (const event of ["curation:updated", "topic:added", "topic:updated", "topic:removed", "vote:opened", "vote:updated", "vote:closed"]) {
  socket.on(event, () => loadResults());
}

// What the server rendered in the page, as its fragments will say it again.
for (const flow of [resultsFlow, termsFlow]) filled.set(flow, flow.innerHTML.trim());
tick();
setInterval(tick, 1000);
fitResults();
window.addEventListener("resize", () => fitResults());
// The wall's height changes with the window and with the banner above it: the notes fit again.
let wallHeight = 0;
new ResizeObserver(() => {
  if (wall.hidden || wall.clientHeight === wallHeight) return;
  wallHeight = wall.clientHeight;
  fitColumns();
}).observe(wall);
