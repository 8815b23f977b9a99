// The console in an Open Space block: the phases, the marketplace beside the agenda wall (drag a
// topic onto a free cell, or use its Options menu and "Place on…" from the keyboard), the wall's
// time slots and spaces, the dot vote and its live ranking, the action planning.
// The panel's forms carry data-event: facilitate.js sends them through the socket with the
// payloads built here (or the browser posts them when the socket is down).
import { countText, el, format, formatNumber, request, setText, uuid } from "./common.js";
import {
  actionMeta,
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  applyVoteUpdated,
  blockTopics,
  cellValue,
  freeCells,
  onStateEvent,
  openSpaceBlock,
  parseCell,
  placements,
  preserve,
  ranking,
  removeTopic,
  upsertTopic,
  wallRows,
} from "./openspace.js";
import { byId, control, findAll, targetOf } from "./dom.js";

const EVENTS = new Set(["topic:propose", "topic:schedule", "topic:unschedule", "topic:rename", "topic:withdraw", "wall:update", "vote:open", "vote:close", "report:post"]);

/**
 * @param {{ socket: import("./shapes.js").Socket, t: Object<string, any>, code: string, getState: () => any,
 *   isJoined: () => boolean, say: (message: string, isError?: boolean) => void }} parts
 */
export function consoleOpenSpace({ socket, t, code, getState, isJoined, say }) {
  const panel = byId("os-panel", HTMLElement);
  const base = `/w/${encodeURIComponent(code)}`;
  const url = {
    schedule: (id) => `${base}/topics/${encodeURIComponent(id)}/schedule`,
    unschedule: (id) => `${base}/topics/${encodeURIComponent(id)}/unschedule`,
    rename: (id) => `${base}/topics/${encodeURIComponent(id)}/rename`,
    withdraw: (id) => `${base}/topics/${encodeURIComponent(id)}/withdraw`,
    action: (id) => `${base}/topics/${encodeURIComponent(id)}/actions`,
    select: (id) => `${base}/blocks/${id}/select`,
    voteOpen: (id) => `${base}/blocks/${id}/vote/open`,
    voteClose: (id) => `${base}/blocks/${id}/vote/close`,
  };
  const actionIds = new Map(); // topic id -> the id of the action being written (kept until stored)
  let dragging = null; // the topic id being dragged
  let waiting = false; // a rebuild put off until the drop
  let editing = false; // the wall editor holds changes not saved yet

  // --- a topic: the part that drags, and beside it the Options menu (keyboard and everything else)

  function cellOptions(state, block) {
    const free = freeCells(state, block);
    return [
      el("option", { value: "" }, free.length ? t.placeChoose : t.noFreeCell),
      ...free.map((row) =>
        el("optgroup", { label: row.slot.label }, row.spaces.map((space) => el("option", { value: cellValue(row.slot, space) }, `${space.name} · ${row.slot.label}`))),
      ),
    ];
  }

  function topicCard(state, block, topic, placed) {
    const id = topic.id;
    const here = topic.attendance ?? 0;
    return el(
      "article",
      { class: "os-ctopic", "data-topic": id, "data-selected": String(Boolean(topic.selected)) },
      el(
        "div",
        { class: "os-ctopic__grip", draggable: "true", "data-drag": id },
        el("p", { class: "os-ctopic__title" }, topic.title),
        el(
          "p",
          { class: "os-ctopic__meta" },
          el("span", {}, topic.convener || t.noConvener),
          " ",
          here ? el("span", { class: "os-ctopic__here", "data-count": here }, format(t.here, { count: formatNumber(here) })) : null,
          topic.votes ? " " : null,
          topic.votes ? el("span", { class: "os-ctopic__dots" }, countText(topic.votes, t.voteOne, t.votes)) : null,
        ),
      ),
      el(
        "details",
        { class: "os-ctopic__menu", "data-key": `menu-${id}` },
        el("summary", { "aria-label": format(t.manage, { title: topic.title }), "data-key": `menu-summary-${id}` }, t.manageShort),
        el(
          "div",
          { class: "os-ctopic__pop" },
          el(
            "form",
            { class: "os-ctopic__place", method: "post", action: url.schedule(id), "data-event": "topic:schedule", "data-topic": id },
            el("label", { for: `place-${id}`, class: "os-small-label" }, format(t.placeLabel, { title: topic.title })),
            el(
              "div",
              { class: "os-row" },
              el("select", { id: `place-${id}`, name: "cell", "data-key": `place-${id}` }, cellOptions(state, block)),
              el("button", { type: "submit", class: "button button--small", "data-key": `place-go-${id}` }, t.place),
            ),
          ),
          placed.has(id)
            ? el(
                "form",
                { method: "post", action: url.unschedule(id), "data-event": "topic:unschedule", "data-topic": id },
                el("button", { type: "submit", class: "button button--small", "data-key": `unplace-${id}` }, t.unplace),
              )
            : null,
          el(
            "form",
            { class: "os-ctopic__rename", method: "post", action: url.rename(id), "data-event": "topic:rename", "data-topic": id },
            el("label", { for: `rename-${id}`, class: "os-small-label" }, t.titleLabel),
            el("input", { id: `rename-${id}`, name: "title", type: "text", maxlength: 120, required: true, value: topic.title, "data-key": `rename-${id}` }),
            el("label", { for: `describe-${id}`, class: "os-small-label" }, t.descriptionLabel),
            el("input", { id: `describe-${id}`, name: "description", type: "text", maxlength: 200, value: topic.description ?? "", "data-key": `describe-${id}` }),
            el("button", { type: "submit", class: "button button--small", "data-key": `rename-go-${id}` }, t.save),
          ),
          el(
            "form",
            { method: "post", action: url.withdraw(id), "data-event": "topic:withdraw", "data-topic": id, "data-confirm": format(t.confirmWithdraw, { title: topic.title }) },
            el("button", { type: "submit", class: "button button--small button--close", "data-key": `withdraw-${id}` }, t.withdraw),
          ),
        ),
      ),
    );
  }

  // --- rendering

  function render() {
    const state = getState();
    const block = state ? openSpaceBlock(state) : null;
    panel.hidden = !block;
    if (!block) return;
    if (dragging) {
      waiting = true; // rebuilding now would drop the topic being dragged
      return;
    }
    panel.dataset.block = String(block.id);
    renderPhases(state, block);
    const placed = placements(block);
    renderMarket(state, block, placed);
    renderGrid(state, block, placed);
    renderVote(state, block);
    renderPlan(state, block);
  }

  function renderPhases(state, block) {
    const list = byId("os-phases", HTMLOListElement);
    preserve(list, () =>
      list.replaceChildren(
        ...state.blocks
          .filter((each) => each.method === "open-space")
          .map((each) =>
            el(
              "li",
              { class: "os-phase", "data-block": each.id, "aria-current": each.id === block.id ? "step" : null },
              el(
                "form",
                { method: "post", action: url.select(each.id), "data-event": "block:select", "data-block": each.id },
                el(
                  "button",
                  { type: "submit", class: "os-phase__button", disabled: each.id === block.id, "data-key": `phase-${each.id}` },
                  el("span", { class: "os-phase__title" }, each.title),
                  el("span", { class: "os-phase__when" }, phaseWhen(each)),
                ),
              ),
            ),
          ),
      ),
    );
  }

  function phaseWhen(block) {
    const server = document.querySelector(`.os-phase[data-block="${block.id}"] .os-phase__when`);
    return server ? server.textContent : block.day;
  }

  function renderMarket(state, block, placed) {
    const unplaced = blockTopics(state, block).filter((topic) => !placed.has(topic.id));
    setText("os-market-count", formatNumber(unplaced.length));
    const list = byId("os-market-list", HTMLOListElement);
    preserve(list, () => list.replaceChildren(...unplaced.map((topic) => el("li", {}, topicCard(state, block, topic, placed)))));
    byId("os-market-empty", HTMLElement).hidden = unplaced.length > 0;
  }

  function renderGrid(state, block, placed) {
    const grid = byId("os-grid", HTMLTableElement);
    const spaces = block.wall?.spaces ?? [];
    grid.tHead.replaceChildren(
      el("tr", {}, el("th", { scope: "col" }, el("span", { class: "visually-hidden" }, t.timeSlot)), spaces.map((space) => el("th", { scope: "col" }, space.name))),
    );
    const body = grid.tBodies[0];
    preserve(body, () =>
      body.replaceChildren(
        ...wallRows(state, block).map((row) =>
          el(
            "tr",
            {},
            el("th", { scope: "row" }, row.slot.label),
            row.cells.map((cell) =>
              el(
                "td",
                { class: "os-gcell", "data-slot": cell.slot.id, "data-space": cell.space.id, "data-free": String(!cell.topic) },
                cell.topic ? topicCard(state, block, cell.topic, placed) : el("span", { class: "os-gcell__free" }, t.free),
              ),
            ),
          ),
        ),
      ),
    );
  }

  function renderVote(state, block) {
    const vote = block.vote ?? { status: "none", dots: 5, top: 3 };
    const section = byId("os-vote", HTMLElement);
    section.dataset.status = vote.status;
    setText(
      "os-vote-state",
      vote.status === "open"
        ? format(t.voteOpenState, { dots: formatNumber(vote.dots), top: formatNumber(vote.top) })
        : vote.status === "closed"
          ? t.voteClosedState
          : t.voteNone,
    );
    const open = byId("os-vote-open", HTMLFormElement);
    const close = byId("os-vote-close", HTMLFormElement);
    open.hidden = vote.status === "open";
    close.hidden = vote.status !== "open";
    for (const form of [open, close]) form.dataset.block = block.id;
    open.action = url.voteOpen(block.id);
    close.action = url.voteClose(block.id);
    for (const [name, value] of [["dots", vote.dots], ["top", vote.top]]) {
      const input = control(open, name);
      // The template's numbers, unless the facilitator is typing others.
      if (document.activeElement !== input && input.value === input.defaultValue) input.value = input.defaultValue = String(value);
    }
    const ranked = vote.status === "none" ? [] : ranking(blockTopics(state, block));
    byId("os-ranking", HTMLOListElement).replaceChildren(
      ...ranked.map((topic) =>
        el(
          "li",
          { class: "os-cranking__item", "data-topic": topic.id, "data-selected": String(Boolean(topic.selected)) },
          el("span", { class: "os-cranking__title" }, topic.title),
          el("span", { class: "os-cranking__votes" }, countText(topic.votes ?? 0, t.voteOne, t.votes)),
          topic.selected ? el("span", { class: "badge badge--selected" }, t.selected) : null,
        ),
      ),
    );
  }

  function renderPlan(state, block) {
    const selected = ranking(blockTopics(state, block)).filter((topic) => topic.selected);
    const section = byId("os-plan", HTMLElement);
    section.hidden = selected.length === 0;
    const list = byId("os-plan-list", HTMLElement);
    preserve(list, () =>
      list.replaceChildren(
        ...selected.map((topic, index) => {
          const id = topic.id;
          if (!actionIds.has(id)) actionIds.set(id, uuid());
          const actions = (state.notes ?? []).filter((note) => note.topic === id && note.tag === "action" && !note.hidden);
          const heading = `os-plan-${index + 1}`;
          return el(
            "article",
            { class: "os-cplan__topic", "data-topic": id, "aria-labelledby": heading },
            el("h4", { id: heading }, topic.title),
            actions.length
              ? el(
                  "ul",
                  { class: "os-cplan__actions" },
                  actions.map((note) =>
                    el("li", { "data-note": note.id }, el("span", { class: "os-cplan__text" }, note.text), actionMeta(note, t) ? el("span", { class: "os-cplan__who" }, actionMeta(note, t)) : null),
                  ),
                )
              : el("p", { class: "help" }, t.noAction),
            el(
              "form",
              { class: "os-cplan__form", method: "post", action: url.action(id), "data-event": "report:post", "data-topic": id },
              el("input", { type: "hidden", name: "id", value: actionIds.get(id) }),
              el(
                "div",
                { class: "os-cplan__text-field" },
                el("label", { for: `action-${id}`, class: "os-small-label" }, format(t.actionFor, { title: topic.title })),
                el("input", { id: `action-${id}`, name: "text", type: "text", maxlength: 500, required: true, "data-key": `action-${id}` }),
              ),
              el(
                "div",
                {},
                el("label", { for: `owner-${id}`, class: "os-small-label" }, t.owner),
                el("input", { id: `owner-${id}`, name: "owner", type: "text", maxlength: 60, "data-key": `owner-${id}` }),
              ),
              el(
                "div",
                {},
                el("label", { for: `due-${id}`, class: "os-small-label" }, t.due),
                el("input", { id: `due-${id}`, name: "due", type: "date", "data-key": `due-${id}` }),
              ),
              el("button", { type: "submit", class: "button button--primary button--small", "data-key": `action-go-${id}` }, t.addAction),
            ),
          );
        }),
      ),
    );
  }

  // --- the wall's slots and spaces: filled when the editor opens, sent whole by wall:update

  const editor = byId("os-wall-editor", HTMLDetailsElement);

  function editorRow(kind, item, number) {
    const label = kind === "slot" ? item.label : item.name;
    const input = el("input", {
      type: "text",
      name: kind,
      maxlength: 100,
      required: true,
      value: label ?? "",
      "data-id": item.id ?? "",
      "aria-label": format(kind === "slot" ? t.slotLabel : t.spaceLabel, { number }),
    });
    return el(
      "li",
      { class: "os-editor__row" },
      input,
      el(
        "button",
        { type: "button", class: "button button--small", "data-remove": "", "aria-label": format(kind === "slot" ? t.removeSlot : t.removeSpace, { label: label || "" }) },
        t.remove,
      ),
    );
  }

  function fillEditor() {
    const block = openSpaceBlock(getState());
    if (!block) return;
    byId("os-slots", HTMLOListElement).replaceChildren(...(block.wall?.slots ?? []).map((slot, i) => editorRow("slot", slot, i + 1)));
    byId("os-spaces", HTMLOListElement).replaceChildren(...(block.wall?.spaces ?? []).map((space, i) => editorRow("space", space, i + 1)));
    editing = false;
  }

  editor.addEventListener("toggle", () => {
    if (editor.open) fillEditor();
  });
  editor.addEventListener("input", () => {
    editing = true;
  });
  editor.addEventListener("click", (event) => {
    const add = targetOf(event).closest("[data-add]");
    if (add || targetOf(event).closest("[data-remove]")) editing = true;
    if (add) {
      const kind = add.dataset.add;
      const list = document.getElementById(kind === "slot" ? "os-slots" : "os-spaces");
      const row = editorRow(kind, { id: "", label: "", name: "" }, list.children.length + 1);
      list.append(row);
      row.querySelector("input").focus();
      return;
    }
    const remove = targetOf(event).closest("[data-remove]");
    if (remove) {
      const row = remove.closest("li");
      const next = row.nextElementSibling ?? row.previousElementSibling;
      const list = row.parentElement;
      row.remove();
      (next?.querySelector("input") ?? list.closest("fieldset").querySelector("[data-add]")).focus();
    }
  });

  function slug(text, taken) {
    const stem = text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "item";
    let id = stem;
    while (taken.has(id)) id = `${stem}-${Math.random().toString(36).slice(2, 6)}`;
    taken.add(id);
    return id;
  }

  function wallPayload(form) {
    const items = (kind, field) => {
      const inputs = Array.from(form.querySelectorAll(`input[name="${kind}"]`));
      const taken = new Set(inputs.map((input) => input.dataset.id).filter(Boolean));
      return inputs.map((input) => ({ id: input.dataset.id || slug(input.value, taken), [field]: input.value.trim() }));
    };
    return { block: Number(form.dataset.block), slots: items("slot", "label"), spaces: items("space", "name") };
  }

  // --- the payloads of the panel's forms (facilitate.js sends them)

  function payloadOf(form, eventName) {
    const topic = form.dataset.topic;
    const field = (name) => control(form, name)?.value.trim() ?? "";
    switch (eventName) {
      case "topic:propose": {
        if (!field("title")) {
          control(form, "title").focus();
          return null;
        }
        if (!control(form, "id").value) control(form, "id").value = uuid();
        const payload = { id: control(form, "id").value, title: field("title") };
        if (field("description")) payload.description = field("description");
        if (field("convener")) payload.convener = field("convener");
        return payload;
      }
      case "topic:schedule": {
        const cell = parseCell(control(form, "cell").value);
        if (!cell) {
          control(form, "cell").focus();
          return null;
        }
        return { topic, ...cell };
      }
      case "topic:rename":
        if (!field("title")) {
          control(form, "title").focus();
          return null;
        }
        return { topic, title: field("title"), description: field("description") };
      case "topic:withdraw":
        return window.confirm(form.dataset.confirm) ? { topic } : null;
      case "topic:unschedule":
        return { topic };
      case "wall:update":
        return form.reportValidity() ? wallPayload(form) : null;
      case "vote:open":
        return { block: Number(form.dataset.block), dots: Number(control(form, "dots").value), top: Number(control(form, "top").value) };
      case "vote:close":
        return { block: Number(form.dataset.block) };
      case "report:post": {
        if (!field("text")) {
          control(form, "text").focus();
          return null;
        }
        const payload = { id: control(form, "id").value, topic, text: field("text"), tag: "action" };
        if (field("owner")) payload.owner = field("owner");
        if (control(form, "due").value) payload.due = control(form, "due").value;
        return payload;
      }
      default:
        return null;
    }
  }

  /** After an acknowledged form: clear what was sent, give the next one a new id. */
  function after(form, eventName) {
    if (eventName === "topic:propose") {
      for (const name of ["title", "description", "convener"]) control(form, name).value = "";
      control(form, "id").value = uuid();
    } else if (eventName === "report:post") {
      actionIds.set(form.dataset.topic, uuid());
      for (const name of ["text", "owner", "due"]) control(form, name).value = "";
      control(form, "id").value = actionIds.get(form.dataset.topic);
    } else if (eventName === "wall:update") {
      fillEditor();
      say(t.wallSaved);
    } else if (eventName === "topic:rename") {
      const menu = form.closest("details");
      if (menu) menu.open = false;
    }
  }

  // --- drag and drop: a free cell places the topic, the marketplace takes it off the wall

  function dropZone(target) {
    return target.closest?.('td.os-gcell[data-free="true"], [data-drop="market"]') ?? null;
  }

  panel.addEventListener("dragstart", (event) => {
    const grip = targetOf(event).closest?.("[data-drag]");
    if (!grip) return;
    dragging = grip.dataset.drag;
    event.dataTransfer.setData("text/plain", dragging);
    event.dataTransfer.effectAllowed = "move";
    grip.closest(".os-ctopic").classList.add("is-dragging");
    panel.dataset.dragging = "true";
  });

  function endDrag() {
    dragging = null;
    delete panel.dataset.dragging;
    for (const zone of panel.querySelectorAll(".is-over, .is-dragging")) zone.classList.remove("is-over", "is-dragging");
    if (waiting) {
      waiting = false;
      render();
    }
  }

  panel.addEventListener("dragend", endDrag);
  panel.addEventListener("dragover", (event) => {
    const zone = dropZone(targetOf(event));
    if (!zone || !dragging) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    zone.classList.add("is-over");
  });
  panel.addEventListener("dragleave", (event) => {
    const zone = dropZone(targetOf(event));
    if (zone && !zone.contains(event.relatedTarget)) zone.classList.remove("is-over");
  });
  panel.addEventListener("drop", async (event) => {
    const zone = dropZone(targetOf(event));
    if (!zone) return;
    event.preventDefault();
    const topic = event.dataTransfer.getData("text/plain") || dragging;
    endDrag();
    if (!topic || !isJoined()) return;
    const block = openSpaceBlock(getState());
    const ack =
      zone.dataset.drop === "market"
        ? placements(block).has(topic)
          ? await request(socket, "topic:unschedule", { topic })
          : null
        : await request(socket, "topic:schedule", { topic, slot: zone.dataset.slot, space: zone.dataset.space });
    if (ack && !ack.ok) say(ack.error.message || t.offline, true);
    else if (ack) say(t.done);
  });

  // --- the Options menus: one open at a time; Escape or a click elsewhere closes it

  panel.addEventListener(
    "toggle",
    (event) => {
      const menu = targetOf(event);
      if (!(menu instanceof HTMLDetailsElement) || !menu.matches(".os-ctopic__menu") || !menu.open) return;
      for (const other of findAll(panel, ".os-ctopic__menu[open]", HTMLDetailsElement)) if (other !== menu) other.open = false;
    },
    true, // toggle does not bubble
  );
  panel.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = /** @type {HTMLDetailsElement | null} */ (targetOf(event).closest?.(".os-ctopic__menu[open]"));
    if (!menu) return;
    menu.open = false;
    menu.querySelector("summary").focus();
  });
  document.addEventListener("click", (event) => {
    for (const menu of findAll(panel, ".os-ctopic__menu[open]", HTMLDetailsElement)) if (!menu.contains(targetOf(event))) menu.open = false;
  });

  // --- live events

  const on = onStateEvent(socket, getState, render);
  on("topic:added", (state, { topic }) => upsertTopic(state, topic));
  on("topic:updated", (state, { topic }) => upsertTopic(state, topic));
  on("topic:removed", (state, { topic }) => removeTopic(state, topic));
  on("agenda:updated", (state, payload) => {
    applyAgenda(state, payload);
    if (editor.open && !editing && payload.block === Number(panel.dataset.block)) fillEditor();
  });
  on("attendance:updated", applyAttendance);
  on("vote:opened", applyVoteOpened);
  on("vote:updated", applyVoteUpdated);
  on("vote:closed", applyVoteClosed);

  return { render, handles: (eventName) => EVENTS.has(eventName), payloadOf, after };
}
