// The phone's Open Space part drawn from the state snapshot: the "here" panel of a space's or a
// topic's QR code, the agenda wall slot by slot, the marketplace. The markup and its strings are
// the page's <template id="tpl-os-…"> (templates/openspace/_openspace_phone_items.html, the macros the server
// renders the first paint with); this fills copies of them. Text from people enters as text only.
import { format, formatNumber, shown } from "../common.js";
import { blockTopics, findTopic, placements, preserve, sessionInSpace, wallRows } from "../openspace.js";
import { byId } from "../dom.js";
import { clone, cloneParts, fill, showParts } from "../templates.js";

/** @typedef {Object<string, any>} Strings the page's strings (workshop/live/phone_routes.py) */

// --- the texts made of a topic's data: "Convener: Awa · 9 h 30 · Salle A · 3 here"

/** @param {Strings} t @param {{ slot: { label: string }, space: { name: string } } | undefined} placed */
export function whereText(t, placed) {
  return placed ? format(t.placedAt, { slot: placed.slot.label, space: placed.space.name }) : t.notPlaced;
}

/** The parts that say something, joined by " · ". @param {...string} parts */
export function meta(...parts) {
  return parts.filter(Boolean).join(" · ");
}

/** @param {Strings} t @param {import("../shapes.js").TopicJSON} topic */
export function hereText(t, topic) {
  return topic.attendance ? format(t.here, { count: formatNumber(topic.attendance) }) : "";
}

/** @param {Strings} t @param {import("../shapes.js").TopicJSON} topic */
export function convenerText(t, topic) {
  return topic.convener ? format(t.convenedBy, { name: topic.convener }) : t.anonymousConvener;
}

/**
 * A piece holding "You are here" and an "I'm here" form (data-show "you" and "attend"): the one
 * that applies stays, the form posting this topic under this data-key.
 * @template {Element | DocumentFragment} N
 * @param {N} node
 * @param {string} topicId
 * @param {string | null | undefined} attending
 * @param {string} key
 * @returns {N}
 */
export function hereOrAttend(node, topicId, attending, key) {
  fill(node, { topic: topicId, key });
  showParts(node, { you: topicId === attending, attend: topicId !== attending });
  return node;
}

// --- "I'm in this session", from a space's or a topic's QR code

/**
 * @param {Strings} t
 * @param {any} state
 * @param {any} block
 * @param {{ space: string | null, topic: string | null }} here what the page's address asked for
 */
export function renderHere(t, state, block, here) {
  const section = byId("os-here", HTMLElement);
  if (!here.space && !here.topic) {
    section.hidden = true;
    return;
  }
  const me = state.me ?? {};
  const placed = placements(block);
  let chosen = null;
  let others = [];
  let space = null;
  if (here.topic && findTopic(state, here.topic)) {
    chosen = findTopic(state, here.topic);
    space = placed.get(chosen.id)?.space ?? null;
  } else if (here.space) {
    space = (block.wall?.spaces ?? []).find((each) => each.id === here.space) ?? null;
    if (space) {
      const found = sessionInSpace(state, block, here.space);
      chosen = found.chosen?.topic ?? null;
      others = found.others.map((cell) => cell.topic);
    }
  }
  section.hidden = !chosen && !space;
  if (section.hidden) return;
  const title = byId("os-here-title", HTMLElement);
  title.textContent = space ? format(t.inSpaceNow, { space: space.name }) : (title.dataset.session ?? "");
  const body = byId("os-here-body", HTMLElement);
  preserve(body, () => {
    if (!chosen) {
      body.replaceChildren(fill(clone("tpl-os-here-none"), { text: format(t.noSessionInSpace, { space: space.name }) }));
      return;
    }
    const parts = cloneParts("tpl-os-here");
    fill(parts, { title: shown(chosen, "title"), meta: `${convenerText(t, chosen)} · ${whereText(t, placed.get(chosen.id))}` });
    hereOrAttend(parts, chosen.id, me.attending, `here-${chosen.id}`);
    showParts(parts, { others: others.length > 0 });
    parts.querySelector(".os-here__others")?.append(
      ...others.map((topic) =>
        hereOrAttend(
          fill(clone("tpl-os-here-other"), { title: shown(topic, "title"), slot: placed.get(topic.id)?.slot.label ?? "" }),
          topic.id,
          me.attending,
          `here-other-${topic.id}`,
        ),
      ),
    );
    body.replaceChildren(parts);
  });
}

