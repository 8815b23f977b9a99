// The board in an Open Space block: the marketplace (topics not on the wall yet) beside the agenda
// wall (time slots × spaces) with the people in each session now; during the vote, the ranking
// live; once closed, the priorities. Rebuilt from the state on every event (nothing to type here).
import { countText, el, format, formatNumber, setText, shown as printed } from "./common.js";
import {
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  applyVoteUpdated,
  blockTopics,
  onStateEvent,
  openSpaceBlock,
  placements,
  ranking,
  removeTopic,
  upsertTopic,
  wallRows,
} from "./openspace.js";
import { byId } from "./dom.js";

// shown(): false while the board shows something else instead (the results or the key terms).
/**
 * @param {{ socket: import("./shapes.js").Socket, t: Object<string, any>, getState: () => any,
 *   shown?: () => boolean }} parts
 */
export function boardOpenSpace({ socket, t, getState, shown = () => true }) {
  const section = byId("agenda", HTMLElement);

  function topicCard(topic, tag = "div") {
    const here = topic.attendance ?? 0;
    return el(
      tag,
      { class: "board-topic", "data-topic": topic.id, "data-selected": String(Boolean(topic.selected)) },
      el("p", { class: "board-topic__title" }, printed(topic, "title")),
      el("p", { class: "board-topic__convener" }, topic.convener || t.noConvener),
      el("p", { class: "board-topic__here", "data-count": here }, here ? format(t.here, { count: formatNumber(here) }) : ""),
    );
  }

  function render() {
    const state = getState();
    const block = state ? openSpaceBlock(state) : null;
    section.hidden = !block || !shown();
    document.body.classList.toggle("board--open-space", Boolean(block));
    if (!block || section.hidden) return;
    const status = block.vote?.status ?? "none";
    section.dataset.view = status === "open" ? "vote" : status === "closed" ? "result" : "wall";
    renderMarket(state, block);
    renderGrid(state, block);
    renderRanking(state, block, status);
  }

  function renderMarket(state, block) {
    const placed = placements(block);
    const unplaced = blockTopics(state, block).filter((topic) => !placed.has(topic.id));
    setText("agenda-market-count", formatNumber(unplaced.length));
    const list = byId("agenda-market", HTMLOListElement);
    list.replaceChildren(...unplaced.slice().reverse().map((topic) => topicCard(topic, "li")));
    byId("agenda-market-empty", HTMLElement).hidden = unplaced.length > 0;
    // More topics than the column holds: the newest show, a line counts the others.
    const bottom = list.getBoundingClientRect().bottom;
    let more = 0;
    for (const item of /** @type {HTMLElement[]} */ (Array.from(list.children))) {
      if (more || item.getBoundingClientRect().bottom > bottom - 40) {
        item.hidden = true;
        more += 1;
      }
    }
    setText("agenda-market-more", more ? format(t.moreTopics, { count: formatNumber(more) }) : "");
  }

  function renderGrid(state, block) {
    const grid = byId("agenda-grid", HTMLTableElement);
    const spaces = block.wall?.spaces ?? [];
    grid.dataset.spaces = String(spaces.length);
    grid.tHead.replaceChildren(
      el(
        "tr",
        {},
        el("th", { scope: "col", class: "agenda-grid__corner" }, el("span", { class: "visually-hidden" }, t.timeSlot)),
        spaces.map((space) => el("th", { scope: "col", class: "agenda-grid__space" }, space.name)),
      ),
    );
    grid.tBodies[0].replaceChildren(
      ...wallRows(state, block).map((row) =>
        el(
          "tr",
          {},
          el("th", { scope: "row", class: "agenda-grid__slot" }, row.slot.label),
          row.cells.map((cell) =>
            el(
              "td",
              { class: "agenda-grid__cell", "data-slot": cell.slot.id, "data-space": cell.space.id, "data-topic": cell.topic?.id ?? "" },
              cell.topic ? topicCard(cell.topic) : null,
            ),
          ),
        ),
      ),
    );
  }

  function renderRanking(state, block, status) {
    setText(
      "ranking-title",
      status === "open" ? format(t.voteOpen, { dots: formatNumber(block.vote.dots) }) : status === "closed" ? t.voteClosed : "",
    );
    const ranked = status === "none" ? [] : ranking(blockTopics(state, block));
    const most = Math.max(1, ...ranked.map((topic) => topic.votes ?? 0));
    const list = byId("ranking", HTMLOListElement);
    list.dataset.columns = ranked.length > 6 ? "2" : "1";
    list.style.setProperty("--rows", String(Math.ceil(ranked.length / 2)));
    list.replaceChildren(
      ...ranked.map((topic) => {
        const votes = topic.votes ?? 0;
        const bar = el("span", { class: "ranking__bar", "aria-hidden": "true" });
        bar.style.setProperty("--share", String(votes / most)); // CSSOM, not a style attribute
        return el(
          "li",
          { class: "ranking__item", "data-topic": topic.id, "data-selected": String(Boolean(topic.selected)), "data-votes": votes },
          el("p", { class: "ranking__title-text" }, printed(topic, "title")),
          el("p", { class: "ranking__convener" }, topic.convener || t.noConvener),
          el("p", { class: "ranking__votes" }, countText(votes, t.voteOne, t.votes)),
          topic.selected ? el("p", { class: "ranking__badge" }, t.selected) : null,
          bar,
        );
      }),
    );
    const proposals = status === "none" ? [] : (state.notes ?? []).filter((note) => note.block === block.id && note.tag === "proposal" && !note.hidden && note.votes > 0);
    const box = byId("ranking-proposals", HTMLElement);
    box.hidden = proposals.length === 0;
    box.replaceChildren(
      el("h3", { class: "ranking__subtitle" }, t.proposals),
      el(
        "ol",
        { class: "ranking ranking--proposals" },
        proposals
          .slice()
          .sort((a, b) => b.votes - a.votes)
          .map((note) => el("li", { class: "ranking__item", "data-note": note.id }, el("p", { class: "ranking__title-text" }, printed(note, "text")), el("p", { class: "ranking__votes" }, countText(note.votes ?? 0, t.voteOne, t.votes)))),
      ),
    );
  }

  const on = onStateEvent(socket, getState, render);
  on("topic:added", (state, { topic }) => upsertTopic(state, topic));
  on("topic:updated", (state, { topic }) => upsertTopic(state, topic));
  on("topic:removed", (state, { topic }) => removeTopic(state, topic));
  on("agenda:updated", applyAgenda);
  on("attendance:updated", applyAttendance);
  on("vote:opened", applyVoteOpened);
  on("vote:updated", applyVoteUpdated);
  on("vote:closed", applyVoteClosed);

  return { render };
}
