// The phone's own sessions (the one it is in, those it convenes: the convener's tools, the report
// and its form) and the dot vote then the action planning, drawn from the state snapshot and what
// the outboxes still hold. Markup and strings: the page's <template id="tpl-os-…">
// (templates/openspace/_openspace_phone_items.html); text from people enters as text only.
import { countText, format, formatNumber, shown } from "../common.js";
import { actionMeta, blockTopics, cellValue, findTopic, freeCells, placements, preserve, ranking } from "../openspace.js";
import { byId } from "../dom.js";
import { clone, cloneParts, fill, showParts } from "../templates.js";
import { hereText, meta, whereText } from "./phone-openspace-render.js";

const TAGS = ["key-point", "proposal", "action"];

/**
 * What the drawing needs beyond the snapshot: the page's strings, what the outboxes still hold,
 * the dots being taken back, and the status lines' messages (they survive the rebuilds).
 * @typedef {{
 *   t: Object<string, any>,
 *   reports: () => Object<string, any>[],
 *   dots: () => Object<string, any>[],
 *   withdrawing: Set<string>,
 *   messages: Map<string, { text: string, kind: string }>,
 * }} Pending
 */

// --- my sessions: the one I am in, those I convene; tools and the report

/** @param {Pending} pending @param {any} state @param {any} block */
export function renderSessions(pending, state, block) {
  const me = state.me ?? {};
  const attending = me.attending ? findTopic(state, me.attending) : null;
  const mine = new Set(me.topics ?? []);
  const convened = blockTopics(state, block).filter((topic) => mine.has(topic.id) && topic.id !== attending?.id);
  const cards = [attending, ...convened].filter(Boolean);
  byId("os-sessions-help", HTMLElement).hidden = cards.length > 0;
  const list = byId("os-session-list", HTMLElement);
  const placed = placements(block);
  preserve(list, () => list.replaceChildren(...cards.map((topic, index) => sessionCard(pending, state, block, topic, index, placed, mine))));
  renderPhotoForm(pending.t, blockTopics(state, block).filter((topic) => mine.has(topic.id)));
}

/** The flipchart photo (templates/photos/_photo_upload.html, sent by photos.js): shown while the phone
 * convenes a session of this block, for that session, or a choice when it convenes several. */
function renderPhotoForm(t, convened) {
  const section = document.getElementById("os-photos");
  const field = byId("os-photo-topic-field", HTMLElement);
  if (!section || !field) return;
  section.hidden = convened.length === 0;
  const sessions = JSON.stringify(convened.map((topic) => [topic.id, topic.title]));
  if (field.dataset.sessions === sessions) return; // the same sessions: the choice stays as it is
  field.dataset.sessions = sessions;
  const chosen = /** @type {HTMLInputElement | HTMLSelectElement | null} */ (document.getElementById("os-photo-topic"))?.value;
  const only = convened.length === 1 ? convened[0] : null;
  const parts = fill(cloneParts("tpl-os-photo-field"), { topic: only?.id ?? "", for: only ? format(t.photoFor, { title: only.title }) : "" });
  showParts(parts, { choice: convened.length > 1, one: convened.length <= 1 });
  parts.querySelector("select")?.append(...convened.map((topic) => new Option(topic.title, topic.id, topic.id === chosen, topic.id === chosen)));
  field.replaceChildren(parts);
}

function sessionCard(pending, state, block, topic, index, placed, mine) {
  const isIn = topic.id === state.me?.attending;
  const where = placed.get(topic.id);
  const notes = reportNotes(pending, state, topic.id);
  const card = fill(clone("tpl-os-card"), {
    topic: topic.id,
    role: isIn ? "attending" : "convening",
    heading: `os-card-${index + 1}`,
    title: shown(topic, "title"),
    meta: meta(whereText(pending.t, where), hereText(pending.t, topic)),
    key: `leave-${topic.id}`,
  });
  showParts(card, { attending: isIn, convening: !isIn, leave: isIn, empty: notes.length === 0 });
  const report = card.querySelector(".os-report");
  if (mine.has(topic.id) && topic.block === block.id) report.before(convenerTools(state, block, topic, where));
  report.append(...reportGroups(pending, notes), reportForm(pending, topic.id, null));
  return card;
}

function convenerTools(state, block, topic, where) {
  const id = topic.id;
  const free = freeCells(state, block);
  const tools = fill(clone("tpl-os-tools"), {
    topic: id,
    select: `place-${id}`,
    "place-go": `place-go-${id}`,
    manage: `manage-${id}`,
    "manage-summary": `manage-summary-${id}`,
    title: `rename-title-${id}`,
    "title-value": topic.title,
    description: `rename-description-${id}`,
    "description-value": topic.description ?? "",
    "rename-go": `rename-go-${id}`,
    unplace: `unplace-${id}`,
    withdraw: `withdraw-${id}`,
  });
  showParts(tools, { place: !where, move: Boolean(where), free: free.length > 0, "no-free": !free.length, placed: Boolean(where) });
  tools.querySelector("select")?.append(
    ...free.map((row) => {
      const group = document.createElement("optgroup");
      group.label = row.slot.label;
      group.append(...row.spaces.map((space) => new Option(`${space.name} · ${row.slot.label}`, cellValue(row.slot, space))));
      return group;
    }),
  );
  // Off the wall, placing it is the convener's next step; on it, moving waits behind "Manage".
  if (where) tools.querySelector(".os-manage__body")?.prepend(tools.querySelector("[data-form=place]"));
  return tools;
}

