// The facilitator's console: the page's forms go through the socket while it is up (the plain
// POST otherwise). The server renders the console's live parts (templates/live/_console_live.html: the
// round and its actions, the phones, the World Café tables and harvest, the round's notes, the
// agenda); on each round, block, note, table or presence event this script fetches them again
// (GET /w/CODE/facilitate/live, one fetch after a burst) and swaps them in, keeping focus, typed
// values and open menus. It keeps what needs a script: the countdown, the undo's few seconds, the
// second press that confirms a close, the forms' payloads. In an Open Space block: the marketplace,
// the wall, the vote and the action planning (console-openspace.js).
import {
  ServerClock,
  applyRoundEvent,
  connect,
  connectionBanner,
  currentRound,
  joinAsFacilitator,
  readStrings,
  request,
  roundTimerText,
  timerState,
  uuid,
} from "../common.js";
import { consoleOpenSpace } from "../openspace/console-openspace.js";
import { byId, control, find, findAll, targetOf } from "../dom.js";
import { coalesce, fetchFragment, swapAttributes, swapRegion } from "../fragments.js";

const root = byId("console", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const extendMinutes = Number(root.dataset.extend) || 5;
const clock = new ServerClock(root.dataset.now);
const statusLine = byId("console-status", HTMLElement);
let state = null;
let joined = false;

const base = `/w/${encodeURIComponent(code)}`;

let sayTimer = null;
function say(message, isError = false) {
  statusLine.textContent = message ?? "";
  if (isError) statusLine.dataset.kind = "error";
  else delete statusLine.dataset.kind;
  clearTimeout(sayTimer);
  // Good news fades; an error stays until the next action.
  if (!isError) sayTimer = setTimeout(() => (statusLine.textContent = ""), 4000);
}

// --- the live parts: rendered by the server, swapped in region by region

/** Swapped whole (what a person may be using inside keeps its data-key). */
const REGIONS = [
  "now-block",
  "now-title",
  "question",
  "now-actions",
  "phones",
  "people",
  "harvest-state",
  "tables-actions",
  "tables-plan",
  "seating-line",
  "tables-list",
  "unseated",
  "absent-seats",
  "harvest-fields",
  "live",
  "agenda",
];
/** Only their attributes: the countdown, the board switch and the key idea's id stay. */
const SHELLS = ["now-panel", "tables-panel", "harvest-post"];

const load = coalesce(async () => {
  const fresh = await fetchFragment(`${base}/facilitate/live`);
  if (!fresh) return;
  for (const id of SHELLS) swapAttributes(document.getElementById(id), fresh.getElementById(id));
  keepQueueFocus(() => {
    for (const id of REGIONS) swapRegion(document.getElementById(id), fresh.getElementById(id));
  });
  showArmed();
  tick();
});

// --- facilitation modes (issue 15): the moderation queue by keyboard

/** A swap keeps the keyboard in the queue: the focused note keeps the focus (its data-key), or,
 * once it left the queue (approved, hidden), the next note still waiting gets it. */
function keepQueueFocus(swap) {
  const active = document.activeElement;
  const focused = active instanceof HTMLElement ? active.closest(".live__note[tabindex]") : null;
  const queue = findAll(document, ".live__note[tabindex]", HTMLElement).map((li) => li.dataset.note);
  swap();
  if (!(focused instanceof HTMLElement) || document.activeElement !== document.body) return;
  const waiting = findAll(document, ".live__note[tabindex]", HTMLElement);
  const after = queue.slice(queue.indexOf(focused.dataset.note));
  const next = after.map((id) => waiting.find((li) => li.dataset.note === id)).find(Boolean) ?? waiting[0];
  next?.focus({ preventScroll: false });
}

/** A approves the note in focus (or holding the focus), Shift+A every note of the queue. */
document.addEventListener("keydown", (event) => {
  if (event.key !== "a" && event.key !== "A") return;
  if (event.ctrlKey || event.metaKey || event.altKey || !joined) return;
  const target = targetOf(event);
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const form = event.shiftKey
    ? find(document, ".modes-approve", HTMLFormElement)
    : target instanceof HTMLElement
      ? target.closest(".live__note")?.querySelector(".live__approve")
      : null;
  if (!(form instanceof HTMLFormElement) || form.hidden) return;
  event.preventDefault();
  form.requestSubmit();
});

function render() {
  load();
  openSpace.render();
  tick();
}

function tick() {
  const timer = byId("timer", HTMLElement);
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  timer.textContent = round && round.status === "running" ? roundTimerText(round, clock, t) : "";
  timer.dataset.status = timerState(round, clock);
  // An undo (reopen a round, back to the tables) is offered for a few seconds, until data-until.
  for (const form of findAll(document, "form[data-until]", HTMLFormElement)) {
    const until = Date.parse(form.dataset.until ?? "");
    if (!form.hidden && !Number.isNaN(until) && until <= clock.now()) form.hidden = true;
  }
}

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);
const openSpace = consoleOpenSpace({ socket, t, code, getState: () => state, isJoined: () => joined, say });

async function refresh() {
  const ack = await request(socket, "state:get", {});
  if (ack.ok) {
    state = ack.state;
    clock.sync(state.now);
    render();
  }
}

joinAsFacilitator(socket, {
  code,
  key: root.dataset.key,
  onRefused: (message) => say(message, true),
  onJoined: (ack) => {
    joined = true;
    root.dataset.joined = "true";
    state = ack.state;
    clock.sync(state.now);
    render();
  },
});
socket.on("disconnect", () => {
  joined = false;
  root.dataset.joined = "false";
});