// --- the agenda wall, slot by slot

/** @param {Strings} t @param {any} state @param {any} block */
export function renderWall(t, state, block) {
  const me = state.me ?? {};
  const rows = wallRows(state, block);
  const container = byId("os-wall-slots", HTMLElement);
  const anything = rows.some((row) => row.cells.some((cell) => cell.topic));
  preserve(container, () => {
    if (!anything) {
      container.replaceChildren(clone("tpl-os-wall-empty"));
      return;
    }
    container.replaceChildren(
      ...rows.map((row, index) => {
        const filled = row.cells.filter((cell) => cell.topic);
        const free = row.cells.filter((cell) => !cell.topic).map((cell) => cell.space.name);
        const slot = fill(clone("tpl-os-slot"), {
          heading: `os-slot-${index + 1}`,
          label: row.slot.label,
          free: !filled.length ? t.slotEmpty : free.length ? format(t.free, { spaces: free.join(", ") }) : t.allTaken,
        });
        showParts(slot, { cells: filled.length > 0 });
        slot.querySelector(".os-cells")?.append(...filled.map((cell) => wallCell(t, cell, me.attending)));
        return slot;
      }),
    );
  });
}

/** @param {Strings} t @param {{ space: { name: string }, topic: any }} cell @param {string | null | undefined} attending */
function wallCell(t, cell, attending) {
  const topic = cell.topic;
  const node = fill(clone("tpl-os-cell"), {
    here: String(topic.id === attending),
    space: cell.space.name,
    title: shown(topic, "title"),
    meta: meta(convenerText(t, topic), hereText(t, topic)),
  });
  return hereOrAttend(node, topic.id, attending, `wall-${topic.id}`);
}

// --- the marketplace: the topics still on this phone first, then the server's, newest first

/**
 * @param {Strings} t
 * @param {any} state
 * @param {any} block
 * @param {Object<string, any>[]} waitingTopics the topic outbox's items: {id, title, description, error}
 */
export function renderMarket(t, state, block, waitingTopics) {
  const me = state.me ?? {};
  const topics = blockTopics(state, block);
  const known = new Set(topics.map((topic) => topic.id));
  const waiting = waitingTopics.filter((item) => !known.has(item.id));
  const mine = new Set(me.topics ?? []);
  const placed = placements(block);
  const heading = byId("os-topics-title", HTMLElement);
  heading.textContent = format(t.topics, { count: formatNumber(topics.length) });
  const list = byId("os-topics", HTMLUListElement);
  preserve(list, () =>
    list.replaceChildren(
      ...waiting
        .slice()
        .reverse()
        .map((item) => {
          const node = fill(clone("tpl-os-topic"), {
            topic: item.id,
            mine: "true",
            status: "waiting",
            title: item.title,
            description: item.description ?? "",
            ...(item.error && { state: item.error }),
          });
          return showParts(node, { description: Boolean(item.description), waiting: true, sent: false, you: false, attend: false });
        }),
      ...topics
        .slice()
        .reverse()
        .map((topic) => {
          const node = fill(clone("tpl-os-topic"), {
            mine: String(mine.has(topic.id)),
            status: "sent",
            title: shown(topic, "title"),
            description: topic.description ?? "",
            meta: meta(convenerText(t, topic), whereText(t, placed.get(topic.id)), hereText(t, topic)),
          });
          showParts(node, { description: Boolean(topic.description), waiting: false, sent: true, mine: mine.has(topic.id) });
          return hereOrAttend(node, topic.id, me.attending, `market-${topic.id}`);
        }),
    ),
  );
  byId("os-no-topics", HTMLElement).hidden = list.children.length > 0;
}
