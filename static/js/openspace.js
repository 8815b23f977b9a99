// Open Space, shared by the phone, the board and the console: reading the agenda wall out of the
// state snapshot, and applying the server's topic, agenda, attendance and vote events to it.
// The wall's cells are the truth about placement (a reshaped wall drops topics without a
// topic:updated), so nothing here reads a topic's own slot and space.
import { currentBlock, currentRound, format, formatDay, shown } from "./common.js";

/** An action's owner and deadline in one line: "Marie · by May 4, 2010" (t.ownerDue, t.dueOnly). */
export function actionMeta(note, t) {
  const due = note.due ? formatDay(note.due) : "";
  if (note.owner && due) return format(t.ownerDue, { owner: note.owner, due });
  return note.owner || (due ? format(t.dueOnly, { due }) : "");
}

/** The current block when it is an Open Space, else null. */
export function openSpaceBlock(state) {
  const block = currentBlock(state);
  return block && block.method === "open-space" ? block : null;
}

/** The question of the block's round that runs or ran last, else of its first round. */
export function blockQuestion(state, block) {
  const round = currentRound(state);
  if (round && round.block === block.id) return shown(round, "question");
  return shown(block.rounds[0], "question") ?? "";
}

/**
 * @param {{ topics?: import("./shapes.js").TopicJSON[] } | null} state
 * @param {{ id: number }} block
 * @returns {import("./shapes.js").TopicJSON[]}
 */
export function blockTopics(state, block) {
  return (state?.topics ?? []).filter((topic) => topic.block === block.id);
}

/**
 * @param {{ topics?: import("./shapes.js").TopicJSON[] } | null} state
 * @param {string} id
 * @returns {import("./shapes.js").TopicJSON | null}
 */
export function findTopic(state, id) {
  return (state?.topics ?? []).find((topic) => topic.id === id) ?? null;
}

/** topic id -> {slot: {id, label}, space: {id, name}} for the topics on the block's wall. */
export function placements(block) {
  const slots = new Map((block.wall?.slots ?? []).map((slot) => [slot.id, slot]));
  const spaces = new Map((block.wall?.spaces ?? []).map((space) => [space.id, space]));
  const placed = new Map();
  for (const cell of block.wall?.cells ?? []) {
    const slot = slots.get(cell.slot);
    const space = spaces.get(cell.space);
    if (slot && space) placed.set(cell.topic, { slot, space });
  }
  return placed;
}

/** The wall as rows: [{slot, cells: [{slot, space, topic (object or null)}]}]. */
export function wallRows(state, block) {
  const byId = new Map(blockTopics(state, block).map((topic) => [topic.id, topic]));
  const at = new Map((block.wall?.cells ?? []).map((cell) => [`${cell.slot}\u0000${cell.space}`, byId.get(cell.topic) ?? null]));
  return (block.wall?.slots ?? []).map((slot) => ({
    slot,
    cells: (block.wall?.spaces ?? []).map((space) => ({ slot, space, topic: at.get(`${slot.id}\u0000${space.id}`) ?? null })),
  }));
}

/** The free cells, slot by slot: [{slot, spaces: [space]}] (slots without a free cell left out). */
export function freeCells(state, block) {
  return wallRows(state, block)
    .map((row) => ({ slot: row.slot, spaces: row.cells.filter((cell) => !cell.topic).map((cell) => cell.space) }))
    .filter((row) => row.spaces.length);
}

/** A cell as a select's value: both ids, whatever characters they hold. */
export function cellValue(slot, space) {
  return JSON.stringify([slot.id, space.id]);
}

export function parseCell(value) {
  try {
    const [slot, space] = JSON.parse(value);
    return typeof slot === "string" && typeof space === "string" ? { slot, space } : null;
  } catch {
    return null;
  }
}

/** Topics by dots, most first; ties keep the order they were proposed in. */
/**
 * @param {import("./shapes.js").TopicJSON[]} topics
 * @returns {import("./shapes.js").TopicJSON[]}
 */
export function ranking(topics) {
  return topics
    .map((topic, index) => ({ topic, index }))
    .sort((a, b) => (b.topic.votes ?? 0) - (a.topic.votes ?? 0) || a.index - b.index)
    .map(({ topic }) => topic);
}

/** The session a space's QR code offers: placed there in the slot holding the most people now,
 * else in the first slot that has one; and the space's other sessions. */
