// The projected board: joins as "board", rebuilds from the full state on every (re)connection,
// then follows rounds, notes and presence live. In a World Café: the hosts' names, starred notes,
// the "change tables" screen between rounds, and the harvest side by side. In an Open Space
// block: the agenda wall, the marketplace and the vote (board-openspace.js). The facilitator may
// switch it to the preliminary results as curated so far, or to the key terms of the notes
// ("what the room said", a fragment the server renders: templates/_board_terms.html).
//
// A socket may say "connected" and carry nothing (a venue's Wi-Fi, a sleeping laptop's proxy):
// the board sends a heartbeat every few seconds and, when neither an event nor a heartbeat's
// answer came back for a while, says so and polls the state over HTTP until the socket speaks again.
import {
  ServerClock,
  joinPatiently,
  applyRoundEvent,
  clockText,
  connect,
  countText,
  currentBlock,
  currentRound,
  el,
  findRound,
  format,
  formatNumber,
  plural,
  readStrings,
  request,
  roundTimerText,
  setText,
  shown,
  starMark,
  sticky,
  timerState,
} from "./common.js";
import { byWeight as weighed } from "./order.js";
import { boardOpenSpace } from "./board-openspace.js";
import { blockQuestion, blockTopics, openSpaceBlock, ranking } from "./openspace.js";
import { byId } from "./dom.js";

const root = byId("board", HTMLElement);
const t = readStrings();
const code = root.dataset.code;
const clock = new ServerClock(root.dataset.now);
const wall = byId("wall", HTMLElement);
const results = byId("results", HTMLElement);
const resultsFlow = byId("results-flow", HTMLElement);
const termsSection = byId("terms", HTMLElement);
const termsFlow = byId("terms-flow", HTMLElement);
const banner = byId("connection", HTMLElement);
const stateUrl = root.dataset.stateUrl;
const POLL_MS = (Number(root.dataset.poll) || 5) * 1000;
const HEARTBEAT_MS = 3000;
const STALL_BEATS = 2; // heartbeats in a row without a sign of life: the socket is stalled (6 to 9 s)

let state = null;
let presence = { phones: 0, tables: {} };
let moving = null; // the tables:moving payload while the "change tables" screen shows

const VIEWS = ["live", "results", "terms"];

/** "live" (the wall of the current round), "results" (the preliminary results) or "terms" (what the room said). */
function boardView() {
  const view = state ? state.board_view : root.dataset.view;
  return VIEWS.includes(view) ? view : "live";
}

/** The harvest replaces the round's notes once a World Café block's harvest opened (not while a round runs). */
function harvestShown(block, round) {
  if (!block || block.method !== "world-cafe" || !block.tables.length || block.harvest === "none") return false;
  return !round || round.status !== "running" || round.block !== block.id;
}

function columnsFor(block) {
  const tables = block ? block.tables : [];
  const round = currentRound(state);
  if (harvestShown(block, round)) {
    const ideas = state.notes.filter((n) => n.kind === "harvest" && n.block === block.id && !n.hidden);
    return tables.map((table) => ({ ...table, notes: ideas.filter((n) => n.table === table.number) }));
  }
  const numbers = new Set(tables.map((table) => table.number));
  const notes = round ? state.notes.filter((n) => n.round === round.id && !n.hidden) : [];
  const columns = tables.map((table) => ({ ...table, notes: notes.filter((n) => n.table === table.number) }));
  const others = notes.filter((n) => !numbers.has(n.table));
  if (others.length || !tables.length) columns.push({ number: null, theme: null, notes: others });
  return columns;
}

function hostText(table) {
  if (!table?.host_id) return "";
  return table.host ? format(t.host, { name: table.host }) : t.hostAnonymous;
}

