// The curation page: the facilitator groups notes into themes, stars highlights and writes the
// sections of the preliminary results. The server renders the page's regions
// (templates/curation/_curate_live.html: the filters' choices, the key terms, the notes by block and round,
// the themes, the sections); on each change (theme:*, notes:group, section:*, a note added,
// starred, hidden) this script fetches them again (GET /w/CODE/curate/fragment with the filters,
// one fetch after a burst) and swaps them in, keeping focus, typed titles and open lists. It keeps
// what needs a script: the selection of notes (and a key term selecting its notes), the filters
// applied as one types, and the events sent over Socket.IO.
import { connect, connectionBanner, countText, format, joinAsFacilitator, readStrings, request } from "../common.js";
import { byId, findAll, targetOf } from "../dom.js";
import { coalesce, fetchFragment, swapRegion } from "../fragments.js";

const root = byId("curate", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const base = `/w/${encodeURIComponent(code)}`;
const statusLine = byId("curate-status", HTMLElement);
const filters = byId("filters", HTMLFormElement);
const notes = byId("note-groups", HTMLElement);
/** The ids of the notes ticked, those the filters hide included. */
const selected = new Set();
let joined = false;

let sayTimer = null;
function say(message, isError = false) {
  statusLine.textContent = message ?? "";
  statusLine.dataset.kind = isError ? "error" : "";
  clearTimeout(sayTimer);
  if (!isError) sayTimer = setTimeout(() => (statusLine.textContent = ""), 4000);
}

async function act(event, payload) {
  if (!joined) {
    say(t.offline, true);
    return null;
  }
  const ack = await request(socket, event, payload);
  if (!ack.ok) {
    say(ack.error?.message || t.offline, true);
    return null;
  }
  say(t.done);
  return ack;
}

// --- the regions: rendered by the server, swapped in whole

const REGIONS = [
  "filter-choices",
  "block-terms",
  "note-groups",
  "group-choice",
  "file-choice",
  "themes-empty",
  "theme-list",
  "sections-empty",
  "section-list",
];

/** The filters as the query the page's address and the fragment take (block, round, q). */
function filterQuery() {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(filters)) query.append(name, String(value));
  return query.toString();
}

const load = coalesce(async () => {
  const fresh = await fetchFragment(`${base}/curate/fragment?${filterQuery()}`);
  if (!fresh) return;
  for (const id of REGIONS) swapRegion(document.getElementById(id), fresh.getElementById(id));
  showSelection();
  showTitleField();
}, 120);

// --- the selection: the script's own state, shown on the notes the server rendered

function showSelection() {
  for (const box of findAll(notes, "input[type=checkbox][data-note]", HTMLInputElement)) {
    box.checked = selected.has(box.dataset.note);
    box.closest("[data-selected]")?.setAttribute("data-selected", String(box.checked));
  }
  const count = selected.size;
  byId("selection-count", HTMLElement).textContent = count === 0 ? t.noneSelected : countText(count, t.selectedOne, t.selected);
  root.dataset.selected = String(count);
}

/** The new theme's title is asked for only when grouping into a new theme. */
function showTitleField() {
  byId("group-title", HTMLInputElement).hidden = byId("group-theme", HTMLSelectElement).value !== "new";
}

function takeSelection() {
  const ids = [...selected];
  if (!ids.length) say(t.selectFirst, true);
  return ids;
}

function clearSelection() {
  selected.clear();
  showSelection();
}

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);

joinAsFacilitator(socket, {
  code,
  key: root.dataset.key,
  onRefused: (message) => say(message, true),
  onJoined: () => {
    joined = true;
    root.dataset.joined = "true";
    load(); // what changed before this (re)connection
  },
});
socket.on("disconnect", () => {
  joined = false;
  root.dataset.joined = "false";
});
for (const event of ["curation:updated", "note:added", "note:starred", "note:hidden", "note:shown", "notes:shown"]) {
  socket.on(event, () => load());
}

// --- the filters: the regions again for the new choice, and the address keeps it

function filtered() {
  window.history.replaceState(window.history.state, "", `${window.location.pathname}?${filterQuery()}`);
  load();
}
filters.addEventListener("change", (event) => {
  // Another block: its rounds come with the regions, none chosen yet.
  if (targetOf(event).id === "filter-block") byId("filter-round", HTMLSelectElement).value = "";
  filtered();
});
byId("filter-text", HTMLInputElement).addEventListener("input", filtered);
filters.addEventListener("submit", (event) => {
  event.preventDefault();
  filtered();
});

