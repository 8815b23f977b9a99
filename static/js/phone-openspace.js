// The phone in an Open Space block: the marketplace (topics proposed through an outbox kept on the
// phone until the server acknowledges them), my sessions (convener tools, the session's report,
// written through an outbox too), the agenda wall slot by slot, "I'm here" (also from a space's
// QR code), and the dot vote then the action planning.
// Text from people only ever enters the page through text nodes (el() of common.js).
import { countText, el, format, formatNumber, request, setText, shown, uuid } from "./common.js";
import {
  actionMeta,
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  blockTopics,
  cellValue,
  findTopic,
  freeCells,
  openSpaceBlock,
  parseCell,
  placements,
  preserve,
  ranking,
  removeTopic,
  sessionInSpace,
  upsertTopic,
  wallRows,
} from "./openspace.js";
import { byId, control, find, targetOf } from "./dom.js";
import { Outbox } from "./outbox.js";

const TAGS = ["key-point", "proposal", "action"];

/**
 * @param {{ socket: import("./shapes.js").Socket, store: any, t: Object<string, any>, getState: () => any,
 *   isJoined: () => boolean, refresh: () => void, remember: (note: import("./shapes.js").NoteJSON) => void }} parts
 */
export function phoneOpenSpace({ socket, store, t, getState, isJoined, refresh, remember }) {
  const root = byId("openspace", HTMLElement);
  const code = byId("participant", HTMLElement).dataset.code;
  const attendUrl = `/j/${encodeURIComponent(code)}/attend`;
  const maxLength = Number(byId("participant", HTMLElement).dataset.max) || 500;
  const topicForm = byId("topic-form", HTMLFormElement);
  const hereSpace = root.dataset.space || null;
  const hereTopic = root.dataset.topic || null;

  const withdrawing = new Set(); // targets whose dot is being taken back
  const messages = new Map(); // status line key -> {text, kind}: lines survive the rebuilds

  /** Topics proposed, not yet acknowledged: [{id, title, description, convener}]. */
  const topicsOut = new Outbox({
    store,
    name: "topic-outbox",
    message: (item) => [
      "topic:propose",
      { id: item.id, title: item.title, ...(item.description && { description: item.description }), ...(item.convener && { convener: item.convener }) },
    ],
    stored: (item, ack) => {
      const state = getState();
      upsertTopic(state, ack.topic);
      if (state?.me && !state.me.topics.includes(ack.topic.id)) state.me.topics.push(ack.topic.id);
      setText("topic-status", t.topicPosted);
    },
    refused: (item, ack) => {
      // Refused for good: what was typed goes back into the form, with the server's reason.
      const title = byId("topic-title", HTMLInputElement);
      if (!title.value.trim()) {
        title.value = item.title;
        byId("topic-description", HTMLInputElement).value = item.description ?? "";
      }
      const line = setText("topic-status", ack.error.message);
      line.dataset.kind = "error";
    },
    changed: () => render(),
  });

  /** A session's report lines, not yet acknowledged: [{id, topic, text, tag, owner, due, form}]. */
  const reportsOut = new Outbox({
    store,
    name: "report-outbox",
    message: (item) => [
      "report:post",
      { id: item.id, topic: item.topic, text: item.text, tag: item.tag, ...(item.owner && { owner: item.owner }), ...(item.due && { due: item.due }) },
    ],
    stored: (item, ack) => {
      remember(ack.note);
      tell(`${item.form}-${item.topic}`, item.tag === "action" && item.form === "action" ? t.actionPosted : t.reportPosted);
    },
    refused: (item, ack) => {
      const key = `${item.form}-${item.topic}`;
      const box = /** @type {HTMLTextAreaElement | null} */ (root.querySelector(`[data-key="${CSS.escape(`${key}-text`)}"]`));
      if (box && !box.value.trim()) box.value = item.text;
      tell(key, ack.error.message, "error");
    },
    changed: () => render(),
  });

  /** Dots cast, not yet acknowledged: [{dot, target, id}]. */
  const dotsOut = new Outbox({
    store,
    name: "dot-outbox",
    key: (item) => item.dot,
    message: (item) => ["vote:cast", { target: item.target, id: item.id, dot: item.dot }],
    stored: (item, ack) => {
      const state = getState();
      if (state?.me) {
        if (!state.me.dots.some((dot) => dot.id === item.dot)) state.me.dots.push({ id: item.dot, target: `${item.target}:${item.id}` });
        state.me.dots_left = ack.left;
      }
    },
    refused: (item, ack) => {
      toast(ack.error.message, "error");
      if (["vote_not_open", "no_dots_left"].includes(ack.error.code)) refresh();
    },
    changed: () => render(),
  });

  const errorText = (ack) => ack.error?.message || t.noAnswer;

  // --- feedback: a toast for taps anywhere on the page, a status line under each form

  let toastTimer = null;
  function toast(message, kind = "info") {
    const line = byId("os-toast", HTMLElement);
    line.textContent = message ?? "";
    line.dataset.kind = kind;
    clearTimeout(toastTimer);
    if (kind !== "error") toastTimer = setTimeout(() => (line.textContent = ""), 4000);
  }

  function tell(key, text, kind = "info") {
    messages.set(key, { text, kind });
    const line = root.querySelector(`[data-status-for="${CSS.escape(key)}"]`);
    if (line) {
      line.textContent = text;
      line.dataset.kind = kind;
    }
  }

  function statusLine(key) {
    const message = messages.get(key);
    return el(
      "p",
      { class: "note-status", role: "status", "aria-live": "polite", "data-status-for": key, "data-kind": message?.kind ?? "info" },
      message?.text ?? "",
    );
  }

  // --- small pieces

  function whereText(placed) {
    return placed ? format(t.placedAt, { slot: placed.slot.label, space: placed.space.name }) : t.notPlaced;
  }

  /** "Salle A · 9 h 30 · 3 here": the parts that say something, joined. */
  function meta(...parts) {
    return parts.filter(Boolean).join(" · ");
  }

  function hereText(topic) {
    return topic.attendance ? format(t.here, { count: formatNumber(topic.attendance) }) : "";
  }

  function convenerText(topic) {
    return topic.convener ? format(t.convenedBy, { name: topic.convener }) : t.anonymousConvener;
  }

  function attendForm(topicId, label, extraClass, key) {
    return el(
      "form",
      { class: "os-attend", method: "post", action: attendUrl },
      el("input", { type: "hidden", name: "topic", value: topicId ?? "" }),
      el("button", { type: "submit", class: `button ${extraClass}`, "data-key": key }, label),
    );
  }

  function hereOrAttend(topic, me, key) {
    return topic.id === me.attending
      ? el("p", { class: "os-cell__you" }, t.youAreHere)
      : attendForm(topic.id, t.imHere, "button--small", key);
  }

  // --- rendering

  function render() {
    const state = getState();
    if (!state) return;
    const block = openSpaceBlock(state);
    root.hidden = !block;
    if (!block) return;
    syncConvener(state);
    renderHere(state, block);
    renderVote(state, block);
    renderSessions(state, block);
    renderWall(state, block);
    renderMarket(state, block);
  }

  /** The convener field shows the phone's name, unless the person typed another one. */
  function syncConvener(state) {
    const input = byId("topic-convener", HTMLInputElement);
    if (document.activeElement === input || input.value !== input.defaultValue) return;
    input.value = input.defaultValue = state.me?.name ?? "";
  }

  function renderHere(state, block) {
    const section = byId("os-here", HTMLElement);
    if (!hereSpace && !hereTopic) {
      section.hidden = true;
      return;
    }
    const me = state.me ?? {};
    const placed = placements(block);
    let chosen = null;
    let others = [];
    let space = null;
    if (hereTopic && findTopic(state, hereTopic)) {
      chosen = findTopic(state, hereTopic);
      space = placed.get(chosen.id)?.space ?? null;
    } else if (hereSpace) {
      space = (block.wall?.spaces ?? []).find((each) => each.id === hereSpace) ?? null;
      if (space) {
        const found = sessionInSpace(state, block, hereSpace);
        chosen = found.chosen?.topic ?? null;
        others = found.others.map((cell) => cell.topic);
      }
    }
    section.hidden = !chosen && !space;
    if (section.hidden) return;
    setText("os-here-title", space ? format(t.inSpaceNow, { space: space.name }) : t.thisSession);
    const body = byId("os-here-body", HTMLElement);
    preserve(body, () =>
      body.replaceChildren(
        ...(chosen
          ? [
              el("p", { class: "os-here__title" }, shown(chosen, "title")),
              el("p", { class: "os-here__meta" }, `${convenerText(chosen)} · ${whereText(placed.get(chosen.id))}`),
              chosen.id === me.attending
                ? el("p", { class: "os-here__you" }, t.youAreIn)
                : attendForm(chosen.id, t.imInThis, "button--primary button--wide os-here__go", `here-${chosen.id}`),
              others.length ? el("h3", { class: "os-here__others-title" }, t.otherSessionsInSpace) : null,
              others.length
                ? el(
                    "ul",
                    { class: "os-here__others" },
                    others.map((topic) =>
                      el(
                        "li",
                        { class: "os-here__other", "data-topic": topic.id },
                        el("p", { class: "os-here__other-title" }, shown(topic, "title")),
                        el("p", { class: "os-here__meta" }, placed.get(topic.id)?.slot.label ?? ""),
                        hereOrAttend(topic, me, `here-other-${topic.id}`),
                      ),
                    ),
                  )
                : null,
            ]
          : [el("p", { class: "help" }, format(t.noSessionInSpace, { space: space.name }))]
        ).filter(Boolean), // replaceChildren would write "null"
      ),
    );
  }

  // --- my sessions: the one I am in, those I convene; tools and the report

  function renderSessions(state, block) {
    const me = state.me ?? {};
    const attending = me.attending ? findTopic(state, me.attending) : null;
    const mine = new Set(me.topics ?? []);
    const convened = blockTopics(state, block).filter((topic) => mine.has(topic.id) && topic.id !== attending?.id);
    const cards = [attending, ...convened].filter(Boolean);
    byId("os-sessions-help", HTMLElement).hidden = cards.length > 0;
    const list = byId("os-session-list", HTMLElement);
    const placed = placements(block);
    preserve(list, () => list.replaceChildren(...cards.map((topic, index) => sessionCard(state, block, topic, index, placed, mine))));
    renderPhotoForm(blockTopics(state, block).filter((topic) => mine.has(topic.id)));
  }

  /** The flipchart photo (templates/_photo_upload.html, sent by photos.js): shown while the phone
   * convenes a session of this block, for that session, or a choice when it convenes several. */
  function renderPhotoForm(convened) {
    const section = document.getElementById("os-photos");
    const field = byId("os-photo-topic-field", HTMLElement);
    if (!section || !field) return;
    section.hidden = convened.length === 0;
    const sessions = JSON.stringify(convened.map((topic) => [topic.id, topic.title]));
    if (field.dataset.sessions === sessions) return; // the same sessions: the choice stays as it is
    field.dataset.sessions = sessions;
    const chosen = /** @type {HTMLInputElement | HTMLSelectElement | null} */ (document.getElementById("os-photo-topic"))?.value;
    const only = convened.length === 1 ? convened[0] : null;
    field.replaceChildren(
      ...(convened.length > 1
        ? [
            el("label", { for: "os-photo-topic", class: "label" }, t.photoSession),
            el(
              "select",
              { id: "os-photo-topic", name: "topic", "data-key": "os-photo-topic" },
              convened.map((topic) => el("option", { value: topic.id, selected: topic.id === chosen }, topic.title)),
            ),
          ]
        : [
            el("input", { id: "os-photo-topic", type: "hidden", name: "topic", value: only?.id ?? "" }),
            el("p", { class: "help photo-upload__for" }, only ? format(t.photoFor, { title: only.title }) : ""),
          ]),
    );
  }

  function sessionCard(state, block, topic, index, placed, mine) {
    const me = state.me ?? {};
    const isIn = topic.id === me.attending;
    const heading = `os-card-${index + 1}`;
    const where = placed.get(topic.id);
    return el(
      "article",
      { class: "os-card", "data-topic": topic.id, "data-role": isIn ? "attending" : "convening", "aria-labelledby": heading },
      el("p", { class: "os-card__kicker" }, isIn ? t.inThisSession : t.convening),
      el("h3", { id: heading, class: "os-card__title" }, shown(topic, "title")),
      el("p", { class: "os-card__meta" }, meta(whereText(where), hereText(topic))),
      isIn ? attendForm(null, t.leave, "button--small os-card__leave", `leave-${topic.id}`) : null,
      mine.has(topic.id) && topic.block === block.id ? convenerTools(state, block, topic, where) : null,
      reportPart(state, topic),
    );
  }

  function convenerTools(state, block, topic, where) {
    const id = topic.id;
    const free = freeCells(state, block);
    const select = el(
      "select",
      { id: `place-${id}`, name: "cell", "data-key": `place-${id}` },
      el("option", { value: "" }, free.length ? t.placeChoose : t.noFreeCell),
      free.map((row) =>
        el("optgroup", { label: row.slot.label }, row.spaces.map((space) => el("option", { value: cellValue(row.slot, space) }, `${space.name} · ${row.slot.label}`))),
      ),
    );
    const place = el(
      "form",
      { class: "os-place", "data-topic": id },
      el("label", { for: `place-${id}`, class: "label" }, where ? t.moveLabel : t.placeLabel),
      el("div", { class: "os-place__row" }, select, el("button", { type: "submit", class: "button", "data-key": `place-go-${id}` }, t.place)),
    );
    // Off the wall, placing it is the convener's next step; the rest waits behind "Manage".
    return el(
      "div",
      { class: "os-tools" },
      where ? null : place,
      el(
        "details",
        { class: "os-manage", "data-key": `manage-${id}` },
        el("summary", { "data-key": `manage-summary-${id}` }, t.manage),
        el(
          "div",
          { class: "os-manage__body" },
          where ? place : null,
          el(
            "form",
            { class: "os-rename__form", "data-topic": id },
            el("label", { for: `rename-title-${id}`, class: "label" }, t.titleLabel),
            el("input", { id: `rename-title-${id}`, name: "title", type: "text", maxlength: 120, required: true, value: topic.title, "data-key": `rename-title-${id}` }),
            el("label", { for: `rename-description-${id}`, class: "label" }, t.descriptionLabel),
            el("input", { id: `rename-description-${id}`, name: "description", type: "text", maxlength: 200, value: topic.description ?? "", "data-key": `rename-description-${id}` }),
            el("button", { type: "submit", class: "button", "data-key": `rename-go-${id}` }, t.renameSave),
          ),
          el(
            "div",
            { class: "os-tools__row" },
            where ? el("button", { type: "button", class: "button button--small", "data-unplace": id, "data-key": `unplace-${id}` }, t.unplace) : null,
            el("button", { type: "button", class: "button button--small button--close", "data-withdraw": id, "data-key": `withdraw-${id}` }, t.withdraw),
          ),
        ),
      ),
    );
  }

  function reportNotes(state, topicId) {
    const sent = (state.notes ?? []).filter((note) => note.topic === topicId && !note.hidden);
    const known = new Set(sent.map((note) => note.id));
    const waiting = reportsOut.items.filter((item) => item.topic === topicId && !known.has(item.id)).map((item) => ({ ...item, waiting: true }));
    return [...sent, ...waiting];
  }

  function noteLine(note) {
    const extra = note.tag === "action" ? actionMeta(note, t) : "";
    return el(
      "li",
      { class: "os-note", "data-tag": note.tag || "key-point", "data-status": note.waiting ? "waiting" : "sent", "data-note": note.id },
      el("p", { class: "os-note__text" }, shown(note, "text")),
      extra ? el("p", { class: "os-note__meta" }, extra) : null,
      note.waiting ? el("p", { class: "os-note__state" }, t.topicWaiting) : null,
    );
  }

  function reportPart(state, topic) {
    const notes = reportNotes(state, topic.id);
    const id = topic.id;
    return el(
      "section",
      { class: "os-report", "aria-label": t.report },
      el("h4", { class: "os-report__title" }, t.report),
      notes.length
        ? TAGS.map((tag) => {
            const these = notes.filter((note) => (note.tag || "key-point") === tag);
            return these.length
              ? el(
                  "div",
                  { class: "os-report__group", "data-tag": tag },
                  el("h5", { class: "os-report__tag" }, `${t.tagsPlural[tag]} (${these.length})`),
                  el("ul", { class: "os-report__notes" }, these.map(noteLine)),
                )
              : null;
          })
        : el("p", { class: "help" }, t.reportEmpty),
      reportForm(id, null),
    );
  }

  /** A report note form; ``actionOnly``: the action-planning form of a selected topic. */
  function reportForm(id, actionOnly) {
    const prefix = actionOnly ? "action" : "report";
    const key = `${prefix}-${id}`;
    return el(
      "form",
      {
        class: `os-report-form${actionOnly ? " os-report-form--action" : ""}`,
        "data-topic": id,
        "data-action-only": actionOnly ? "true" : null,
        "aria-label": actionOnly || null,
      },
      el("label", { for: `${key}-text`, class: "label" }, actionOnly ? t.addAction : t.reportText),
      el("textarea", { id: `${key}-text`, name: "text", rows: 3, maxlength: maxLength, required: true, "data-key": `${key}-text` }),
      actionOnly
        ? null
        : el(
            "fieldset",
            { class: "os-tags" },
            el("legend", {}, t.tagLabel),
            TAGS.map((tag) =>
              el(
                "label",
                { class: "os-tag", "data-tag": tag },
                el("input", { type: "radio", name: "tag", value: tag, checked: tag === "key-point", "data-key": `${key}-tag-${tag}` }),
                el("span", {}, t.tags[tag]),
              ),
            ),
          ),
      el(
        "div",
        { class: `os-action-fields${actionOnly ? " os-action-fields--always" : ""}` },
        el(
          "div",
          {},
          el("label", { for: `${key}-owner`, class: "label" }, t.owner),
          el("input", { id: `${key}-owner`, name: "owner", type: "text", maxlength: 60, autocomplete: "off", "data-key": `${key}-owner` }),
        ),
        el(
          "div",
          {},
          el("label", { for: `${key}-due`, class: "label" }, t.due),
          el("input", { id: `${key}-due`, name: "due", type: "date", "data-key": `${key}-due` }),
        ),
      ),
      el("button", { type: "submit", class: "button button--primary button--wide", "data-key": `${key}-go` }, actionOnly ? t.actionPost : t.reportPost),
      statusLine(key),
    );
  }

  // --- the agenda wall, slot by slot

  function renderWall(state, block) {
    const me = state.me ?? {};
    const rows = wallRows(state, block);
    const container = byId("os-wall-slots", HTMLElement);
    const anything = rows.some((row) => row.cells.some((cell) => cell.topic));
    preserve(container, () => {
      if (!anything) {
        container.replaceChildren(el("p", { class: "help" }, t.emptyWall));
        return;
      }
      container.replaceChildren(
        ...rows.map((row, index) => {
          const heading = `os-slot-${index + 1}`;
          const filled = row.cells.filter((cell) => cell.topic);
          const free = row.cells.filter((cell) => !cell.topic).map((cell) => cell.space.name);
          return el(
            "section",
            { class: "os-slot", "aria-labelledby": heading },
            el("h3", { id: heading, class: "os-slot__label" }, row.slot.label),
            filled.length
              ? el(
                  "ol",
                  { class: "os-cells" },
                  filled.map((cell) =>
                    el(
                      "li",
                      { class: "os-cell", "data-topic": cell.topic.id, "data-here": String(cell.topic.id === me.attending) },
                      el("p", { class: "os-cell__space" }, cell.space.name),
                      el("p", { class: "os-cell__title" }, shown(cell.topic, "title")),
                      el("p", { class: "os-cell__meta" }, meta(convenerText(cell.topic), hereText(cell.topic))),
                      hereOrAttend(cell.topic, me, `wall-${cell.topic.id}`),
                    ),
                  ),
                )
              : null,
            el(
              "p",
              { class: "os-slot__free help" },
              !filled.length ? t.slotEmpty : free.length ? format(t.free, { spaces: free.join(", ") }) : t.allTaken,
            ),
          );
        }),
      );
    });
  }

  // --- the marketplace

  function renderMarket(state, block) {
    const me = state.me ?? {};
    const topics = blockTopics(state, block);
    const known = new Set(topics.map((topic) => topic.id));
    const waiting = topicsOut.items.filter((item) => !known.has(item.id));
    const mine = new Set(me.topics ?? []);
    const placed = placements(block);
    setText("os-topics-title", format(t.topics, { count: formatNumber(topics.length) }));
    const list = byId("os-topics", HTMLUListElement);
    preserve(list, () =>
      list.replaceChildren(
        ...waiting.slice().reverse().map((item) =>
          el(
            "li",
            { class: "os-topic", "data-topic": item.id, "data-mine": "true", "data-status": "waiting" },
            el("p", { class: "os-topic__title" }, item.title),
            item.description ? el("p", { class: "os-topic__description" }, item.description) : null,
            el("p", { class: "os-topic__state" }, item.error || t.topicWaiting),
          ),
        ),
        ...topics.slice().reverse().map((topic) =>
          el(
            "li",
            { class: "os-topic", "data-topic": topic.id, "data-mine": String(mine.has(topic.id)), "data-status": "sent" },
            el("p", { class: "os-topic__title" }, shown(topic, "title")),
            topic.description ? el("p", { class: "os-topic__description" }, topic.description) : null,
            el(
              "p",
              { class: "os-topic__meta" },
              mine.has(topic.id) ? el("span", { class: "os-topic__mine" }, t.youConvene) : null,
              mine.has(topic.id) ? " · " : null,
              meta(convenerText(topic), whereText(placed.get(topic.id)), hereText(topic)),
            ),
            hereOrAttend(topic, me, `market-${topic.id}`),
          ),
        ),
      ),
    );
    byId("os-no-topics", HTMLElement).hidden = list.children.length > 0;
  }

  // --- the vote, then the priorities and their action planning

  function myDots(state, target) {
    const kept = (state.me?.dots ?? []).filter((dot) => dot.target === target).length;
    return kept + dotsOut.items.filter((dot) => `${dot.target}:${dot.id}` === target).length;
  }

  function dotsLeft(state) {
    const left = state.me?.dots_left;
    return left === null || left === undefined ? null : Math.max(0, left - dotsOut.items.length);
  }

  function renderVote(state, block) {
    const section = byId("os-vote", HTMLElement);
    const vote = block.vote ?? { status: "none" };
    section.hidden = vote.status === "none";
    section.dataset.status = vote.status;
    if (section.hidden) return;
    const body = byId("os-vote-body", HTMLElement);
    if (vote.status === "open") {
      setText("os-vote-title", t.voteTitle);
      const left = dotsLeft(state) ?? vote.dots;
      const proposals = (state.notes ?? []).filter((note) => note.block === block.id && note.tag === "proposal" && !note.hidden);
      preserve(body, () =>
        body.replaceChildren(
          el("p", { class: "help" }, t.voteHelp),
          el(
            "p",
            { class: "os-dots", "data-left": left },
            el("span", { class: "os-dots__marks", "aria-hidden": "true" }, "●".repeat(left) + "○".repeat(Math.max(0, vote.dots - left))),
            el("span", { class: "os-dots__text" }, format(t.dotsLeft, { left: formatNumber(left), dots: formatNumber(vote.dots) })),
          ),
          el("ol", { class: "os-ballot" }, blockTopics(state, block).map((topic) => ballotLine(state, "topic", topic.id, shown(topic, "title"), left))),
          proposals.length ? el("h3", { class: "os-ballot__title" }, t.proposalsTitle) : null,
          proposals.length ? el("ol", { class: "os-ballot" }, proposals.map((note) => ballotLine(state, "note", note.id, shown(note, "text"), left))) : null,
        ),
      );
      return;
    }
    setText("os-vote-title", t.voteClosedTitle);
    const ranked = ranking(blockTopics(state, block));
    preserve(body, () =>
      body.replaceChildren(
        el(
          "ol",
          { class: "os-ranking" },
          ranked.map((topic) =>
            el(
              "li",
              { class: "os-ranking__item", "data-topic": topic.id, "data-selected": String(Boolean(topic.selected)) },
              el(
                "p",
                { class: "os-ranking__head" },
                el("span", { class: "os-ranking__title" }, shown(topic, "title")),
                el("span", { class: "os-ranking__votes" }, countText(topic.votes ?? 0, t.voteOne, t.votesCount)),
              ),
              topic.selected ? el("p", { class: "os-ranking__badge" }, t.selectedBadge) : null,
              topic.selected ? actionPlanning(state, topic) : null,
            ),
          ),
        ),
      ),
    );
  }

  function ballotLine(state, kind, id, title, left) {
    const target = `${kind}:${id}`;
    const count = myDots(state, target);
    const busy = withdrawing.has(target);
    return el(
      "li",
      { class: "os-ballot__item", "data-target": target, "data-dots": count },
      el("p", { class: "os-ballot__title-text" }, title),
      el(
        "div",
        { class: "os-ballot__controls" },
        el(
          "button",
          { type: "button", class: "os-dot-button", "data-vote": "withdraw", "data-kind": kind, "data-id": id, "data-key": `minus-${target}`, "aria-label": format(t.removeDot, { title }), disabled: count === 0 || busy },
          "−",
        ),
        el("span", { class: "os-ballot__count", "aria-live": "polite" }, format(t.myDots, { count: formatNumber(count) })),
        el(
          "button",
          { type: "button", class: "os-dot-button os-dot-button--add", "data-vote": "cast", "data-kind": kind, "data-id": id, "data-key": `plus-${target}`, "aria-label": format(t.addDot, { title }), disabled: left <= 0 || busy },
          "+",
        ),
      ),
    );
  }

  function actionPlanning(state, topic) {
    const actions = reportNotes(state, topic.id).filter((note) => note.tag === "action");
    return el(
      "div",
      { class: "os-plan" },
      actions.length ? el("h4", { class: "os-report__tag" }, t.tagsPlural.action) : null,
      actions.length ? el("ul", { class: "os-report__notes" }, actions.map(noteLine)) : null,
      reportForm(topic.id, format(t.actionFor, { title: topic.title })),
    );
  }

  // --- sending

  function flush() {
    if (!isJoined()) return;
    topicsOut.flush(socket);
    reportsOut.flush(socket);
    dotsOut.flush(socket);
  }

  /** Drops what the snapshot shows stored already (an earlier send whose ack was lost). */
  function settle(state) {
    const topics = new Set((state.topics ?? []).map((topic) => topic.id));
    const notes = new Set([...(state.me?.notes ?? []), ...(state.notes ?? []).map((note) => note.id)]);
    const dots = new Set((state.me?.dots ?? []).map((dot) => dot.id));
    topicsOut.drop((item) => topics.has(item.id));
    reportsOut.drop((item) => notes.has(item.id));
    dotsOut.drop((item) => dots.has(item.dot));
  }

  async function withdrawDot(kind, id) {
    const target = `${kind}:${id}`;
    if (!isJoined() || withdrawing.has(target)) return;
    withdrawing.add(target);
    render();
    const ack = await request(socket, "vote:withdraw", { target: kind, id });
    withdrawing.delete(target);
    const state = getState();
    if (ack.ok && state?.me) {
      const mine = state.me.dots.filter((dot) => dot.target === target);
      const gone = mine[mine.length - 1];
      state.me.dots = state.me.dots.filter((dot) => dot !== gone);
      state.me.dots_left = ack.left;
    } else if (!ack.ok) {
      toast(errorText(ack), "error");
    }
    render();
  }

  /** An acknowledged call from a tap (not an outbox): the toast says how it went. */
  async function act(event, payload, done) {
    if (!isJoined()) {
      toast(t.noAnswer, "error");
      return null;
    }
    const ack = await request(socket, event, payload);
    if (!ack.ok) {
      toast(errorText(ack), "error");
      return null;
    }
    if (done) toast(done);
    return ack;
  }

  // --- the forms and buttons

  topicForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const title = byId("topic-title", HTMLInputElement);
    if (!title.value.trim()) {
      title.focus();
      return;
    }
    const item = {
      id: uuid(),
      title: title.value.trim(),
      description: byId("topic-description", HTMLInputElement).value.trim() || null,
      convener: byId("topic-convener", HTMLInputElement).value.trim() || null,
    };
    topicsOut.add(item);
    title.value = "";
    byId("topic-description", HTMLInputElement).value = "";
    byId("form-error", HTMLElement)?.remove();
    const line = setText("topic-status", isJoined() ? t.topicWaiting : t.topicQueued);
    line.dataset.kind = "info";
    render();
    if (isJoined()) topicsOut.send(socket, item);
  });

  root.addEventListener("submit", async (event) => {
    const form = targetOf(event);
    if (!(form instanceof HTMLFormElement)) return;
    if (form.classList.contains("os-attend")) {
      if (!isJoined()) return; // the plain form does it
      event.preventDefault();
      const topic = control(form, "topic").value || null;
      const button = form.querySelector("button");
      button.disabled = true;
      const ack = await act("topic:attend", { topic });
      button.disabled = false;
      if (!ack) return;
      const state = getState();
      if (state?.me) state.me.attending = topic;
      toast(topic ? format(t.inSession, { title: findTopic(state, topic)?.title ?? "" }) : t.leftSession);
      render();
      refresh(); // the session's report notes reach the phone now
    } else if (form.classList.contains("os-report-form")) {
      event.preventDefault();
      const text = control(form, "text").value;
      if (!text.trim()) {
        control(form, "text").focus();
        return;
      }
      const actionOnly = form.dataset.actionOnly === "true";
      const tag = actionOnly ? "action" : find(form, "input[name=tag]:checked", HTMLInputElement)?.value || "key-point";
      const item = {
        id: uuid(),
        topic: form.dataset.topic,
        text,
        tag,
        owner: tag === "action" ? control(form, "owner").value.trim() || null : null,
        due: tag === "action" ? control(form, "due").value || null : null,
        form: actionOnly ? "action" : "report",
      };
      reportsOut.add(item);
      for (const name of ["text", "owner", "due"]) control(form, name).value = "";
      tell(`${item.form}-${item.topic}`, isJoined() ? t.topicWaiting : t.topicQueued);
      render();
      if (isJoined()) reportsOut.send(socket, item);
    } else if (form.classList.contains("os-place")) {
      event.preventDefault();
      const cell = parseCell(control(form, "cell").value);
      if (!cell) {
        control(form, "cell").focus();
        return;
      }
      const ack = await act("topic:schedule", { topic: form.dataset.topic, ...cell }, t.placed);
      if (ack) {
        control(form, "cell").value = "";
        upsertTopic(getState(), ack.topic);
        render();
      }
    } else if (form.classList.contains("os-rename__form")) {
      event.preventDefault();
      const title = control(form, "title").value.trim();
      if (!title) {
        control(form, "title").focus();
        return;
      }
      const ack = await act("topic:rename", { topic: form.dataset.topic, title, description: control(form, "description").value.trim() }, t.renamed);
      if (ack) {
        const topic = findTopic(getState(), form.dataset.topic);
        if (topic) {
          topic.title = title;
          topic.description = control(form, "description").value.trim() || null;
        }
        const manage = form.closest("details");
        if (manage) manage.open = false;
        control(form, "title").defaultValue = control(form, "title").value;
        render();
      }
    }
  });

  root.addEventListener("click", async (event) => {
    const button = targetOf(event).closest("button[data-unplace], button[data-withdraw], button[data-vote]");
    if (!button) return;
    if (button.dataset.unplace) {
      await act("topic:unschedule", { topic: button.dataset.unplace }, t.unplaced);
    } else if (button.dataset.withdraw) {
      const topic = findTopic(getState(), button.dataset.withdraw);
      if (!topic || !window.confirm(format(t.confirmWithdraw, { title: topic.title }))) return;
      const ack = await act("topic:withdraw", { topic: topic.id }, t.withdrawn);
      if (ack) {
        removeTopic(getState(), topic.id);
        render();
      }
    } else if (button.dataset.vote === "cast") {
      const item = { dot: uuid(), target: button.dataset.kind, id: button.dataset.id };
      dotsOut.add(item);
      render();
      if (isJoined()) dotsOut.send(socket, item);
    } else if (button.dataset.vote === "withdraw") {
      withdrawDot(button.dataset.kind, button.dataset.id);
    }
  });

  // --- live events

  const changed = () => render();
  socket.on("topic:added", ({ topic } = {}) => {
    const state = getState();
    if (!state || !topic) return;
    topicsOut.drop((item) => item.id === topic.id);
    upsertTopic(state, topic);
    changed();
  });
  socket.on("topic:updated", ({ topic } = {}) => {
    upsertTopic(getState(), topic);
    changed();
  });
  socket.on("topic:removed", ({ topic } = {}) => {
    removeTopic(getState(), topic);
    changed();
  });
  socket.on("agenda:updated", (payload) => {
    applyAgenda(getState(), payload);
    changed();
  });
  socket.on("attendance:updated", (payload) => {
    applyAttendance(getState(), payload);
    changed();
  });
  socket.on("vote:opened", (payload) => {
    applyVoteOpened(getState(), payload);
    refresh(); // the dots left, from the server
  });
  socket.on("vote:closed", (payload) => {
    const state = getState();
    applyVoteClosed(state, payload);
    if (state?.me) state.me.dots_left = null;
    dotsOut.drop(() => true);
    changed();
  });

  return { render, flush, settle };
}