/** The topic's report notes the server has, then those still on this phone ("waiting"). */
function reportNotes(pending, state, topicId) {
  const sent = (state.notes ?? []).filter((note) => note.topic === topicId && !note.hidden);
  const known = new Set(sent.map((note) => note.id));
  const waiting = pending
    .reports()
    .filter((item) => item.topic === topicId && !known.has(item.id))
    .map((item) => ({ ...item, waiting: true }));
  return [...sent, ...waiting];
}

function reportGroups(pending, notes) {
  return TAGS.map((tag) => {
    const these = notes.filter((note) => (note.tag || "key-point") === tag);
    if (!these.length) return null;
    const group = clone(`tpl-os-report-group-${tag}`);
    const heading = group.querySelector(".os-report__tag");
    fill(group, { heading: `${heading?.getAttribute("data-heading") ?? ""} (${these.length})` });
    group.querySelector(".os-report__notes")?.append(...these.map((note) => noteLine(pending, note)));
    return group;
  }).filter(Boolean);
}

function noteLine(pending, note) {
  const extra = note.tag === "action" ? actionMeta(note, pending.t) : "";
  const line = fill(clone("tpl-os-note"), {
    tag: note.tag || "key-point",
    status: note.waiting ? "waiting" : "sent",
    note: note.id,
    text: shown(note, "text"),
    meta: extra,
  });
  return showParts(line, { meta: Boolean(extra), waiting: Boolean(note.waiting) });
}

/** A report note form; ``actionOnly`` (its label): the action-planning form of a selected topic. */
function reportForm(pending, id, actionOnly) {
  const key = `${actionOnly ? "action" : "report"}-${id}`;
  const message = pending.messages.get(key);
  return fill(clone(actionOnly ? "tpl-os-action-form" : "tpl-os-report-form"), {
    topic: id,
    label: actionOnly,
    text: `${key}-text`,
    owner: `${key}-owner`,
    due: `${key}-due`,
    go: `${key}-go`,
    ...Object.fromEntries(TAGS.map((tag) => [`tag-${tag}`, `${key}-tag-${tag}`])),
    key,
    kind: message?.kind ?? "info",
    status: message?.text ?? "",
  });
}

// --- the vote, then the priorities and their action planning

function myDots(pending, state, target) {
  const kept = (state.me?.dots ?? []).filter((dot) => dot.target === target).length;
  return kept + pending.dots().filter((dot) => `${dot.target}:${dot.id}` === target).length;
}

function dotsLeft(pending, state) {
  const left = state.me?.dots_left;
  return left === null || left === undefined ? null : Math.max(0, left - pending.dots().length);
}

/** @param {Pending} pending @param {any} state @param {any} block */
export function renderVote(pending, state, block) {
  const t = pending.t;
  const section = byId("os-vote", HTMLElement);
  const vote = block.vote ?? { status: "none" };
  section.hidden = vote.status === "none";
  section.dataset.status = vote.status;
  if (section.hidden) return;
  const body = byId("os-vote-body", HTMLElement);
  const title = byId("os-vote-title", HTMLElement);
  if (vote.status === "open") {
    title.textContent = title.dataset.open;
    const left = dotsLeft(pending, state) ?? vote.dots;
    const proposals = (state.notes ?? []).filter((note) => note.block === block.id && note.tag === "proposal" && !note.hidden);
    const parts = fill(cloneParts("tpl-os-vote-open"), {
      "left-count": left,
      marks: "●".repeat(left) + "○".repeat(Math.max(0, vote.dots - left)),
      left: format(t.dotsLeft, { left: formatNumber(left), dots: formatNumber(vote.dots) }),
    });
    showParts(parts, { proposals: proposals.length > 0 });
    parts
      .querySelector('[data-list="topics"]')
      ?.append(...blockTopics(state, block).map((topic) => ballotLine(pending, state, "topic", topic.id, shown(topic, "title"), left)));
    parts.querySelector('[data-list="proposals"]')?.append(...proposals.map((note) => ballotLine(pending, state, "note", note.id, shown(note, "text"), left)));
    preserve(body, () => body.replaceChildren(parts));
    return;
  }
  title.textContent = title.dataset.closed;
  const list = clone("tpl-os-vote-closed");
  list.append(...ranking(blockTopics(state, block)).map((topic) => rankingLine(pending, state, topic)));
  preserve(body, () => body.replaceChildren(list));
}

function ballotLine(pending, state, kind, id, title, left) {
  const t = pending.t;
  const target = `${kind}:${id}`;
  const count = myDots(pending, state, target);
  const busy = pending.withdrawing.has(target);
  return fill(clone("tpl-os-ballot-line"), {
    target,
    dots: count,
    title,
    kind,
    id,
    minus: `minus-${target}`,
    plus: `plus-${target}`,
    "minus-label": format(t.removeDot, { title }),
    "plus-label": format(t.addDot, { title }),
    "minus-off": count === 0 || busy,
    "plus-off": left <= 0 || busy,
    count: format(t.myDots, { count: formatNumber(count) }),
  });
}

function rankingLine(pending, state, topic) {
  const t = pending.t;
  const selected = Boolean(topic.selected);
  const actions = selected ? reportNotes(pending, state, topic.id).filter((note) => note.tag === "action") : [];
  const line = fill(clone("tpl-os-ranking-line"), {
    topic: topic.id,
    selected: String(selected),
    title: shown(topic, "title"),
    votes: countText(topic.votes ?? 0, t.voteOne, t.votesCount),
  });
  showParts(line, { selected, actions: actions.length > 0 });
  if (selected) {
    line.querySelector(".os-plan .os-report__notes")?.append(...actions.map((note) => noteLine(pending, note)));
    line.querySelector(".os-plan")?.append(reportForm(pending, topic.id, format(t.actionFor, { title: topic.title })));
  }
  return line;
}
