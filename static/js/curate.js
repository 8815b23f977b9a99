// The curation page: the facilitator groups notes into themes, stars highlights and writes the
// sections of the preliminary results, live over Socket.IO (theme:*, notes:group, section:*,
// note:star). Everything people wrote enters the page through text nodes only.
import { connect, connectionBanner, countText, el, format, joinAsFacilitator, readStrings, request } from "./common.js";
import { byId, find, targetOf } from "./dom.js";

const root = byId("curate", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const statusLine = byId("curate-status", HTMLElement);
const selected = new Set();
let state = null;
let joined = false;

// --- small helpers

let sayTimer = null;
function say(message, isError = false) {
  statusLine.textContent = message ?? "";
  statusLine.classList.toggle("form-error", isError);
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

/** Re-rendering keeps the keyboard where it was: focus goes back to the element with the same id. */
function keepingFocus(render) {
  const id = document.activeElement?.id;
  render();
  if (id && document.activeElement?.id !== id) document.getElementById(id)?.focus();
}

const byPosition = (a, b) => a.position - b.position || a.id - b.id;
const themes = () => (state?.themes ?? []).slice().sort(byPosition);
const sections = () => (state?.sections ?? []).slice().sort(byPosition);
const themeById = (id) => state?.themes.find((x) => x.id === id) ?? null;
const sectionById = (id) => state?.sections.find((x) => x.id === id) ?? null;

function roundOf(note) {
  for (const block of state.blocks) {
    const round = block.rounds.find((r) => r.id === note.round);
    if (round) return { block, round };
  }
  const block = state.blocks.find((b) => b.id === note.block) ?? null;
  return { block, round: null };
}

function roundName(round) {
  return round.title || format(t.round, { number: round.position + 1 });
}

function notesText(count) {
  return countText(count, t.notesCountOne, t.notesCount);
}

function option(value, label, chosen) {
  return el("option", { value, selected: chosen ? true : null }, label);
}

// --- the notes

function visibleNotes() {
  const block = byId("filter-block", HTMLSelectElement).value;
  const round = byId("filter-round", HTMLSelectElement).value;
  const words = byId("filter-text", HTMLInputElement).value.trim().toLocaleLowerCase();
  return state.notes.filter((note) => {
    const where = roundOf(note);
    if (block && String(where.block?.id ?? "") !== block) return false;
    if (round === "harvest" && note.kind !== "harvest") return false;
    if (round && round !== "harvest" && String(note.round ?? "") !== round) return false;
    if (words && !note.text.toLocaleLowerCase().includes(words)) return false;
    return true;
  });
}

function renderFilters() {
  const blockSelect = byId("filter-block", HTMLSelectElement);
  const roundSelect = byId("filter-round", HTMLSelectElement);
  const chosenBlock = blockSelect.value || (blockSelect.dataset.ready ? "" : String(state.current.block ?? ""));
  blockSelect.replaceChildren(
    option("", t.allBlocks, !chosenBlock),
    ...state.blocks.map((b) => option(String(b.id), b.title, String(b.id) === chosenBlock)),
  );
  blockSelect.dataset.ready = "true";
  const block = state.blocks.find((b) => String(b.id) === blockSelect.value);
  const chosenRound = roundSelect.value;
  const rounds = block ? block.rounds : [];
  const options = [option("", t.allRounds, !chosenRound)];
  options.push(...rounds.map((r) => option(String(r.id), `${roundName(r)} – ${r.question}`, String(r.id) === chosenRound)));
  if (block && block.method === "world-cafe") options.push(option("harvest", t.harvest, chosenRound === "harvest"));
  roundSelect.replaceChildren(...options);
  roundSelect.disabled = !block;
}

function noteMeta(note) {
  const where = roundOf(note);
  const parts = [];
  if (note.table !== null && note.table !== undefined) parts.push(format(t.table, { number: note.table }));
  parts.push(note.kind === "harvest" ? t.harvest : where.round ? roundName(where.round) : "");
  if (note.author) parts.push(note.author);
  const meta = el("p", { class: "cnote__meta" }, parts.filter(Boolean).join(" · "));
  const theme = themeById(note.theme);
  if (theme) meta.append(" ", el("span", { class: "pill pill--theme" }, theme.title));
  const section = sectionById(note.section);
  if (section) meta.append(" ", el("span", { class: "pill pill--section" }, section.title));
  if (note.hidden) meta.append(" ", el("span", { class: "pill pill--hidden" }, t.hidden));
  return meta;
}

function noteItem(note) {
  const pick = `pick-${note.id}`;
  const starred = Boolean(note.starred);
  return el(
    "li",
    { class: "cnote", "data-note": note.id, "data-color": note.color || "yellow", "data-hidden": String(Boolean(note.hidden)), "data-selected": String(selected.has(note.id)) },
    el("input", { type: "checkbox", id: pick, class: "cnote__pick", "data-note": note.id, checked: selected.has(note.id) ? true : null }),
    el("label", { for: pick, class: "cnote__text" }, note.text),
    el(
      "button",
      { type: "button", id: `star-${note.id}`, class: "cnote__star", "data-note": note.id, "aria-pressed": String(starred), title: starred ? t.unstar : t.star },
      el("span", { "aria-hidden": "true" }, starred ? "★" : "☆"),
      el("span", { class: "visually-hidden" }, t.star),
    ),
    noteMeta(note),
  );
}

function renderNotes() {
  const notes = visibleNotes();
  const groups = new Map();
  for (const note of notes) {
    const where = roundOf(note);
    const key = note.kind === "harvest" ? `h${where.block?.id}` : `r${note.round ?? "none"}`;
    if (!groups.has(key)) {
      const title = note.kind === "harvest"
        ? `${where.block?.title ?? ""} · ${t.harvest}`
        : where.round ? `${roundName(where.round)} – ${where.round.question}` : "";
      groups.set(key, { title, order: [where.block?.id ?? 0, note.kind === "harvest" ? 1e6 : where.round?.position ?? 0], notes: [] });
    }
    groups.get(key).notes.push(note);
  }
  const blockIndex = new Map(state.blocks.map((b, i) => [b.id, i]));
  const ordered = [...groups.values()].sort(
    (a, b) => (blockIndex.get(a.order[0]) ?? 0) - (blockIndex.get(b.order[0]) ?? 0) || a.order[1] - b.order[1],
  );
  const container = byId("note-groups", HTMLElement);
  if (!ordered.length) {
    container.replaceChildren(el("p", { class: "help" }, t.noNotes));
    return;
  }
  container.replaceChildren(
    ...ordered.map((group) => {
      group.notes.sort((a, b) => (a.table ?? 1e9) - (b.table ?? 1e9) || a.created_at.localeCompare(b.created_at));
      return el("section", { class: "note-group" }, el("h2", { class: "note-group__title" }, group.title), el("ol", { class: "cnotes" }, group.notes.map(noteItem)));
    }),
  );
}

// --- the key terms of the notes shown (the block, the round): buttons that select the notes
// that use a term. Asked of the server (terms:get: the visible notes only), once per change.

let terms = [];
let termsAsked = "";
let termsTimer = null;

function termsScope() {
  const block = byId("filter-block", HTMLSelectElement).value;
  const round = byId("filter-round", HTMLSelectElement).value;
  /** @type {{block?: number, round?: number}} */
  const scope = {};
  if (block) scope.block = Number(block);
  if (round && round !== "harvest") scope.round = Number(round);
  return scope;
}

/** Asks for the terms again soon (a burst of notes makes one request). */
function refreshTerms(now = false) {
  clearTimeout(termsTimer);
  termsTimer = setTimeout(loadTerms, now ? 0 : 800);
}

async function loadTerms() {
  if (!joined) return;
  const scope = termsScope();
  const asked = JSON.stringify(scope);
  termsAsked = asked;
  const ack = await request(socket, "terms:get", scope);
  if (!ack.ok || termsAsked !== asked) return;
  terms = /** @type {import("./shapes.js").TermsJSON} */ (ack).terms.slice(0, 30);
  keepingFocus(renderTerms);
}

function renderTerms() {
  const list = byId("block-terms", HTMLElement);
  list.dataset.count = String(terms.length);
  if (!terms.length) {
    list.replaceChildren(el("p", { class: "help" }, t.noTerms));
    return;
  }
  list.replaceChildren(
    ...terms.map((term, index) =>
      el(
        "button",
        {
          type: "button",
          id: `term-${index}`,
          class: "term-pick",
          "data-term": term.term,
        },
        el("span", { class: "term-pick__word" }, term.term),
        " ",
        el("span", { class: "term-pick__count", "aria-hidden": "true" }, String(term.count)),
        // Read out « jeunes 4 notes »: the word first, as shown.
        el("span", { class: "visually-hidden" }, countText(term.count, t.notesCountOne, t.notesCount)),
      ),
    ),
  );
}

function renderSelection() {
  for (const id of [...selected]) if (!state.notes.some((n) => n.id === id)) selected.delete(id);
  const count = selected.size;
  byId("selection-count", HTMLElement).textContent =
    count === 0 ? t.noneSelected : countText(count, t.selectedOne, t.selected);
  root.dataset.selected = String(count);
  const themeSelect = byId("group-theme", HTMLSelectElement);
  const chosen = themeSelect.value || "new";
  themeSelect.replaceChildren(
    option("new", t.newTheme, chosen === "new"),
    ...themes().map((theme) => option(String(theme.id), theme.title, String(theme.id) === chosen)),
  );
  byId("group-title", HTMLInputElement).hidden = themeSelect.value !== "new";
  const sectionSelect = byId("file-section", HTMLSelectElement);
  const filed = sectionSelect.value;
  sectionSelect.replaceChildren(
    option("", t.noSection, !filed),
    ...sections().map((section) => option(String(section.id), section.title, String(section.id) === filed)),
  );
}

// --- themes and sections: items are updated in place, so a title being typed is never lost

function upsert(list, items, key, create, update) {
  const existing = new Map([...list.children].map((node) => [node.dataset[key], node]));
  const wanted = items.map((item) => {
    const node = existing.get(String(item.id)) ?? create(item);
    existing.delete(String(item.id));
    update(node, item);
    return node;
  });
  existing.forEach((node) => node.remove());
  wanted.forEach((node, index) => {
    if (list.children[index] !== node) list.insertBefore(node, list.children[index] ?? null);
  });
}

function setField(input, value) {
  // A field someone is editing keeps what they typed.
  if (document.activeElement !== input && input.dataset.dirty !== "true") input.value = value ?? "";
}

function sectionOptions(select, chosen) {
  const value = chosen === null || chosen === undefined ? "" : String(chosen);
  select.replaceChildren(option("", t.noSection, value === ""), ...sections().map((s) => option(String(s.id), s.title, String(s.id) === value)));
  select.value = value;
}

function moveButtons(kind, id) {
  return [
    el("button", { type: "button", id: `${kind}-up-${id}`, class: "button button--small move", "data-move": "-1", title: t.moveUp },
      el("span", { "aria-hidden": "true" }, "↑"), el("span", { class: "visually-hidden" }, t.moveUp)),
    el("button", { type: "button", id: `${kind}-down-${id}`, class: "button button--small move", "data-move": "1", title: t.moveDown },
      el("span", { "aria-hidden": "true" }, "↓"), el("span", { class: "visually-hidden" }, t.moveDown)),
    el("button", { type: "button", id: `${kind}-delete-${id}`, class: "button button--small button--close delete" }, t.delete),
  ];
}

function createTheme(theme) {
  const id = theme.id;
  return el(
    "li",
    { class: "theme", "data-theme": id },
    el(
      "form",
      { class: "theme__rename" },
      el("label", { for: `theme-title-${id}`, class: "visually-hidden" }, t.titleLabel),
      el("input", { type: "text", id: `theme-title-${id}`, class: "theme__title", maxlength: "200", required: true }),
      el("button", { type: "submit", class: "button button--small" }, t.rename),
    ),
    el("div", { class: "theme__actions" },
      el("label", { for: `theme-section-${id}` }, t.fileUnder),
      el("select", { id: `theme-section-${id}`, class: "theme__section" }),
      ...moveButtons("theme", id)),
    // Folded: a theme may hold dozens of notes; the summary says how many.
    el("details", { class: "theme__details" }, el("summary", { class: "theme__count" }), el("ul", { class: "theme__notes" })),
  );
}

function updateTheme(node, theme) {
  setField(node.querySelector(".theme__title"), theme.title);
  const notes = state.notes.filter((n) => n.theme === theme.id);
  node.querySelector(".theme__count").textContent = notesText(notes.length);
  sectionOptions(node.querySelector(".theme__section"), theme.section);
  node.querySelector(".theme__notes").replaceChildren(
    ...notes.map((n) => el("li", { "data-note": n.id, "data-hidden": String(Boolean(n.hidden)) }, (n.starred ? "★ " : "") + n.text)),
  );
}

function createSection(section) {
  const id = section.id;
  return el(
    "li",
    { class: "section", "data-section": id },
    el(
      "form",
      { class: "section__form" },
      el("label", { for: `section-title-${id}`, class: "label" }, t.titleLabel),
      el("input", { type: "text", id: `section-title-${id}`, class: "section__title", maxlength: "200", required: true }),
      el("label", { for: `section-intro-${id}`, class: "label" }, t.introLabel),
      el("textarea", { id: `section-intro-${id}`, class: "section__intro", rows: "4", maxlength: "10000" }),
      el("button", { type: "submit", class: "button button--small button--primary" }, t.save),
    ),
    el("div", { class: "section__actions" }, ...moveButtons("section", id)),
    el("p", { class: "section__filed" }),
  );
}

function updateSection(node, section) {
  setField(node.querySelector(".section__title"), section.title);
  setField(node.querySelector(".section__intro"), section.intro);
  const filedThemes = themes().filter((theme) => theme.section === section.id).map((theme) => theme.title);
  const filedNotes = state.notes.filter((n) => n.section === section.id).length;
  node.querySelector(".section__filed").textContent = [
    filedThemes.length ? `${t.themesFiled}: ${filedThemes.join(" · ")}` : "",
    filedNotes ? `${t.notesFiled}: ${filedNotes}` : "",
  ].filter(Boolean).join(" — ");
}

function renderCuration() {
  const themeList = byId("theme-list", HTMLOListElement);
  upsert(themeList, themes(), "theme", createTheme, updateTheme);
  byId("themes-empty", HTMLElement).hidden = themeList.children.length > 0;
  const sectionList = byId("section-list", HTMLOListElement);
  upsert(sectionList, sections(), "section", createSection, updateSection);
  byId("sections-empty", HTMLElement).hidden = sectionList.children.length > 0;
}

function render() {
  if (!state) return;
  keepingFocus(() => {
    renderFilters();
    renderNotes();
    renderSelection();
    renderCuration();
  });
}

// --- the socket

const socket = connect();
connectionBanner(socket, t.offline);

joinAsFacilitator(socket, {
  code,
  key: root.dataset.key,
  onRefused: (message) => say(message, true),
  onJoined: (ack) => {
    joined = true;
    root.dataset.joined = "true";
    state = ack.state;
    render();
    refreshTerms(true);
  },
});
socket.on("disconnect", () => {
  joined = false;
  root.dataset.joined = "false";
});

socket.on("curation:updated", (payload) => {
  if (!state || !payload) return;
  state.themes = payload.themes ?? state.themes;
  state.sections = payload.sections ?? state.sections;
  for (const change of payload.notes ?? []) {
    const note = state.notes.find((n) => n.id === change.id);
    if (note) Object.assign(note, { theme: change.theme, section: change.section });
  }
  // A theme or section that went away leaves its notes unfiled.
  const themeIds = new Set(state.themes.map((x) => x.id));
  const sectionIds = new Set(state.sections.map((x) => x.id));
  for (const note of state.notes) {
    if (note.theme !== null && note.theme !== undefined && !themeIds.has(note.theme)) note.theme = null;
    if (note.section !== null && note.section !== undefined && !sectionIds.has(note.section)) note.section = null;
  }
  render();
});
socket.on("note:added", ({ note } = {}) => {
  if (!state || !note) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  render();
  refreshTerms();
});
socket.on("note:starred", ({ note, starred } = {}) => {
  const found = state?.notes.find((n) => n.id === note);
  if (found) found.starred = Boolean(starred);
  render();
});
socket.on("note:hidden", ({ note } = {}) => {
  const found = state?.notes.find((n) => n.id === note);
  if (found) found.hidden = true;
  render();
  refreshTerms();
});
socket.on("note:shown", ({ note } = {}) => {
  const found = state?.notes.find((n) => n.id === note?.id);
  if (found) found.hidden = false;
  render();
  refreshTerms();
});

// --- what the facilitator does

byId("filter-block", HTMLSelectElement).addEventListener("change", () => {
  byId("filter-round", HTMLSelectElement).value = "";
  render();
  refreshTerms(true);
});
byId("filter-round", HTMLSelectElement).addEventListener("change", () => {
  render();
  refreshTerms(true);
});
byId("block-terms", HTMLElement).addEventListener("click", (event) => {
  const button = targetOf(event).closest(".term-pick");
  const term = terms.find((each) => each.term === button?.getAttribute("data-term"));
  if (!term) return;
  const known = new Set(state.notes.map((n) => n.id));
  for (const id of term.notes) if (known.has(id)) selected.add(id);
  keepingFocus(() => {
    renderNotes();
    renderSelection();
  });
  say(format(t.termPicked, { term: term.term }));
});
byId("filter-text", HTMLInputElement).addEventListener("input", () => keepingFocus(renderNotes));
byId("group-theme", HTMLSelectElement).addEventListener("change", () => {
  byId("group-title", HTMLInputElement).hidden = byId("group-theme", HTMLSelectElement).value !== "new";
});

byId("note-groups", HTMLElement).addEventListener("change", (event) => {
  const box = /** @type {HTMLInputElement | null} */ (targetOf(event).closest(".cnote__pick"));
  if (!box) return;
  if (box.checked) selected.add(box.dataset.note);
  else selected.delete(box.dataset.note);
  box.closest(".cnote").dataset.selected = String(box.checked);
  renderSelection();
});

byId("note-groups", HTMLElement).addEventListener("click", async (event) => {
  const button = targetOf(event).closest(".cnote__star");
  if (!button) return;
  const note = state.notes.find((n) => n.id === button.dataset.note);
  if (!note) return;
  const wanted = !note.starred;
  // The note:starred event may come before the ack: set the state, never toggle it twice.
  if (await act("note:star", { note: note.id, starred: wanted })) {
    note.starred = wanted;
    render();
  }
});

function selection() {
  return [...selected];
}

byId("group-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const notes = selection();
  if (!notes.length) return say(t.selectFirst, true);
  const choice = byId("group-theme", HTMLSelectElement).value;
  let ack;
  if (choice === "new") {
    const input = byId("group-title", HTMLInputElement);
    const title = input.value.trim();
    if (!title) {
      input.focus();
      return say(t.themeTitleNeeded, true);
    }
    ack = await act("theme:create", { title, notes });
    if (ack) input.value = "";
  } else {
    ack = await act("notes:group", { notes, theme: Number(choice) });
  }
  if (ack) {
    selected.clear();
    render();
  }
});

byId("file-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const notes = selection();
  if (!notes.length) return say(t.selectFirst, true);
  const value = byId("file-section", HTMLSelectElement).value;
  const ack = await act("section:file", { section: value ? Number(value) : null, notes });
  if (ack) {
    selected.clear();
    render();
  }
});