function column(spec, index) {
  const id = `column-${index + 1}`;
  const host = hostText(spec);
  return el(
    "section",
    { class: "column", "data-table": spec.number ?? "", "aria-labelledby": id },
    el(
      "header",
      { class: "column__head" },
      el("h2", { id, class: "column__title" }, spec.number !== null ? format(t.table, { number: spec.number }) : t.notes),
      spec.theme ? el("p", { class: "column__theme" }, shown(spec, "theme")) : null,
      host ? el("p", { class: "column__host" }, host) : null,
      el("p", { class: "column__count", "data-presence": "" }),
    ),
    el("ol", { class: "column__notes", "aria-live": "polite" }, spec.notes.slice().reverse().map((n) => sticky(n, t.starred))),
  );
}

function render() {
  const view = boardView();
  const showResults = view === "results";
  const showTerms = view === "terms";
  root.dataset.view = view;
  document.body.classList.toggle("board--results", showResults);
  document.body.classList.toggle("board--terms", showTerms);
  const block = currentBlock(state);
  const round = currentRound(state);
  const harvest = harvestShown(block, round);
  const osBlock = openSpaceBlock(state);
  setText("block-title", showResults ? shown(state.workshop, "title") : block ? shown(block, "title") : shown(state.workshop, "title"));
  setText("round-title", harvest || showResults || showTerms ? "" : shown(round, "title") ?? "");
  setText(
    "question",
    showResults ? t.results : showTerms ? t.terms : harvest ? t.harvest : round ? shown(round, "question") : osBlock ? blockQuestion(state, osBlock) : t.noRound,
  );
  wall.hidden = view !== "live" || Boolean(osBlock);
  openSpace.render();
  const columns = osBlock || view !== "live" ? [] : columnsFor(block);
  wall.dataset.count = String(columns.length);
  wall.dataset.view = harvest ? "harvest" : "round";
  wall.replaceChildren(...columns.map(column));
  fitColumns();
  results.hidden = !showResults;
  if (showResults) renderResults();
  else resultsFlow.replaceChildren();
  termsSection.hidden = !showTerms;
  if (showTerms) refreshTerms();
  renderPresence();
  renderWaiting();
  tick();
}

/** Reveal and moderated rounds: how many of the round's notes wait for the facilitator. */
function renderWaiting() {
  const line = byId("waiting", HTMLElement);
  const round = currentRound(state);
  const waiting = state.waiting;
  const live = boardView() === "live" && !harvestShown(currentBlock(state), round);
  const count = live && round && waiting?.round === round.id ? waiting.count : 0;
  line.hidden = !count;
  line.textContent = count ? countText(count, t.waitingOne, t.waitingMany) : "";
}

// --- fitting a table's notes: every note of the round readable, none cut in half. Smaller type
// first; when even the smallest is too big, pages of whole notes, newest first, turning slowly,
// with a line that says which notes show ("Notes 1 to 9 of 30").
const NOTE_SCALES = [1, 0.9, 0.8, 0.72, 0.65];
const PAGE_MS = 12_000;
const pagers = new Map(); // column list -> its page timer
const pageShown = new Map(); // table -> the page it shows, kept when the wall is rebuilt (a resync)
const newestAt = new Map(); // table -> its newest note: a newer one brings the first page back

function fitNotes(list, fromStart = false) {
  clearInterval(pagers.get(list));
  pagers.delete(list);
  const table = list.closest(".column")?.dataset.table ?? "";
  const newest = list.querySelector(".sticky")?.dataset.note ?? "";
  if (fromStart || newestAt.get(table) !== newest) pageShown.delete(table);
  newestAt.set(table, newest);
  list.querySelector(".column__pages")?.remove();
  const notes = [...list.querySelectorAll(".sticky")];
  for (const note of notes) note.hidden = false;
  const overflows = () => list.scrollHeight > list.clientHeight + 1;
  for (const scale of NOTE_SCALES) {
    list.style.setProperty("--fit", String(scale)); // CSSOM, not a style attribute
    list.dataset.fit = String(scale);
    if (!overflows()) return;
  }
  // Pages: as many whole notes as fit above the line that counts them.
  const line = el("li", { class: "column__pages", "aria-live": "off" });
  list.append(line);
  const pages = [];
  let start = 0;
  while (start < notes.length) {
    for (const note of notes) note.hidden = true;
    let end = start;
    line.textContent = format(t.notePage, { first: start + 1, last: notes.length, count: notes.length });
    do {
      notes[end].hidden = false;
      end += 1;
    } while (end < notes.length && !overflows());
    if (overflows() && end - start > 1) {
      end -= 1;
      notes[end].hidden = true;
    }
    pages.push([start, end]);
    start = end;
  }
  let shown = (pageShown.get(table) ?? 0) % pages.length;
  const show = () => {
    pageShown.set(table, shown);
    const [first, end] = pages[shown];
    notes.forEach((note, index) => (note.hidden = index < first || index >= end));
    line.textContent = format(t.notePage, { first: first + 1, last: end, count: notes.length });
    list.dataset.page = String(shown + 1);
  };
  show();
  if (pages.length > 1) {
    pagers.set(list, setInterval(() => {
      if (!list.isConnected) return clearInterval(pagers.get(list));
      shown = (shown + 1) % pages.length;
      show();
    }, PAGE_MS));
  }
}

