// The facilitator's console: the page's forms go through the socket while it is up (the plain
// POST otherwise); round, block, note and presence events keep the page current.
import {
  ServerClock,
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
  timerState,
} from "./common.js";

const root = document.getElementById("console");
const t = readStrings();
const code = root.dataset.code;
const extendMinutes = Number(root.dataset.extend) || 5;
const clock = new ServerClock(root.dataset.now);
const statusLine = document.getElementById("console-status");
let state = null;
let joined = false;

const url = {
  round: (id, action) => `/w/${encodeURIComponent(code)}/rounds/${id}/${action}`,
  note: (id, action) => `/w/${encodeURIComponent(code)}/notes/${encodeURIComponent(id)}/${action}`,
};

let sayTimer = null;
function say(message, isError = false) {
  statusLine.textContent = message ?? "";
  statusLine.classList.toggle("form-error", isError);
  clearTimeout(sayTimer);
  // Good news fades; an error stays until the next action.
  if (!isError) sayTimer = setTimeout(() => (statusLine.textContent = ""), 4000);
}

/** The round to start next: the one after the current round of the current block. */
function nextRound() {
  const block = currentBlock(state);
  if (!block) return null;
  const round = currentRound(state);
  if (!round || round.block !== block.id) return block.rounds.find((r) => r.status === "pending") ?? null;
  if (round.status === "running") return null;
  return block.rounds.find((r) => r.position > round.position) ?? null;
}

function nextBlock() {
  const index = state.blocks.findIndex((b) => b.id === state.current.block);
  return state.blocks[index + 1] ?? null;
}

function aim(form, round, action) {
  form.hidden = !round;
  if (round) {
    form.dataset.round = round.id;
    form.action = url.round(round.id, action);
  }
}

function renderNow() {
  const block = currentBlock(state);
  const round = currentRound(state);
  const running = round?.status === "running";
  setText("block-title", block ? block.title : "");
  setText("round-title", round ? round.title || "" : t.noRound);
  const badge = document.getElementById("round-status");
  badge.textContent = round ? t.status[round.status] : "";
  badge.dataset.status = round ? round.status : "none";
  setText("question", round ? round.question : "");
  document.querySelector(".now-panel").dataset.status = round ? round.status : "none";

  aim(document.querySelector(".now-extend"), running ? round : null, "extend");
  aim(document.querySelector(".now-close"), running ? round : null, "close");
  const next = nextRound();
  aim(document.querySelector(".now-start"), next, "start");
  document.querySelector(".now-start__title").textContent = next?.title ?? "";
  const following = nextBlock();
  document.querySelector(".now-next-block").hidden = running || Boolean(next) || !following;
  document.querySelector(".now-next-block__title").textContent = following?.title ?? "";
}

function renderAgenda() {
  for (const block of state.blocks) {
    const article = document.querySelector(`.block[data-block="${block.id}"]`);
    if (article) article.dataset.current = String(block.id === state.current.block);
    for (const round of block.rounds) {
      const item = document.querySelector(`.round[data-round="${round.id}"]`);
      if (!item) continue;
      item.dataset.status = round.status;
      const badge = item.querySelector(".badge");
      badge.dataset.status = round.status;
      badge.textContent = t.status[round.status];
    }
  }
}

function noteItem(note) {
  const action = note.hidden ? "show" : "hide";
  return el(
    "li",
    { class: "live__note", "data-note": note.id, "data-color": note.color || "yellow", "data-hidden": String(Boolean(note.hidden)) },
    el("p", { class: "live__text" }, note.text),
    note.author ? el("p", { class: "live__author" }, note.author) : null,
    el(
      "form",
      { method: "post", action: url.note(note.id, action), "data-event": `note:${action}`, "data-note": note.id },
      el("button", { type: "submit", class: "button button--small" }, t[action]),
    ),
  );
}

