// The facilitator's console: the page's forms go through the socket while it is up (the plain
// POST otherwise); round, block, note and presence events keep the page current. In a World Café:
// the tables panel (hosts, people, notes per round, moves) and the harvest. In an Open Space block:
// the marketplace, the agenda wall, the vote and the action planning (console-openspace.js).
import {
  ServerClock,
  applyRoundEvent,
  cafeBlock,
  connect,
  connectionBanner,
  countText,
  currentBlock,
  currentRound,
  el,
  format,
  joinAsFacilitator,
  keepFocus,
  plural,
  readStrings,
  request,
  roundTimerText,
  setText,
  shown,
  starMark,
  timerState,
  uuid,
} from "./common.js";
import { consoleOpenSpace } from "./console-openspace.js";
import { blockQuestion, openSpaceBlock } from "./openspace.js";
import { byId, control, find, findAll, targetOf } from "./dom.js";

const root = byId("console", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const extendMinutes = Number(root.dataset.extend) || 5;
const undoSeconds = Number(root.dataset.undo) || 20;
// "Ends at" shows the venue's clock, whatever the laptop's zone.
const venueClock = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: root.dataset.zone || undefined });
const clock = new ServerClock(root.dataset.now);
const statusLine = byId("console-status", HTMLElement);
let state = null;
let joined = false;

const base = `/w/${encodeURIComponent(code)}`;
const url = {
  round: (id, action) => `${base}/rounds/${id}/${action}`,
  note: (id, action) => `${base}/notes/${encodeURIComponent(id)}/${action}`,
  host: (number) => `${base}/tables/${number}/host`,
  move: (id) => `${base}/participants/${id}/move`,
  harvest: (block, action) => `${base}/blocks/${block}/harvest/${action}`,
  plan: (block) => `${base}/blocks/${block}/plan`,
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
  return block.rounds.find((r) => r.position > round.position && r.status === "pending") ?? null;
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
    // The version this console shows: a press repeated by another console is one change.
    if (control(form, "version")) control(form, "version").value = round.version ?? 0;
  }
}

/** Until when a close (or an opened harvest) can be undone, in the server's time; 0 when it cannot. */
function undoUntil(iso) {
  const at = Date.parse(iso ?? "");
  return Number.isNaN(at) ? 0 : at + undoSeconds * 1000;
}

function renderUndo() {
  const round = state ? currentRound(state) : null;
  const reopen = find(document, ".now-reopen", HTMLFormElement);
  const until = round?.status === "closed" ? undoUntil(round.closed_at) : 0;
  aim(reopen, until > clock.now() ? round : null, "reopen");
  const block = state ? cafeBlock(state) : null;
  const cancel = find(document, ".harvest-cancel", HTMLFormElement);
  cancel.hidden = !(block?.harvest === "open" && undoUntil(block.harvest_opened_at) > clock.now());
  if (block) {
    cancel.dataset.block = String(block.id);
    cancel.action = url.harvest(block.id, "cancel");
  }
}

