// The console in an Open Space block: the phases, the marketplace beside the agenda wall (drag a
// topic onto a free cell, or use its Options menu and "Place on…" from the keyboard), the wall's
// time slots and spaces, the dot vote and its live ranking, the action planning. The server renders
// the panel (templates/openspace/_openspace_console.html, fetched again on each change); this script keeps
// what needs a script: drag and drop, the menus, the wall editor, the forms' payloads.
// The panel's forms carry data-event: facilitate.js sends them through the socket with the
// payloads built here (or the browser posts them when the socket is down).
import { format, request, uuid } from "../common.js";
import {
  applyAgenda,
  applyAttendance,
  applyVoteClosed,
  applyVoteOpened,
  applyVoteUpdated,
  onStateEvent,
  openSpaceBlock,
  parseCell,
  placements,
  removeTopic,
  upsertTopic,
} from "../openspace.js";
import { byId, control, findAll, targetOf } from "../dom.js";
import { clone, fill } from "../templates.js";
import { coalesce, fetchFragment, swapAttributes, swapRegion } from "../fragments.js";

const EVENTS = new Set(["topic:propose", "topic:schedule", "topic:unschedule", "topic:rename", "topic:withdraw", "wall:update", "vote:open", "vote:close", "report:post"]);

/**
 * @param {{ socket: import("../shapes.js").Socket, t: Object<string, any>, code: string, getState: () => any,
 *   isJoined: () => boolean, say: (message: string, isError?: boolean) => void }} parts
 */
export function consoleOpenSpace({ socket, t, code, getState, isJoined, say }) {
  const panel = byId("os-panel", HTMLElement);
  const base = `/w/${encodeURIComponent(code)}`;
  const actionIds = new Map(); // topic id -> the id of the action being written (kept until stored)
  let dragging = null; // the topic id being dragged
  let waiting = false; // a rebuild put off until the drop
  let editing = false; // the wall editor holds changes not saved yet

  // --- rendering: the server renders the panel (templates/openspace/_openspace_console.html); on a change
  // the script fetches it again and swaps in its regions. The wall editor and the propose form keep
  // what the facilitator is typing.

  const REGIONS = ["os-phases", "os-market-count", "os-market-list", "os-market-empty", "os-grid", "os-vote", "os-plan"];
  const load = coalesce(async () => {
    const fresh = await fetchFragment(`${base}/facilitate/openspace`);
    if (fresh) apply(fresh);
  });

  function render() {
    const state = getState();
    const block = state ? openSpaceBlock(state) : null;
    panel.hidden = !block;
    if (!block) return;
    // The editor opened before the state came (a slow join) was left empty: fill it now.
    if (editor.open && !editing && !document.getElementById("os-slots")?.children.length) fillEditor();
    if (dragging) {
      waiting = true; // rebuilding now would drop the topic being dragged
      return;
    }
    load();
  }

  function apply(fresh) {
    if (dragging) {
      waiting = true;
      return;
    }
    const next = fresh.getElementById("os-panel");
    if (!next || next.hidden) return;
    panel.dataset.block = next.dataset.block;
    for (const id of REGIONS) swapRegion(document.getElementById(id), fresh.getElementById(id));
    swapAttributes(document.getElementById("os-wall-form"), fresh.getElementById("os-wall-form"));
    // An action being written keeps its id until it is stored (a resend is stored once).
    for (const form of findAll(panel, "form.os-cplan__form", HTMLFormElement)) {
      const id = control(form, "id");
      if (actionIds.has(form.dataset.topic)) id.value = actionIds.get(form.dataset.topic);
      else actionIds.set(form.dataset.topic, id.value);
    }
  }

  // --- the wall's slots and spaces: filled when the editor opens, sent whole by wall:update

  const editor = byId("os-wall-editor", HTMLDetailsElement);

  function editorRow(kind, item, number) {
    const label = kind === "slot" ? item.label : item.name;
    return fill(clone("tpl-os-editor-row"), {
      kind,
      value: label ?? "",
      id: item.id ?? "",
      label: format(kind === "slot" ? t.slotLabel : t.spaceLabel, { number }),
      removeLabel: format(kind === "slot" ? t.removeSlot : t.removeSpace, { label: label || "" }),
    });
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