function fitColumns() {
  for (const list of wall.querySelectorAll(".column__notes")) fitNotes(list);
}

// --- the results view: per section its title, introduction, themes and notes; then the themes
// filed under no section, by block and round question; the priorities of the Open Space votes.

const byPosition = (a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id;

function resultNote(note) {
  return el(
    "li",
    { class: "rnote", "data-note": note.id, "data-starred": String(Boolean(note.starred)) },
    note.starred ? starMark(t.starred) : null,
    el("span", { class: "rnote__text" }, shown(note, "text")),
  );
}

let noteLimit = Infinity; // notes shown per theme besides the starred ones (fitting the screen)

/** The starred notes and the first others up to the limit; a line counts the rest. */
function noteList(notes) {
  if (!notes.length) return null;
  const starred = notes.filter((n) => n.starred).length;
  const shown = notes.slice(0, starred + noteLimit);
  const more = notes.length - shown.length;
  return [
    el("ul", { class: "rnotes" }, shown.map(resultNote)),
    more ? el("p", { class: "rmore" }, countText(more, t.moreNote, t.moreNotes)) : null,
  ];
}

function themeCard(theme, notes) {
  return el(
    "article",
    { class: "rtheme", "data-theme": theme.id },
    el(
      "h4",
      { class: "rtheme__title" },
      el("span", { class: "rtheme__name" }, theme.title),
      el("span", { class: "rtheme__count" }, countText(notes.length, t.noteOne, t.noteCount)),
    ),
    noteList(notes),
  );
}

// A section's introduction: the server's sanitized HTML, copied tag by tag from an allow-list
// (text always as text nodes); a projector has nothing to click, so links are plain text.
const INTRO_TAGS = {
  P: "p", BR: "br", STRONG: "strong", B: "strong", EM: "em", I: "em", UL: "ul", OL: "ol", LI: "li",
  BLOCKQUOTE: "blockquote", CODE: "code", PRE: "pre", H1: "p", H2: "p", H3: "p", H4: "p", H5: "p", H6: "p",
};

function copyIntro(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const children = Array.from(node.childNodes, copyIntro).filter(Boolean);
  const tag = INTRO_TAGS[node.tagName];
  if (!tag) return children.length ? el("span", {}, children) : null;
  return el(tag, /^H\d$/.test(node.tagName) ? { class: "rintro__heading" } : {}, children);
}

/** A section's introduction: the HTML the server rendered and sanitized when it was saved
 * (section.intro_html), copied tag by tag into elements whose text is text. */
function introOf(section) {
  if (!section.intro_html) return [];
  const parsed = new DOMParser().parseFromString(String(section.intro_html), "text/html");
  return Array.from(parsed.body.childNodes, copyIntro).filter(Boolean);
}

function priorities(block) {
  const status = block.vote?.status ?? "none";
  if (block.method !== "open-space" || status === "none") return null;
  const ranked = ranking(blockTopics(state, block)).filter((topic) => topic.selected || (topic.votes ?? 0) > 0);
  if (!ranked.length) return null;
  const most = Math.max(1, ...ranked.map((topic) => topic.votes ?? 0));
  // The ranking as a bar chart: each session's dots as a bar's length (the most voted full), the
  // count beside it in words; the length is set through the CSSOM (no style attribute).
  const bar = (topic) => {
    const shown = el("span", { class: "rpriority__bar", "aria-hidden": "true" });
    shown.style.setProperty("--share", String((topic.votes ?? 0) / most));
    return shown;
  };
  return el(
    "div",
    { class: "rpriorities", "data-block": block.id, "data-vote": status },
    el("h4", { class: "rtheme__title" }, status === "open" ? format(t.voteOpen, { dots: formatNumber(block.vote.dots) }) : t.priorities),
    el(
      "ol",
      { class: "rpriorities__list" },
      ranked.map((topic) =>
        el(
          "li",
          { class: "rpriority", "data-topic": topic.id, "data-selected": String(Boolean(topic.selected)) },
          el("span", { class: "rpriority__title" }, shown(topic, "title")),
          el("span", { class: "rpriority__votes" }, countText(topic.votes ?? 0, t.voteOne, t.votes)),
          topic.selected ? el("span", { class: "rpriority__badge" }, t.selected) : null,
          bar(topic),
        ),
      ),
    ),
  );
}

function buildResults() {
  const notes = state.notes.filter((n) => !n.hidden);
  const themes = (state.themes ?? []).slice().sort(byPosition);
  const sections = (state.sections ?? []).slice().sort(byPosition);
  const sectionIds = new Set(sections.map((s) => s.id));
  const byWeight = weighed(state.blocks); // as the documents order a theme's notes
  const notesOf = (theme) => notes.filter((n) => n.theme === theme.id).sort(byWeight);
  const groups = [];

  for (const section of sections) {
    const filed = themes.filter((theme) => theme.section === section.id);
    const filedIds = new Set(filed.map((theme) => theme.id));
    const direct = notes.filter((n) => n.section === section.id && !filedIds.has(n.theme)).sort(byWeight);
    const intro = introOf(section);
    groups.push(
      el(
        "section",
        { class: "rgroup rgroup--section", "data-section": section.id },
        el("h3", { class: "rgroup__title" }, section.title),
        intro.length ? el("div", { class: "rintro" }, intro) : null,
        filed.map((theme) => themeCard(theme, notesOf(theme))),
        direct.length
          ? el("article", { class: "rtheme rtheme--direct" }, filed.length ? el("h4", { class: "rtheme__title" }, t.otherNotes) : null, noteList(direct))
          : null,
      ),
    );
  }

  const loose = themes.filter((theme) => !sectionIds.has(theme.section));
  for (const block of state.blocks) {
    const mine = loose.filter((theme) => theme.block === block.id);
    const vote = priorities(block);
    if (!mine.length && !vote) continue;
    // A theme whose notes all come from one round goes under that round's question.
    const roundOf = new Map(
      mine.map((theme) => {
        const rounds = new Set(notesOf(theme).map((n) => n.round));
        return [theme.id, rounds.size === 1 ? [...rounds][0] : null];
      }),
    );
    const parts = [];
    for (const round of block.rounds) {
      const here = mine.filter((theme) => roundOf.get(theme.id) === round.id);
      if (!here.length) continue;
      parts.push(el("p", { class: "rgroup__question", "data-round": round.id }, shown(round, "question")));
      parts.push(...here.map((theme) => themeCard(theme, notesOf(theme))));
    }
    parts.push(...mine.filter((theme) => roundOf.get(theme.id) === null).map((theme) => themeCard(theme, notesOf(theme))));
    groups.push(
      el("section", { class: "rgroup rgroup--block", "data-block": block.id }, el("h3", { class: "rgroup__title" }, shown(block, "title")), parts, vote),
    );
  }

  const blockIds = new Set(state.blocks.map((b) => b.id));
  const elsewhere = loose.filter((theme) => !blockIds.has(theme.block));
  if (elsewhere.length) {
    groups.push(
      el(
        "section",
        { class: "rgroup rgroup--other" },
        el("h3", { class: "rgroup__title" }, groups.length ? t.otherThemes : t.results),
        elsewhere.map((theme) => themeCard(theme, notesOf(theme))),
      ),
    );
  }
  if (!groups.length) groups.push(el("p", { class: "results__empty" }, t.resultsEmpty));
  resultsFlow.replaceChildren(...groups);
}

// Fitting the screen: the whole text at full size if it fits, else slightly smaller type, then
// fewer notes per theme (the starred ones always show, a line counts the others), then smaller
// type again, down to 60 %.
const NOTE_LIMITS = [Infinity, 8, 5, 3, 1, 0];
const SCALES = [1, 0.9, 0.8];
const LAST_SCALES = [0.75, 0.7, 0.65, 0.6];

function renderResults() {
  const overflows = () => resultsFlow.scrollWidth > resultsFlow.clientWidth + 1;
  const scaleTo = (scale) => {
    resultsFlow.style.setProperty("--fit", String(scale)); // CSSOM, not a style attribute
    resultsFlow.dataset.fit = String(scale);
  };
  for (const limit of NOTE_LIMITS) {
    noteLimit = limit;
    buildResults();
    for (const scale of SCALES) {
      scaleTo(scale);
      if (!overflows()) return;
    }
  }
  for (const scale of LAST_SCALES) {
    scaleTo(scale);
    if (!overflows()) return;
  }
}

let resultsQueued = false;
/** Many events in a burst (a curation session) make one rebuild. */
function refreshResults() {
  if (!state || boardView() !== "results" || resultsQueued) return;
  resultsQueued = true;
  requestAnimationFrame(() => {
    resultsQueued = false;
    if (state && boardView() === "results") renderResults();
  });
}

// --- the key terms: the server renders them (the same partial as the page); fetched again when
// the view shows and when notes change, one fetch at a time, the last change always counted.

let termsFetching = false;
let termsAgain = false;

async function refreshTerms() {
  if (boardView() !== "terms") return;
  if (termsFetching) {
    termsAgain = true;
    return;
  }
  termsFetching = true;
  try {
    const response = await fetch(root.dataset.termsUrl, { cache: "no-store", headers: { Accept: "text/html" } });
    if (response.ok && boardView() === "terms") {
      // Our own server's partial, its texts escaped by Jinja: parsed, then moved in.
      const parsed = new DOMParser().parseFromString(await response.text(), "text/html");
      termsFlow.replaceChildren(...parsed.body.childNodes);
    }
  } catch {
    // offline: the next change or resync fetches again
  } finally {
    termsFetching = false;
    if (termsAgain) {
      termsAgain = false;
      refreshTerms();
    }
  }
}

// --- "change tables": a countdown, the next question, how many people each table expects

function showMoving(payload) {
  moving = payload;
  const next = findRound(state, payload.round);
  setText("moving-next", next?.title ? format(t.nextRound, { title: shown(next, "title") }) : "");
  setText("moving-question", shown(next, "question") ?? "");
  const block = state.blocks.find((b) => b.id === payload.block) ?? currentBlock(state);
  const tables = Object.entries(payload.tables ?? {})
    .map(([number, count]) => [Number(number), count])
    .sort(([a], [b]) => a - b);
  byId("moving-tables", HTMLOListElement).replaceChildren(
    ...tables.map(([number, count]) => {
      const table = block?.tables.find((each) => each.number === number);
      const host = hostText(table);
      return el(
        "li",
        { class: "moving__table", "data-table": number },
        el("p", { class: "moving__number" }, format(t.table, { number })),
        table?.theme ? el("p", { class: "moving__theme" }, shown(table, "theme")) : null,
        host ? el("p", { class: "moving__host" }, host) : null,
        el("p", { class: "moving__count" }, count === 0 ? t.expectedNone : countText(count, t.expectedOne, t.expected)),
      );
    }),
  );
  tickMoving();
}

function tickMoving() {
  const section = byId("moving", HTMLElement);
  const left = moving ? clock.secondsUntil(moving.until) : null;
  if (!moving || !left) {
    moving = null;
    section.hidden = true;
    delete document.body.dataset.moving;
    return;
  }
  setText("moving-timer", clockText(left));
  section.hidden = false;
  document.body.dataset.moving = "true";
}

function renderPresence() {
  setText("presence", plural(presence.phones ?? 0, t));
  for (const section of wall.querySelectorAll(".column")) {
    const count = presence.tables?.[section.dataset.table] ?? 0;
    section.querySelector("[data-presence]").textContent = count ? format(t.atTable, { count: formatNumber(count) }) : "";
  }
}

// --- the countdown: its colour changes in the last minute, time's up shows apart; an optional chime

const TIMER_STATES = ["running", "last-minute", "over"];

function tick() {
  tickMoving();
  const timer = byId("timer", HTMLElement);
  const round = state ? currentRound(state) : root.dataset.ends ? { status: "running", ends_at: root.dataset.ends } : null;
  if (!state && !round) return;
  const harvest = state && harvestShown(currentBlock(state), round);
  const quiet = state && openSpaceBlock(state) && round?.status !== "running"; // Open Space: a countdown only while a round runs
  // The results view shows a countdown only while a round runs (nothing else to say there).
  const aside = state && boardView() !== "live" && round?.status !== "running";
  timer.textContent = round && !harvest && !quiet && !aside ? roundTimerText(round, clock, t) : ""; // the question line says it
  const status = timerState(round, clock);
  timer.dataset.status = status;
  for (const each of TIMER_STATES) timer.classList.toggle(`board-head__timer--${each}`, status === each);
  listenForChime(round);
}

let chimeRound = null; // "round id|ends_at" of the countdown heard last
let chimeLeft = null; // its seconds left at the last tick

/** Chimes once when the last minute starts and once at zero, as the countdown crosses them. */
function listenForChime(round) {
  if (!round || round.status !== "running") {
    chimeRound = null;
    chimeLeft = null;
    return;
  }
  const key = `${round.id}|${round.ends_at}`;
  const left = clock.secondsUntil(round.ends_at);
  if (key === chimeRound && chimeLeft !== null && left !== null) {
    if (chimeLeft > 60 && left <= 60 && left > 0) chime.play("minute");
    else if (chimeLeft > 0 && left === 0) chime.play("end");
  }
  chimeRound = key;
  chimeLeft = left;
}

const chime = (() => {
  const KEY = "workshop:board:chime";
  const box = byId("chime", HTMLInputElement);
  let context = null;
  let on = false;
  try {
    on = window.localStorage.getItem(KEY) === "on";
  } catch {
    // storage refused: off, as by default
  }

  function unlock() {
    // Browsers start sound only after a gesture on the page: the toggle, or any click or key.
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return null;
    if (!context) context = new Context();
    if (context.state === "suspended") context.resume().catch(() => {});
    return context;
  }

  // Two soft sine notes, each fading slowly: E5 then C5 for the last minute, C5 then G4 at zero.
  const NOTES = { minute: [659.25, 523.25], end: [523.25, 392.0] };

  function play(kind) {
    if (!on) return;
    const audio = unlock();
    if (!audio) return;
    const start = audio.currentTime + 0.05;
    NOTES[kind].forEach((frequency, index) => {
      const at = start + index * 0.6;
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.16, at + 0.08);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 2.4);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(at);
      oscillator.stop(at + 2.5);
    });
    document.body.dataset.chimed = kind;
  }

  if (box) {
    box.checked = on;
    box.closest("label").hidden = false;
    box.addEventListener("change", () => {
      on = box.checked;
      try {
        window.localStorage.setItem(KEY, on ? "on" : "off");
      } catch {
        // kept for this visit only
      }
      if (on) play("minute"); // heard once now: the room's volume can be set
    });
  }
  const wake = () => {
    if (on) unlock();
  };
  window.addEventListener("pointerdown", wake, { once: true });
  window.addEventListener("keydown", wake, { once: true });
  return { play };
})();