// The round and the block (the countdown reads them from the state): a fresh state, then the parts.
for (const event of ["round:started", "round:extended", "round:closed", "round:skipped", "round:settings", "block:changed", "harvest:opened", "harvest:closed", "harvest:cancelled"]) {
  socket.on(event, (payload) => {
    clock.sync(payload?.now);
    seeVersion(payload);
    refresh();
  });
}
// Notes, hosts, moves, the seating plan, the phones: the parts only.
for (const event of ["note:added", "note:starred", "note:hidden", "note:shown", "notes:shown", "notes:waiting", "table:hosted", "tables:moving", "seating:summary", "plan:updated", "presence:updated"]) {
  socket.on(event, () => render());
}

// Every console form: through the socket when joined, else the browser posts it.
document.addEventListener("submit", async (event) => {
  const form = targetOf(event);
  if (!(form instanceof HTMLFormElement) || !form.matches("form[data-event]") || !joined) return;
  event.preventDefault();
  const eventName = form.dataset.event;
  if (form.dataset.confirm && !confirmed(form)) return;
  const payload = payloadOf(form, eventName);
  if (payload === null) return;
  const buttons = form.querySelectorAll("button");
  buttons.forEach((b) => (b.disabled = true));
  const ack = await request(socket, eventName, payload);
  buttons.forEach((b) => (b.disabled = false));
  if (ack.ok) {
    say(ack.changed === false ? t.unchanged : t.done);
    // The console shows its own change at once (the undo of a close among it), then the room's.
    if (ack.round?.status && state) applyRoundEvent(state, ack.round);
    seeVersion(ack.round);
    render();
    if (openSpace.handles(eventName)) openSpace.after(form, eventName);
    if (eventName === "harvest:post") {
      // Stored: the next idea gets a new id (a lost ack resends the same id, stored once).
      control(form, "text").value = "";
      control(form, "id").value = uuid();
    }
  } else {
    say(ack.error.message || t.offline, true);
  }
});

/** A round's new version, known from an ack or an event: the forms that press on it carry it at
 * once, before the server's fragment comes, so that a press right after (close just after
 * extending) is not taken for a repeat of the one before and dropped. */
function seeVersion(round) {
  if (!round || typeof round.id !== "number" || typeof round.version !== "number") return;
  for (const form of findAll(document, `form[data-round="${round.id}"]`, HTMLFormElement)) {
    const input = form.querySelector("input[name=version]");
    if (input instanceof HTMLInputElement) input.value = String(round.version);
  }
}

const ARMED_SECONDS = 6;
const armed = new Map(); // the data-key of an armed button -> its disarm timer (kept across swaps)
const submitOf = (form) => form.querySelector("button[type=submit], button:not([type])");

/** A close or a harvest asks first: the first press arms the button, a second press confirms. */
function confirmed(form) {
  const key = submitOf(form)?.dataset.key ?? "";
  clearTimeout(armed.get(key));
  if (armed.delete(key)) {
    showArmed();
    return true;
  }
  armed.set(
    key,
    setTimeout(() => {
      armed.delete(key);
      showArmed();
    }, ARMED_SECONDS * 1000),
  );
  showArmed();
  say(form.dataset.confirm);
  return false;
}

/** Armed buttons say "press again", also once a swap has brought them back from the server. */
function showArmed() {
  for (const form of findAll(document, "form[data-confirm]", HTMLFormElement)) {
    const button = submitOf(form);
    const on = Boolean(button && armed.has(button.dataset.key ?? ""));
    if (on === (form.dataset.armed === "true")) continue;
    form.dataset.armed = String(on);
    if (on) {
      button.dataset.label ??= button.textContent;
      button.textContent = form.dataset.confirmLabel;
    } else if (button?.dataset.label) button.textContent = button.dataset.label;
  }
}

/** The event's payload from the form: its data-* attributes and its fields. */
function payloadOf(form, eventName) {
  if (openSpace.handles(eventName)) return openSpace.payloadOf(form, eventName);
  const payload = {};
  for (const name of ["round", "block", "table", "participant"]) {
    if (form.dataset[name]) payload[name] = Number(form.dataset[name]);
  }
  if (form.dataset.note) payload.note = form.dataset.note;
  if (control(form, "version")?.value) payload.version = Number(control(form, "version").value);
  if (eventName === "round:extend" || eventName === "round:shorten") payload.minutes = extendMinutes;
  if (eventName === "block:next" && control(form, "from").value) payload.from = Number(control(form, "from").value);
  if (eventName === "round:end") {
    if (!control(form, "ends_at").value) {
      control(form, "ends_at").focus();
      return null;
    }
    payload.ends_at = control(form, "ends_at").value;
  }
  if (eventName === "host:assign") {
    const chosen = control(form, "participant").value;
    payload.participant = chosen ? Number(chosen) : null;
  }
  if (eventName === "participant:move") payload.table = Number(control(form, "table").value);
  if (eventName === "round:settings") {
    for (const name of ["reveal", "moderated", "anonymous"]) payload[name] = control(form, name).checked;
  }
  if (eventName === "harvest:post") {
    if (!control(form, "text").value.trim()) {
      control(form, "text").focus();
      return null;
    }
    if (!control(form, "id").value) control(form, "id").value = uuid();
    payload.id = control(form, "id").value;
    payload.text = control(form, "text").value;
    payload.table = Number(control(form, "table").value);
  }
  return payload;
}

tick();
setInterval(tick, 1000);