function renderNow() {
  const block = currentBlock(state);
  const round = currentRound(state);
  const running = round?.status === "running";
  const osBlock = openSpaceBlock(state);
  setText("block-title", block ? shown(block, "title") : "");
  setText("block-method", block ? t.methods[block.method] ?? "" : "").hidden = !block; // follows "Make current"
  setText("round-title", round ? shown(round, "title") || "" : t.noRound);
  const badge = byId("round-status", HTMLElement);
  badge.textContent = round ? t.status[round.status] : "";
  badge.dataset.status = round ? round.status : "none";
  setText("question", round ? shown(round, "question") : osBlock ? blockQuestion(state, osBlock) : "");
  find(document, ".now-panel", HTMLElement).dataset.status = round ? round.status : "none";

  aim(find(document, ".now-extend", HTMLFormElement), running ? round : null, "extend");
  aim(find(document, ".now-shorten", HTMLFormElement), running ? round : null, "shorten");
  const end = find(document, ".now-end", HTMLFormElement);
  aim(end, running ? round : null, "end");
  if (running && document.activeElement !== control(end, "ends_at")) {
    const at = Date.parse(round.ends_at ?? "");
    if (!Number.isNaN(at)) control(end, "ends_at").value = venueClock.format(at);
  }
  aim(find(document, ".now-close", HTMLFormElement), running ? round : null, "close");
  const addRound = find(document, ".now-add-round", HTMLFormElement);
  if (addRound && block) {
    // The block and its rounds as shown now: the same press from two consoles adds one round.
    control(addRound, "block").value = String(block.id);
    control(addRound, "rounds").value = String(block.rounds.length);
  }
  renderUndo();
  const next = nextRound();
  aim(find(document, ".now-start", HTMLFormElement), next, "start");
  find(document, ".now-start__title", HTMLElement).textContent = next?.title ?? "";
  const following = nextBlock();
  // An Open Space phase may end without its timer ever started: the next phase stays at hand.
  find(document, ".now-next-block", HTMLFormElement).hidden = running || (Boolean(next) && !osBlock) || !following;
  find(document, ".now-next-block__title", HTMLElement).textContent = following?.title ?? "";
  control(find(document, ".now-next-block", HTMLFormElement), "from").value = state.current.block ?? "";
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
      for (const input of findAll(item, "input[name=version]", HTMLInputElement)) input.value = String(round.version ?? 0);
    }
  }
}