function addNote(note) {
  if (note.hidden || boardView() !== "live") return;
  if (wall.dataset.view === "harvest") {
    if (note.kind !== "harvest" || note.block !== state.current.block) return;
  } else {
    const round = currentRound(state);
    if (!round || note.round !== round.id) return;
  }
  let section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  if (!section) {
    render(); // a note for a table without a column yet: the "other notes" column appears
    section = wall.querySelector(`.column[data-table="${note.table ?? ""}"]`);
  }
  if (!section || section.querySelector(`[data-note="${CSS.escape(note.id)}"]`)) return;
  const item = sticky(note, t.starred);
  item.classList.add("sticky--new");
  const list = section.querySelector(".column__notes");
  list.prepend(item);
  fitNotes(list, true); // the newest note shows at once
}

// --- the socket, its heartbeat, and the HTTP polling while it is silent

const socket = connect();
const openSpace = boardOpenSpace({ socket, t, code, getState: () => state, shown: () => boardView() === "live" });

let joined = false;
let heard = true; // a sign of life since the last heartbeat went out
let silentBeats = 0;
let stalled = false;
let pollTimer = null;
let pollAbort = null;

function applyState(next) {
  state = next;
  clock.sync(state.now);
  render();
}

async function join() {
  const ack = await joinPatiently(socket, { code, role: "board", lang: document.documentElement.lang });
  if (!ack.ok) return;
  joined = true;
  presence = ack.presence ?? presence;
  applyState(ack.state);
  heardFromServer(true);
}