byId("ungroup", HTMLButtonElement).addEventListener("click", async () => {
  const notes = selection();
  if (!notes.length) return say(t.selectFirst, true);
  if (await act("notes:group", { notes, theme: null })) {
    selected.clear();
    render();
  }
});

byId("clear-selection", HTMLButtonElement).addEventListener("click", () => {
  selected.clear();
  render();
});

byId("section-form", HTMLFormElement).addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = byId("section-title", HTMLInputElement);
  const title = input.value.trim();
  if (!title) return input.focus();
  if (await act("section:create", { title })) input.value = "";
});

/** Themes and sections share their controls: rename/save, file under, move, delete. */
function wireList(listId, kind) {
  const list = document.getElementById(listId);
  const ordered = kind === "theme" ? themes : sections;
  const idOf = (node) => Number(node.closest(`[data-${kind}]`).dataset[kind]);

  list.addEventListener("input", (event) => {
    const field = targetOf(event);
    if (field.matches("input, textarea")) field.dataset.dirty = "true";
  });
  list.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = targetOf(event);
    const id = idOf(form);
    const payload = { [kind]: id };
    const title = find(form, `.${kind}__title`, HTMLInputElement);
    payload.title = title.value.trim();
    const intro = find(form, ".section__intro", HTMLTextAreaElement);
    if (intro) payload.intro = intro.value;
    if (await act(`${kind}:update`, payload)) {
      form.querySelectorAll("[data-dirty]").forEach((field) => delete field.dataset.dirty);
      render();
    }
  });
  list.addEventListener("change", async (event) => {
    const select = targetOf(event);
    if (!(select instanceof HTMLSelectElement) || !select.matches(".theme__section")) return;
    const value = select.value;
    await act("section:file", { section: value ? Number(value) : null, themes: [idOf(select)] });
  });
  list.addEventListener("click", async (event) => {
    const button = targetOf(event).closest("button[type=button]");
    if (!button) return;
    const id = idOf(button);
    if (button.classList.contains("move")) {
      const index = ordered().findIndex((item) => item.id === id);
      const position = index + Number(button.dataset.move);
      if (index < 0 || position < 0 || position >= ordered().length) return;
      await act(`${kind}:update`, { [kind]: id, position });
    } else if (button.classList.contains("delete")) {
      const item = ordered().find((x) => x.id === id);
      if (item && window.confirm(format(t.confirmDelete, { title: item.title }))) await act(`${kind}:delete`, { [kind]: id });
    }
  });
}
wireList("theme-list", "theme");
wireList("section-list", "section");