// --- what the facilitator does

byId("block-terms", HTMLElement).addEventListener("click", (event) => {
  const button = targetOf(event).closest("button[data-notes]");
  if (!(button instanceof HTMLElement)) return;
  for (const id of (button.dataset.notes ?? "").split(" ").filter(Boolean)) selected.add(id);
  showSelection();
  say(format(t.termPicked, { term: button.dataset.term }));
});

notes.addEventListener("change", (event) => {
  const box = targetOf(event);
  if (!(box instanceof HTMLInputElement) || !box.dataset.note) return;
  if (box.checked) selected.add(box.dataset.note);
  else selected.delete(box.dataset.note);
  showSelection();
});

notes.addEventListener("click", async (event) => {
  const button = targetOf(event).closest("button[aria-pressed][data-note]");
  if (!(button instanceof HTMLButtonElement)) return;
  // The state wanted, never a toggle: the note:starred event may come before the ack.
  const starred = button.getAttribute("aria-pressed") !== "true";
  if (await act("note:star", { note: button.dataset.note, starred })) load();
});

byId("group-form", HTMLFormElement).addEventListener("change", showTitleField);

byId("group-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const ids = takeSelection();
  if (!ids.length) return;
  const choice = byId("group-theme", HTMLSelectElement).value;
  let ack;
  if (choice === "new") {
    const input = byId("group-title", HTMLInputElement);
    const title = input.value.trim();
    if (!title) {
      input.focus();
      return say(t.themeTitleNeeded, true);
    }
    ack = await act("theme:create", { title, notes: ids });
    if (ack) input.value = "";
  } else {
    ack = await act("notes:group", { notes: ids, theme: Number(choice) });
  }
  if (ack) {
    clearSelection();
    load();
  }
});

byId("file-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const ids = takeSelection();
  if (!ids.length) return;
  const value = byId("file-section", HTMLSelectElement).value;
  if (await act("section:file", { section: value ? Number(value) : null, notes: ids })) {
    clearSelection();
    load();
  }
});

byId("ungroup", HTMLButtonElement).addEventListener("click", async () => {
  const ids = takeSelection();
  if (ids.length && (await act("notes:group", { notes: ids, theme: null }))) {
    clearSelection();
    load();
  }
});

byId("clear-selection", HTMLButtonElement).addEventListener("click", clearSelection);

byId("section-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId("section-title", HTMLInputElement);
  const title = input.value.trim();
  if (!title) return input.focus();
  if (await act("section:create", { title })) {
    input.value = "";
    load();
  }
});

/** Themes and sections share their controls: rename/save, file under, move, delete. */
function wireList(listId, kind) {
  const list = byId(listId, HTMLElement);
  const itemOf = (node) => /** @type {HTMLElement} */ (node.closest(`[data-${kind}]`));
  const idOf = (node) => Number(itemOf(node).dataset[kind]);

  list.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = targetOf(event);
    if (!(form instanceof HTMLFormElement)) return;
    const payload = { [kind]: idOf(form) };
    const fields = form.elements;
    payload.title = /** @type {HTMLInputElement} */ (fields.namedItem("title")).value.trim();
    const intro = fields.namedItem("intro");
    if (intro instanceof HTMLTextAreaElement) payload.intro = intro.value;
    if (await act(`${kind}:update`, payload)) load();
  });
  list.addEventListener("change", async (event) => {
    const select = targetOf(event);
    if (!(select instanceof HTMLSelectElement) || !select.dataset.fileTheme) return;
    const value = select.value;
    if (await act("section:file", { section: value ? Number(value) : null, themes: [Number(select.dataset.fileTheme)] })) load();
  });
  list.addEventListener("click", async (event) => {
    const button = targetOf(event).closest("button[type=button]");
    if (!(button instanceof HTMLButtonElement)) return;
    const item = itemOf(button);
    const id = idOf(button);
    if (button.dataset.move) {
      const items = findAll(list, `:scope > [data-${kind}]`, HTMLElement);
      const position = items.indexOf(item) + Number(button.dataset.move);
      if (position < 0 || position >= items.length) return;
      if (await act(`${kind}:update`, { [kind]: id, position })) load();
    } else if (button.dataset.delete && window.confirm(format(t.confirmDelete, { title: item.dataset.title }))) {
      if (await act(`${kind}:delete`, { [kind]: id })) load();
    }
  });
}
wireList("theme-list", "theme");
wireList("section-list", "section");
showSelection();
showTitleField();
