// The board in an Open Space block: the marketplace (topics not on the wall yet) beside the agenda
// wall (time slots × spaces) with the people in each session now; during the vote, the ranking
// live; once closed, the priorities. The server renders the view (templates/openspace/_openspace_board.html,
// fetched again on each change); this script keeps what needs a script: the bars' lengths (CSSOM,
// no inline style under the CSP) and the marketplace's fit to the screen.
import { format, formatNumber, setText } from "../common.js";
import {
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  applyVoteUpdated,
  onStateEvent,
  openSpaceBlock,
  removeTopic,
  upsertTopic,
} from "../openspace.js";
import { byId, findAll } from "../dom.js";
import { coalesce, fetchFragment, swapRegion } from "../fragments.js";

const REGIONS = ["agenda-market-count", "agenda-market", "agenda-market-empty", "agenda-grid", "ranking-title", "ranking", "ranking-proposals"];

// shown(): false while the board shows something else instead (the results or the key terms).
/**
 * @param {{ socket: import("../shapes.js").Socket, t: Object<string, any>, code: string, getState: () => any,
 *   shown?: () => boolean }} parts
 */
export function boardOpenSpace({ socket, t, code, getState, shown = () => true }) {
  const section = byId("agenda", HTMLElement);
  const load = coalesce(async () => {
    const fresh = await fetchFragment(`/w/${encodeURIComponent(code)}/board/agenda`);
    if (fresh) apply(fresh);
  });

  function render() {
    const state = getState();
    const block = state ? openSpaceBlock(state) : null;
    section.hidden = !block || !shown();
    document.body.classList.toggle("board--open-space", Boolean(block));
    if (!block || section.hidden) return;
    load();
  }

  function apply(fresh) {
    const next = fresh.getElementById("agenda");
    if (!next) return;
    section.dataset.view = next.dataset.view;
    for (const id of REGIONS) swapRegion(document.getElementById(id), fresh.getElementById(id));
    layout();
  }

  /** What the server cannot know: the bars' lengths, the ranking's rows, what fits on the screen. */
  function layout() {
    const ranking = byId("ranking", HTMLOListElement);
    ranking.style.setProperty("--rows", ranking.dataset.rows || "1");
    for (const bar of findAll(section, ".ranking__bar[data-share]", HTMLElement)) bar.style.setProperty("--share", bar.dataset.share);
    // More topics than the column holds: the newest show, a line counts the others.
    const list = byId("agenda-market", HTMLOListElement);
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

  const on = onStateEvent(socket, getState, render);
  on("topic:added", (state, { topic }) => upsertTopic(state, topic));
  on("topic:updated", (state, { topic }) => upsertTopic(state, topic));
  on("topic:removed", (state, { topic }) => removeTopic(state, topic));
  on("agenda:updated", applyAgenda);
  on("attendance:updated", applyAttendance);
  on("vote:opened", applyVoteOpened);
  on("vote:updated", applyVoteUpdated);
  on("vote:closed", applyVoteClosed);

  if (!section.hidden) layout();
  return { render };
}