function renderNotes() {
  const block = currentBlock(state);
  const round = currentRound(state);
  const notes = round ? state.notes.filter((n) => n.round === round.id) : [];
  const tables = block ? block.tables : [];
  const numbers = new Set(tables.map((table) => table.number));
  const groups = tables.map((table) => ({ number: table.number, notes: notes.filter((n) => n.table === table.number) }));
  const others = notes.filter((n) => !numbers.has(n.table));
  if (others.length || !tables.length) groups.push({ number: null, notes: others });
  const sections = groups.map((group) =>
    el(
      "section",
      { class: "live__table", "data-table": group.number ?? "" },
      el("h3", {}, group.number !== null ? format(t.table, { number: group.number }) : t.notes),
      el("ol", { class: "live__notes" }, group.notes.slice().reverse().map(noteItem)),
    ),
  );
  const columns = document.getElementById("live-columns");
  columns.replaceChildren(...sections);
  columns.hidden = notes.length === 0;
  setText("note-count", String(notes.length));
  document.getElementById("live-empty").hidden = notes.length > 0;
}

function renderPresence(presence) {
  if (!presence) return;
  setText("phones", plural(presence.phones ?? 0, t));
  const people = Object.entries(presence.people ?? {}).sort(([a], [b]) => (Number(a) || 1e9) - (Number(b) || 1e9));
  document.getElementById("people").replaceChildren(
    ...people.map(([table, names]) => {
      const named = names.filter(Boolean);
      const anonymous = names.length - named.length;
      const who = [...named, anonymous ? format(t.anonymous, { count: anonymous }) : null].filter(Boolean);
      return el(
        "li",
        {},
        el("strong", {}, table ? format(t.table, { number: table }) : t.noTable),
        " ",
        who.join(", ") || t.nobody,
      );
    }),
  );
}

function render() {
  renderNow();
  renderAgenda();
  renderNotes();
  tick();
}

function tick() {
  const timer = document.getElementById("timer");
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  timer.textContent = round && round.status === "running" ? roundTimerText(round, clock, t) : "";
  timer.dataset.status = timerState(round, clock);
}

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);

async function refresh() {
  const ack = await request(socket, "state:get", {});
  if (ack.ok) {
    state = ack.state;
    clock.sync(state.now);
    render();
  }
}

socket.on("connect", async () => {
  const ack = await request(socket, "join", {
    code,
    role: "facilitator",
    key: root.dataset.key,
    lang: document.documentElement.lang,
  });
  if (!ack.ok) {
    say(ack.error.message, true);
    return;
  }
  joined = true;
  state = ack.state;
  clock.sync(state.now);
  render();
  renderPresence(ack.presence);
});
socket.on("disconnect", () => {
  joined = false;
});

for (const event of ["round:started", "round:extended", "round:closed", "block:changed"]) {
  socket.on(event, (payload) => {
    clock.sync(payload?.now);
    refresh();
  });
}
socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  renderNotes();
});
socket.on("note:hidden", ({ note }) => {
  const found = state?.notes.find((n) => n.id === note);
  if (found) found.hidden = true;
  if (state) renderNotes();
});
socket.on("note:shown", ({ note }) => {
  if (!state || !note) return;
  state.notes = state.notes.filter((n) => n.id !== note.id).concat([{ ...note, hidden: false }]);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  renderNotes();
});
socket.on("presence:updated", renderPresence);

// Every console form: through the socket when joined, else the browser posts it.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-event]");
  if (!form || !joined) return;
  event.preventDefault();
  const eventName = form.dataset.event;
  const payload = {};
  if (form.dataset.round) payload.round = Number(form.dataset.round);
  if (form.dataset.block) payload.block = Number(form.dataset.block);
  if (form.dataset.note) payload.note = form.dataset.note;
  if (eventName === "round:extend") payload.minutes = extendMinutes;
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  const ack = await request(socket, eventName, payload);
  buttons.forEach((b) => (b.disabled = false));
  if (ack.ok) {
    say(t.done);
  } else {
    say(ack.error.message || t.offline, true);
  }
});

tick();
setInterval(tick, 1000);
