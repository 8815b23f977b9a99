// The phone in an Open Space block: the marketplace (topics proposed through an outbox kept on the
// phone until the server acknowledges them), my sessions (convener tools, the session's report,
// written through an outbox too), the agenda wall slot by slot, "I'm here" (also from a space's
// QR code), and the dot vote then the action planning.
// This module wires the outboxes, the forms, the buttons and the live events; the drawing is
// phone-openspace-render.js and phone-openspace-sessions.js, from the page's <template>s.
import { format, request, setText, uuid } from "../common.js";
import {
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  findTopic,
  openSpaceBlock,
  parseCell,
  removeTopic,
  upsertTopic,
} from "../openspace.js";
import { byId, control, find, targetOf } from "../dom.js";
import { Outbox } from "../outbox.js";
import { renderHere, renderMarket, renderWall } from "./phone-openspace-render.js";
import { renderSessions, renderVote } from "./phone-openspace-sessions.js";

/**
 * @param {{ socket: import("../shapes.js").Socket, store: any, t: Object<string, any>, getState: () => any,
 *   isJoined: () => boolean, refresh: () => void, remember: (note: import("../shapes.js").NoteJSON) => void }} parts
 */
export function phoneOpenSpace({ socket, store, t, getState, isJoined, refresh, remember }) {
  const root = byId("openspace", HTMLElement);
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

  // --- drawing (phone-openspace-render.js, phone-openspace-sessions.js)

  /** @type {import("./phone-openspace-sessions.js").Pending} */
  const pending = { t, reports: () => reportsOut.items, dots: () => dotsOut.items, withdrawing, messages };

  function render() {
    const state = getState();
    if (!state) return;
    const block = openSpaceBlock(state);
    root.hidden = !block;
    if (!block) return;
    syncConvener(state);
    renderHere(t, state, block, { space: hereSpace, topic: hereTopic });
    renderVote(pending, state, block);
    renderSessions(pending, state, block);
    renderWall(t, state, block);
    renderMarket(t, state, block, topicsOut.items);
  }

  /** The convener field shows the phone's name, unless the person typed another one. */
  function syncConvener(state) {
    const input = byId("topic-convener", HTMLInputElement);
    if (document.activeElement === input || input.value !== input.defaultValue) return;
    input.value = input.defaultValue = state.me?.name ?? "";
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
    if (form.dataset.form === "attend") {
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
    } else if (form.dataset.form === "report") {
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
    } else if (form.dataset.form === "place") {
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
    } else if (form.dataset.form === "rename") {
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