/** Catches up once after a silence: the snapshot again (or a new join if the first one was lost). */
async function resync() {
  if (!joined) {
    join();
    return;
  }
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
  else if (ack.error?.code === "not_joined") join();
}

/** Any event or heartbeat answer: the socket carries things again. */
function heardFromServer(fresh = false) {
  heard = true;
  silentBeats = 0;
  if (!stalled) return;
  stalled = false;
  stopPolling();
  showBanner(false);
  if (!fresh) resync();
}

function stall() {
  if (stalled) return;
  stalled = true;
  showBanner(true);
  poll();
}

function showBanner(shown) {
  banner.hidden = !shown;
  banner.textContent = shown ? format(t.stalled, { seconds: POLL_MS / 1000 }) : "";
  document.body.dataset.connection = shown ? "stalled" : "up";
}

async function poll() {
  clearTimeout(pollTimer);
  if (!stalled) return;
  const mine = new AbortController();
  pollAbort = mine;
  try {
    const response = await fetch(stateUrl, { cache: "no-store", headers: { Accept: "application/json" }, signal: mine.signal });
    if (response.ok) {
      const next = await response.json();
      if (stalled && pollAbort === mine) applyState(next);
    }
  } catch {
    // offline too: the next poll tries again
  }
  if (stalled && pollAbort === mine) pollTimer = setTimeout(poll, POLL_MS);
}