function noteItem(note) {
  const action = note.hidden ? "show" : "hide";
  const queued = !note.hidden && note.approved === false;
  const unshown = !note.hidden && !queued && note.revealed === false;
  return el(
    "li",
    {
      class: "live__note",
      "data-note": note.id,
      "data-color": note.color || "yellow",
      "data-hidden": String(Boolean(note.hidden)),
      "data-revealed": String(note.revealed !== false),
      "data-approved": String(note.approved !== false),
      tabindex: queued ? "0" : null, // A approves the focused note (issue 15)
    },
    el("p", { class: "live__text" }, note.starred ? starMark(t.starred) : null, note.starred ? " " : null, shown(note, "text")),
    note.author ? el("p", { class: "live__author" }, note.author) : null,
    queued || unshown ? el("p", { class: "live__state" }, queued ? t.queued : t.notShown) : null,
    queued
      ? el(
          "form",
          { method: "post", class: "live__approve", action: url.note(note.id, "approve"), "data-event": "note:approve", "data-note": note.id },
          el("button", { type: "submit", class: "button button--small button--primary" }, t.approve),
        )
      : null,
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
  const columns = byId("live-columns", HTMLElement);
  keepNoteFocus(columns, () => columns.replaceChildren(...sections));
  columns.hidden = notes.length === 0;
  setText("note-count", String(notes.length));
  byId("live-empty", HTMLElement).hidden = notes.length > 0;
  renderModes(round, notes);
}

// --- facilitation modes (issue 15): the round's settings, the reveal, the moderation queue

/** Rebuilding the notes keeps the keyboard in the queue: the focused note keeps the focus, or,
 * once it left the queue (approved, hidden), the next note still waiting gets it. */
function keepNoteFocus(columns, rebuild) {
  const active = document.activeElement;
  const focused = active instanceof HTMLElement && columns.contains(active) ? active.closest(".live__note") : null;
  const queue = findAll(columns, ".live__note[tabindex]", HTMLElement).map((li) => li.dataset.note);
  rebuild();
  if (!(focused instanceof HTMLElement) || !queue.includes(focused.dataset.note)) return;
  const after = queue.slice(queue.indexOf(focused.dataset.note));
  const waiting = findAll(columns, ".live__note[tabindex]", HTMLElement);
  const next = after.map((id) => waiting.find((li) => li.dataset.note === id)).find(Boolean) ?? waiting[0];
  next?.focus({ preventScroll: false });
}

/** The round whose settings the form shows: the running one, else the next to start. */
function settingsRound() {
  const round = currentRound(state);
  return round?.status === "running" ? round : nextRound();
}

function renderModes(round, notes) {
  const form = byId("modes-form", HTMLFormElement);
  const target = settingsRound();
  form.hidden = !target;
  if (target) {
    // Boxes being ticked (the focus in the form) stay as they are, unless the form turns to another round.
    const another = form.dataset.round !== String(target.id);
    form.dataset.round = String(target.id);
    form.action = url.round(target.id, "settings");
    setText("modes-round", target.title || format(t.roundNamed, { number: target.position + 1 }));
    if (another || !form.contains(document.activeElement)) {
      for (const name of ["reveal", "moderated", "anonymous"]) control(form, name).checked = Boolean(target[name]);
    }
  }
  const waiting = notes.filter((n) => !n.hidden && (n.revealed === false || n.approved === false));
  const unrevealed = waiting.filter((n) => n.revealed === false);
  const queued = waiting.filter((n) => n.approved === false);
  setText("modes-waiting", waiting.length ? countText(waiting.length, t.waitingOne, t.waitingMany) : "");
  for (const [selector, shown, action] of /** @type {[string, boolean, string][]} */ ([
    [".modes-reveal", unrevealed.length > 0, "reveal"],
    [".modes-approve", queued.length > 0, "approve"],
  ])) {
    const button = find(document, selector, HTMLFormElement);
    button.hidden = !shown || !round;
    if (round) {
      button.dataset.round = String(round.id);
      button.action = url.round(round.id, action);
    }
  }
  byId("modes-keys", HTMLElement).hidden = queued.length === 0;
  const tables = [...new Set(unrevealed.map((n) => n.table).filter((n) => n !== null))].sort((a, b) => a - b);
  const box = byId("modes-tables", HTMLElement);
  const shape = JSON.stringify([round?.id, tables]);
  if (box.dataset.shape === shape) return;
  box.dataset.shape = shape;
  keepFocus(box, () =>
    box.replaceChildren(
      ...tables.map((number) =>
        el(
          "form",
          { class: "act modes-reveal-table", method: "post", action: url.round(round.id, "reveal"), "data-event": "notes:reveal", "data-round": round.id, "data-table": number },
          el("input", { type: "hidden", name: "table", value: number }),
          el("button", { type: "submit", class: "button button--small" }, format(t.revealTable, { number })),
        ),
      ),
    ),
  );
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

function renderPresence(presence) {
  if (!presence) return;
  setText("phones", plural(presence.phones ?? 0, t));
  const people = Object.entries(presence.people ?? {}).sort(([a], [b]) => (Number(a) || 1e9) - (Number(b) || 1e9));
  byId("people", HTMLUListElement).replaceChildren(
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

// --- World Café: the tables panel

let tablesShape = null; // what the panel was last built from: rebuilt only when it changes
const openSeats = new Set(); // tables whose people (and their moves) are unfolded: kept across rebuilds
byId("tables-list", HTMLOListElement).addEventListener(
  "toggle",
  (event) => {
    const box = targetOf(event);
    if (!(box instanceof HTMLDetailsElement) || !box.matches(".seated-box")) return;
    const number = Number(box.dataset.table);
    if (box.open) openSeats.add(number);
    else openSeats.delete(number);
  },
  true, // toggle does not bubble
);

function personLabel(person, numbers) {
  return person.name || format(t.participant, { number: numbers.get(person.id) ?? person.id });
}

function tableOptions(numbers, selected) {
  return numbers.map((n) => el("option", { value: n, selected: n === selected }, format(t.table, { number: n })));
}

function moveForm(person, name, numbers, current) {
  return el(
    "form",
    { class: "seated__move", method: "post", action: url.move(person.id), "data-event": "participant:move", "data-participant": person.id },
    el("select", { name: "table", "data-key": `move-${person.id}`, "aria-label": format(t.moveTo, { name }) }, tableOptions(numbers, current)),
    el("button", { type: "submit", class: "button button--small", "data-key": `move-go-${person.id}` }, t.move),
  );
}

/** "Left the workshop": out of the coming rounds' plan, nobody else moves (issue 16). */
function leaveForm(person, name) {
  return el(
    "form",
    { class: "seated__leave", method: "post", action: `${base}/participants/${person.id}/leave`, "data-event": "participant:leave", "data-participant": person.id },
    el("button", { type: "submit", class: "button button--small", "data-key": `leave-${person.id}`, "aria-label": format(t.leftLabel, { name }) }, t.left),
  );
}

function hostSelect(table, people, numbers) {
  const here = people.filter((p) => p.table === table.number);
  const elsewhere = people.filter((p) => p.table !== table.number);
  const option = (person) =>
    el(
      "option",
      { value: person.id, selected: person.id === table.host_id },
      personLabel(person, numbers),
      person.table !== null && person.table !== table.number ? ` (${format(t.atTable, { number: person.table })})` : null,
    );
  return el(
    "select",
    { id: `host-${table.number}`, name: "participant", "data-key": `host-${table.number}`, "aria-label": format(t.hostOf, { number: table.number }) },
    el("option", { value: "", selected: table.host_id === null }, t.noHost),
    here.length ? el("optgroup", { label: t.atThisTable }, here.map(option)) : null,
    elsewhere.length ? el("optgroup", { label: t.elsewhere }, elsewhere.map(option)) : null,
  );
}

/** Between two rounds, who the stored plan seats at this table next (issue 16). */
function nextLine(table, people, numbers) {
  const ids = state?.seating?.tables?.[String(table.number)];
  if (!ids) return null;
  const names = ids.map((id) => people.find((p) => p.id === id)).filter(Boolean).map((p) => personLabel(p, numbers));
  return el("p", { class: "table-card__next", "data-next": "" }, el("span", { class: "table-card__label" }, t.nextRound), " ", names.join(", ") || "—");
}

function tableCard(table, people, numbers, tableNumbers) {
  const seated = people.filter((p) => p.table === table.number).sort((a, b) => Number(b.id === table.host_id) - Number(a.id === table.host_id));
  const title = `table-card-${table.number}`;
  return el(
    "li",
    { class: "table-card", "data-table": table.number, "aria-labelledby": title },
    el("h3", { id: title, class: "table-card__title" }, format(t.table, { number: table.number })),
    table.theme ? el("p", { class: "table-card__theme" }, shown(table, "theme")) : null,
    el(
      "form",
      { class: "table-card__host", method: "post", action: url.host(table.number), "data-event": "host:assign", "data-table": table.number },
      el("label", { for: `host-${table.number}`, class: "table-card__label" }, t.host),
      el(
        "div",
        { class: "table-card__row" },
        hostSelect(table, people, numbers),
        el("button", { type: "submit", class: "button button--small", "data-key": `host-go-${table.number}` }, t.assign),
      ),
    ),
    el("p", { class: "table-card__counts", "data-counts": "" }),
    nextLine(table, people, numbers),
    el(
      "details",
      { class: "seated-box", "data-table": table.number, open: openSeats.has(table.number) ? true : null },
      el(
        "summary",
        { class: "seated-box__summary" },
        el(
          "span",
          { class: "table-card__label" },
          table.capacity ? format(t.seatedOf, { count: seated.length, capacity: table.capacity }) : format(t.seated, { count: seated.length }),
        ),
        " ",
        el("span", { class: "seated-box__names" }, seated.map((person) => personLabel(person, numbers)).join(", ")),
      ),
      el(
      "ul",
      { class: "seated" },
      seated.length
        ? seated.map((person) => {
            const name = personLabel(person, numbers);
            return el(
              "li",
              { class: "seated__person", "data-participant": person.id },
              el("span", { class: "seated__name" }, name),
              person.id === table.host_id ? el("span", { class: "badge badge--host" }, t.hostBadge) : null,
              moveForm(person, name, tableNumbers, table.number),
              leaveForm(person, name),
            );
          })
        : el("li", { class: "seated__none help" }, t.nobodySeated),
      ),
    ),
  );
}

function renderCounts(block) {
  const notes = state.notes.filter((n) => n.block === block.id && !n.hidden);
  for (const card of document.querySelectorAll("#tables-list .table-card")) {
    const number = Number(card.dataset.table);
    const here = notes.filter((n) => n.table === number);
    const ideas = here.filter((n) => n.kind === "harvest").length;
    card.querySelector("[data-counts]").replaceChildren(
      el("span", { class: "table-card__label" }, t.notesPerRound),
      ...block.rounds.map((round) =>
        el(
          "span",
          { class: "count", "data-round": round.id },
          round.title || format(t.roundNumber, { number: round.position + 1 }),
          "\u00a0",
          el("strong", {}, String(here.filter((n) => n.round === round.id && n.kind !== "harvest").length)),
        ),
      ),
      ...(ideas ? [el("span", { class: "count count--harvest" }, format(t.keyIdeas, { count: ideas }))] : []),
    );
  }
}

function renderTables() {
  const panel = byId("tables-panel", HTMLElement);
  const block = cafeBlock(state);
  panel.hidden = !block;
  if (!block) {
    tablesShape = null;
    return;
  }
  panel.dataset.block = String(block.id);
  panel.dataset.harvest = block.harvest;
  setText("harvest-state", t.harvestState[block.harvest] ?? "");
  byId("plan-link", HTMLAnchorElement).href = url.plan(block.id);
  for (const [selector, action, shown] of /** @type {[string, string, boolean][]} */ ([
    [".harvest-open", "open", block.harvest !== "open"],
    [".harvest-close", "close", block.harvest === "open"],
  ])) {
    const form = find(panel, selector, HTMLFormElement);
    form.hidden = !shown;
    form.dataset.block = String(block.id);
    form.action = url.harvest(block.id, action);
  }
  byId("harvest-post", HTMLFormElement).hidden = block.harvest !== "open";

  const people = (state.participants ?? []).slice().sort((a, b) => a.id - b.id);
  const shape = JSON.stringify([block.id, block.tables.map((x) => [x.number, x.host_id]), people.map((p) => [p.id, p.name, p.table])]);
  if (shape !== tablesShape) {
    tablesShape = shape;
    const numbers = new Map(people.map((p, index) => [p.id, index + 1]));
    const tableNumbers = block.tables.map((x) => x.number);
    const unseated = people.filter((p) => !tableNumbers.includes(p.table));
    keepFocus(panel, () => {
      byId("tables-list", HTMLOListElement).replaceChildren(...block.tables.map((x) => tableCard(x, people, numbers, tableNumbers)));
      byId("unseated", HTMLElement).hidden = unseated.length === 0;
      byId("unseated-list", HTMLUListElement).replaceChildren(
        ...unseated.map((person) => {
          const name = personLabel(person, numbers);
          return el(
            "li",
            { class: "seated__person", "data-participant": person.id },
            el("span", { class: "seated__name" }, name),
            moveForm(person, name, tableNumbers, null),
          );
        }),
      );
      const select = byId("harvest-table", HTMLSelectElement);
      const chosen = Number(select.value);
      select.replaceChildren(...tableOptions(tableNumbers, tableNumbers.includes(chosen) ? chosen : tableNumbers[0]));
    });
  }
  renderCounts(block);
}

let refreshTimer = null;
/** Many events in a burst (phones joining, moves) ask for one fresh snapshot. */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    if (joined) refresh();
  }, 250);
}

function render() {
  renderNow();
  renderAgenda();
  renderNotes();
  renderTables();
  byId("live", HTMLElement).hidden = Boolean(openSpaceBlock(state)); // Open Space notes are session reports
  openSpace.render();
  tick();
}

function tick() {
  const timer = byId("timer", HTMLElement);
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  timer.textContent = round && round.status === "running" ? roundTimerText(round, clock, t) : "";
  timer.dataset.status = timerState(round, clock);
  if (state) renderUndo(); // the undo goes when its seconds are over
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
    renderPresence(ack.presence);
  },
});
socket.on("disconnect", () => {
  joined = false;
  root.dataset.joined = "false";
});