export function sessionInSpace(state, block, spaceId) {
  const rows = wallRows(state, block);
  const here = rows.flatMap((row) => row.cells.filter((cell) => cell.space.id === spaceId && cell.topic)).map((cell) => cell);
  if (!here.length) return { chosen: null, others: [] };
  const people = new Map();
  for (const row of rows) {
    for (const cell of row.cells) {
      if (cell.topic?.attendance) people.set(row.slot.id, (people.get(row.slot.id) ?? 0) + cell.topic.attendance);
    }
  }
  let now = null;
  for (const [slot, count] of people) if (now === null || count > people.get(now)) now = slot;
  const chosen = here.find((cell) => cell.slot.id === now) ?? here[0];
  return { chosen, others: here.filter((cell) => cell !== chosen) };
}

// --- events

export function upsertTopic(state, topic) {
  if (!state || !topic) return;
  const index = state.topics.findIndex((each) => each.id === topic.id);
  if (index >= 0) state.topics[index] = { ...state.topics[index], ...topic };
  else state.topics.push(topic);
}

export function removeTopic(state, id) {
  if (!state) return;
  state.topics = state.topics.filter((topic) => topic.id !== id);
  if (state.me) {
    state.me.topics = (state.me.topics ?? []).filter((each) => each !== id);
    if (state.me.attending === id) state.me.attending = null;
  }
}

export function applyAgenda(state, payload) {
  const block = state?.blocks.find((b) => b.id === payload?.block);
  if (block && payload.wall) block.wall = payload.wall;
}

export function applyAttendance(state, payload) {
  for (const [id, count] of Object.entries(payload?.attendance ?? {})) {
    const topic = findTopic(state, id);
    if (topic) topic.attendance = count;
  }
}

export function applyVoteOpened(state, payload) {
  const block = state?.blocks.find((b) => b.id === payload?.block);
  if (!block) return;
  block.vote = { status: "open", dots: payload.dots, top: payload.top };
  for (const topic of blockTopics(state, block)) topic.selected = false;
}

export function applyVoteUpdated(state, payload) {
  if (!state || !payload) return;
  const list = payload.target === "note" ? state.notes : state.topics;
  const found = list.find((each) => each.id === payload.id);
  if (found) found.votes = payload.votes;
}

export function applyVoteClosed(state, payload) {
  const block = state?.blocks.find((b) => b.id === payload?.block);
  if (!block) return;
  block.vote = { ...(block.vote ?? {}), status: "closed" };
  const selected = new Set(payload.selected ?? []);
  const votes = new Map((payload.ranking ?? []).map((row) => [row.topic, row.votes]));
  for (const topic of blockTopics(state, block)) {
    topic.selected = selected.has(topic.id);
    if (votes.has(topic.id)) topic.votes = votes.get(topic.id);
  }
}

/** Rebuilds part of a page and puts back what a person was doing in it: the text typed, the
 * choice made, the disclosure opened, the focus and the caret (controls known by data-key). */
export function preserve(container, rebuild) {
  const kept = new Map();
  for (const control of container.querySelectorAll("[data-key]")) {
    const key = control.dataset.key;
    if (control.tagName === "DETAILS") kept.set(key, { open: control.open });
    else if (control.type === "radio" || control.type === "checkbox") {
      if (control.checked !== control.defaultChecked) kept.set(key, { checked: control.checked });
    } else if (control.tagName === "SELECT") {
      const option = control.options[control.selectedIndex];
      if (option && !option.defaultSelected) kept.set(key, { value: control.value });
    } else if ("value" in control && control.value !== control.defaultValue) {
      kept.set(key, { value: control.value });
    }
  }
  const active = document.activeElement;
  const focused = active && container.contains(active) ? active.dataset.key : undefined;
  const caret = focused && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
  rebuild();
  for (const [key, was] of kept) {
    const control = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (!control) continue;
    if ("open" in was) control.open = was.open;
    else if ("checked" in was) control.checked = was.checked;
    else if (control.tagName === "SELECT") {
      if (Array.from(control.options).some((option) => option.value === was.value)) control.value = was.value;
    } else control.value = was.value;
  }
  if (!focused) return;
  const again = container.querySelector(`[data-key="${CSS.escape(focused)}"]`);
  if (!again) return;
  again.focus({ preventScroll: true });
  if (caret && typeof again.setSelectionRange === "function") {
    try {
      again.setSelectionRange(...caret);
    } catch {
      // not a text field any more
    }
  }
}

/** Binds a server event to the page's state: `apply(state, payload)` then `render()`, once the
 * page holds a state (board and console alike). */
export function onStateEvent(socket, getState, render) {
  return (event, apply) =>
    socket.on(event, (payload) => {
      const state = getState();
      if (!state) return;
      apply(state, payload ?? {});
      render();
    });
}