function stopPolling() {
  clearTimeout(pollTimer);
  pollAbort?.abort();
  pollAbort = null;
}

socket.on("connect", join);
socket.on("disconnect", () => {
  joined = false;
  stall();
});
socket.onAny(() => heardFromServer());

setInterval(() => {
  silentBeats = heard ? 0 : silentBeats + 1;
  heard = false;
  if (silentBeats >= STALL_BEATS) stall();
  if (socket.connected) {
    request(socket, "heartbeat", {}, HEARTBEAT_MS * 3).then((ack) => {
      if (ack.ok) heardFromServer();
    });
  }
}, HEARTBEAT_MS);

// --- the events

socket.on("note:added", ({ note }) => {
  if (!state || !note) return;
  if (!state.notes.some((n) => n.id === note.id)) state.notes.push(note);
  addNote(note);
  refreshResults();
  refreshTerms();
});
socket.on("note:hidden", ({ note }) => {
  if (!state) return;
  state.notes = state.notes.filter((n) => n.id !== note);
  const gone = wall.querySelector(`[data-note="${CSS.escape(String(note))}"]`);
  const list = gone?.closest(".column__notes");
  gone?.remove();
  if (list) fitNotes(list);
  refreshResults();
  refreshTerms();
});
socket.on("note:shown", ({ note }) => {
  if (!state || !note) return;
  state.notes = state.notes.filter((n) => n.id !== note.id).concat([note]);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  render();
});
// Facilitation modes (issue 15): notes revealed or approved together, and the count still waiting.
socket.on("notes:shown", (/** @type {import("./shapes.js").NotesShownJSON} */ payload) => {
  if (!state || !payload?.notes) return;
  const ids = new Set(payload.notes.map((n) => n.id));
  state.notes = state.notes.filter((n) => !ids.has(n.id)).concat(payload.notes);
  state.notes.sort((a, b) => a.created_at.localeCompare(b.created_at));
  render();
});
socket.on("notes:waiting", (/** @type {import("./shapes.js").WaitingJSON} */ payload) => {
  if (!state || !payload) return;
  state.waiting = payload;
  renderWaiting();
});
for (const event of ["round:started", "round:extended", "round:closed", "round:skipped"]) {
  socket.on(event, (payload) => {
    if (!state) return;
    clock.sync(payload.now);
    applyRoundEvent(state, payload);
    if (event === "round:started") moving = null; // everyone sat down
    render();
  });
}
socket.on("tables:moving", (payload) => {
  if (!state || !payload) return;
  clock.sync(payload.now);
  showMoving(payload);
});
socket.on("note:starred", ({ note, starred }) => {
  const found = state?.notes.find((n) => n.id === note);
  if (!found) return;
  found.starred = Boolean(starred);
  const shown = wall.querySelector(`[data-note="${CSS.escape(String(note))}"]`);
  if (shown) shown.replaceWith(sticky(found, t.starred));
  refreshResults();
});
socket.on("table:hosted", (payload) => {
  const table = state?.blocks.find((b) => b.id === payload?.block)?.tables.find((each) => each.number === payload.table);
  if (!table) return;
  table.host = payload.host;
  table.host_id = payload.host_id;
  render();
  if (moving) showMoving(moving);
});
for (const [event, status] of [["harvest:opened", "open"], ["harvest:closed", "closed"], ["harvest:cancelled", "none"]]) {
  socket.on(event, (payload) => {
    const block = state?.blocks.find((b) => b.id === payload?.block);
    if (!block) return;
    block.harvest = status;
    if (status === "open") moving = null;
    render();
  });
}
socket.on("block:changed", async (payload) => {
  clock.sync(payload?.now);
  const ack = await request(socket, "state:get", {});
  if (ack.ok) applyState(ack.state);
});
socket.on("presence:updated", (payload) => {
  presence = payload ?? presence;
  renderPresence();
});
socket.on("board:view", (payload) => {
  if (!state || !VIEWS.includes(payload?.view)) return;
  state.board_view = payload.view;
  render();
});
socket.on("curation:updated", (payload) => {
  if (!state || !payload) return;
  if (Array.isArray(payload.themes)) state.themes = payload.themes;
  if (Array.isArray(payload.sections)) state.sections = payload.sections;
  for (const change of Array.isArray(payload.notes) ? payload.notes : []) {
    const note = state.notes.find((n) => n.id === change?.id);
    if (!note) continue;
    note.theme = change.theme ?? null;
    note.section = change.section ?? null;
  }
  refreshResults();
});
// The vote and the topics (applied to the state by board-openspace.js, registered first).
for (const event of ["topic:added", "topic:updated", "topic:removed", "vote:opened", "vote:updated", "vote:closed"]) {
  socket.on(event, () => refreshResults());
}

tick();
setInterval(tick, 1000);
window.addEventListener("resize", () => refreshResults());
// The wall's height changes with the window and with the banner above it: the notes fit again.
let wallHeight = 0;
new ResizeObserver(() => {
  if (wall.hidden || wall.clientHeight === wallHeight) return;
  wallHeight = wall.clientHeight;
  fitColumns();
}).observe(wall);