for (const event of ["round:started", "round:extended", "round:closed", "round:skipped", "round:settings", "block:changed"]) {
  socket.on(event, (payload) => {
    clock.sync(payload?.now);
    refresh();
  });
}
socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  renderNotes();
  renderTables();
  openSpace.render();
});
socket.on("note:starred", ({ note, starred }) => {
  const found = state?.notes.find((n) => n.id === note);
  if (!found) return;
  found.starred = Boolean(starred);
  renderNotes();
});
for (const event of ["table:hosted", "harvest:opened", "harvest:closed", "harvest:cancelled"]) {
  socket.on(event, () => refreshSoon());
}
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
// Notes revealed or approved together (facilitation modes): the console's copies, as they now stand.
socket.on("notes:shown", (/** @type {import("./shapes.js").NotesShownJSON} */ payload) => {
  if (!state || !payload?.notes) return;
  const ids = new Set(payload.notes.map((n) => n.id));
  state.notes = state.notes.filter((n) => !ids.has(n.id)).concat(payload.notes);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  renderNotes();
});
// The stored seating plan (issue 16): a round's start in one line; a new plan said at once.
socket.on("seating:summary", (summary) => {
  if (!summary) return;
  const absent = countText(summary.absent, t.absentOne, t.absentMany);
  const walkIns = countText(summary.walk_ins, t.walkInOne, t.walkInMany);
  const plan = summary.replanned ? t.planUpdated : t.planUnchanged;
  setText("seating-line", format(t.seatingLine, { absent, walk_ins: walkIns, plan }));
});
socket.on("plan:updated", () => {
  setText("planned-at", t.replanned);
  refreshSoon(); // the next round per table
});
socket.on("tables:moving", () => refreshSoon());
socket.on("presence:updated", (presence) => {
  renderPresence(presence);
  refreshSoon(); // who sits where (the participants of the snapshot) may have changed
});

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
    if (ack.round?.status && state) {
      // The console shows its own change at once (the undo of a close among it), then the room's.
      applyRoundEvent(state, ack.round);
      render();
    }
    if (openSpace.handles(eventName)) openSpace.after(form, eventName);
    if (eventName === "harvest:post") {
      // Stored: the next idea gets a new id (a lost ack resends the same id, stored once).
      control(form, "text").value = "";
      control(form, "id").value = uuid();
    }
    if (["host:assign", "participant:move", "participant:leave", "harvest:post"].includes(eventName)) refreshSoon();
  } else {
    say(ack.error.message || t.offline, true);
  }
});

const ARMED_SECONDS = 6;
const disarmTimers = new WeakMap();
/** A close or a harvest asks first: the first press arms the button, a second press confirms. */
function confirmed(form) {
  const button = form.querySelector("button[type=submit], button:not([type])");
  if (form.dataset.armed === "true") {
    form.dataset.armed = "false";
    clearTimeout(disarmTimers.get(form));
    if (button?.dataset.label) button.textContent = button.dataset.label;
    return true;
  }
  form.dataset.armed = "true";
  if (button) {
    button.dataset.label ??= button.textContent;
    button.textContent = form.dataset.confirmLabel;
  }
  say(form.dataset.confirm);
  disarmTimers.set(form, setTimeout(() => {
    form.dataset.armed = "false";
    if (button?.dataset.label) button.textContent = button.dataset.label;
  }, ARMED_SECONDS * 1000));
  return false;
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
