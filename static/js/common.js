// Shared by the live pages: translated strings, the server's clock, the socket, DOM helpers.
// Text from people (notes, names) only ever enters the page through text nodes.
import { byId, find } from "./dom.js";

/** The strings the server translated for this page (<script type="application/json" id="i18n">). */
export function readStrings() {
  const block = byId("i18n", HTMLElement);
  return block ? JSON.parse(block.textContent) : {};
}

/** "%(count)s notes" with {count: 3} -> "3 notes" (the Python placeholders of the catalogue). */
export function format(template, values = {}) {
  return String(template ?? "").replace(/%\((\w+)\)s/g, (_, name) => String(values[name] ?? ""));
}

/** An element with attributes and children; strings become text nodes, never HTML. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  // A form made here falls back to a plain post when the socket is down: it carries the token too.
  if (tag === "form" && String(attributes.method).toLowerCase() === "post") {
    const token = find(document, 'meta[name="csrf-token"]', HTMLMetaElement)?.content;
    if (token) node.prepend(el("input", { type: "hidden", name: "csrf_token", value: token }));
  }
  return node;
}

export function setText(id, text) {
  const node = document.getElementById(id);
  if (node && node.textContent !== text) node.textContent = text;
  return node;
}

/** A status line says a message; its data-kind ("info", "error") styles it. */
export function sayIn(id, message, kind = "info") {
  const line = document.getElementById(id);
  if (!line) return;
  line.textContent = message ?? "";
  line.dataset.kind = kind;
}

/** A v4 UUID; crypto.randomUUID only exists on HTTPS or localhost, venues often serve plain HTTP. */
export function uuid() {
  if (window.crypto?.randomUUID) {
    try {
      return window.crypto.randomUUID();
    } catch {
      // insecure context: fall through
    }
  }
  const bytes = window.crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The server's clock seen from here: every "now" the server sends corrects the offset. */
export class ServerClock {
  constructor(iso) {
    this.offset = 0;
    this.sync(iso);
  }

  sync(iso) {
    const server = Date.parse(iso ?? "");
    if (!Number.isNaN(server)) this.offset = server - Date.now();
  }

  now() {
    return Date.now() + this.offset;
  }

  /** Whole seconds until an ISO time (0 once past it). */
  secondsUntil(iso) {
    const end = Date.parse(iso ?? "");
    if (Number.isNaN(end)) return null;
    return Math.max(0, Math.ceil((end - this.now()) / 1000));
  }
}

/** 1:05:09, 25:00, 0:42 */
export function clockText(seconds) {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** What a countdown shows for a round: the time left, or why there is none. */
export function roundTimerText(round, clock, t) {
  if (!round) return t.noRound;
  if (round.status === "pending") return t.notStarted ?? "";
  if (round.status === "closed") return t.closed ?? "";
  const left = clock.secondsUntil(round.ends_at);
  if (left === null) return "";
  return left > 0 ? clockText(left) : t.timeUp;
}

export function timerState(round, clock) {
  if (!round || round.status !== "running") return round ? round.status : "none";
  const left = clock.secondsUntil(round.ends_at);
  if (left === 0) return "over";
  return left !== null && left <= 60 ? "last-minute" : "running";
}

// --- the state snapshot (docs/protocol.md)

/** @param {import("./shapes.js").SnapshotJSON | null} state */
export function currentBlock(state) {
  return state?.blocks.find((b) => b.id === state.current.block) ?? null;
}

/**
 * @param {import("./shapes.js").SnapshotJSON | null} state
 * @param {number} id
 * @returns {import("./shapes.js").RoundJSON | null}
 */
export function findRound(state, id) {
  for (const block of state?.blocks ?? []) {
    const round = block.rounds.find((r) => r.id === id);
    if (round) return round;
  }
  return null;
}

/** @param {import("./shapes.js").SnapshotJSON | null} state */
export function currentRound(state) {
  return state ? findRound(state, state.current.round) : null;
}

/** Applies a round:* event to the snapshot (the payload is the whole round plus "now"). */
/** A text as the live pages print it: the server's ``shown`` (the documents' typography: the
 * apostrophe, French spacing in a French workshop) when it differs, else the text as written. */
export function shown(item, field) {
  return item?.shown?.[field] ?? item?.[field];
}

/**
 * @param {import("./shapes.js").SnapshotJSON} state
 * @param {import("./shapes.js").RoundJSON & { round?: number, now?: string }} payload
 */
export function applyRoundEvent(state, payload) {
  for (const block of state.blocks) {
    const index = block.rounds.findIndex((r) => r.id === payload.id);
    if (index >= 0) {
      const { round: _id, now: _now, ...round } = payload;
      block.rounds[index] = { ...block.rounds[index], ...round };
    }
  }
  if (payload.status === "running") {
    state.current.round = payload.id;
    state.current.block = payload.block;
  }
}

export function tableTheme(state, number) {
  const block = currentBlock(state);
  for (const each of [block, ...(state?.blocks ?? [])]) {
    const table = each?.tables.find((t) => t.number === number);
    if (table) return shown(table, "theme") ?? "";
  }
  return "";
}

// --- the socket

let pageSocket = null; // the first socket the page's own script opened
const pageSocketWaiting = [];

/** @returns {import("./shapes.js").Socket} */
export function connect() {
  if (typeof window.io !== "function") throw new Error("the Socket.IO client did not load");
  // With several server processes the server speaks WebSocket only (no sticky sessions needed).
  const only = document.documentElement.dataset.transports;
  /** @type {{ reconnectionDelayMax: number, transports?: string[] }} */
  const options = { reconnectionDelayMax: 5000 };
  if (only) options.transports = only.split(",");
  const socket = window.io(options);
  if (!pageSocket) {
    pageSocket = socket;
    for (const listener of pageSocketWaiting.splice(0)) listener(socket);
  }
  return socket;
}

/** Gives a helper module (photos.js) the socket the page's script opens and joins, rather than a
 * connection of its own: now if it is open already, else as soon as the page opens it. */
export function onPageSocket(listener) {
  if (pageSocket) listener(pageSocket);
  else pageSocketWaiting.push(listener);
}

/** Emits with an acknowledgement; resolves to the ack, or to ok:false with code "timeout". */
export function request(socket, event, payload, timeout = 10000) {
  return new Promise((resolve) => {
    socket.timeout(timeout).emit(event, payload, (error, ack) => {
      if (error || !ack || typeof ack !== "object") {
        resolve({ ok: false, error: { code: "timeout", message: "" } });
      } else {
        resolve(ack);
      }
    });
  });
}

/** Joins; while the server asks to wait (rate_limited: the whole room joining at once) or does not
 * answer, tries again by itself after about 1, 2, 4… up to 30 seconds, calling `onWait(ack)` so
 * the page tells its person to wait. Gives up when the socket goes (its next connect joins again). */
export async function joinPatiently(socket, payload, onWait) {
  let delay = 1000;
  for (;;) {
    const ack = await request(socket, "join", payload);
    if (ack.ok || !["rate_limited", "timeout"].includes(ack.error?.code) || !socket.connected) return ack;
    onWait?.(ack);
    await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 2, 30000);
    if (!socket.connected) return { ok: false, error: { code: "disconnected", message: "" } };
  }
}

/** Shows the banner while the socket is down. */
/** The console's pages (console, curation) join as the facilitator on every (re)connection, with
 * the key the page carries; `onJoined(ack)` gets the snapshot, `onRefused(message)` the reason. */
export function joinAsFacilitator(socket, { code, key, onJoined, onRefused }) {
  socket.on("connect", async () => {
    const ack = await joinPatiently(socket, { code, role: "facilitator", key, lang: document.documentElement.lang });
    if (ack.ok) onJoined(ack);
    else if (ack.error.code === "disconnected") return;
    else onRefused(ack.error.message);
  });
}

export function connectionBanner(socket, text) {
  const banner = byId("connection", HTMLElement);
  if (!banner) return;
  const show = (down) => {
    banner.hidden = !down;
    banner.textContent = down ? text : "";
    document.body.dataset.connection = down ? "down" : "up";
  };
  socket.on("disconnect", () => show(true));
  socket.on("connect_error", () => show(true));
  socket.on("connect", () => show(false));
}

/** Rebuilds part of the page without losing the keyboard focus: the control that had it (known
 * by its data-key) gets it back, with the value a person was choosing in a select. */
export function keepFocus(container, rebuild) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? active.dataset.key : undefined;
  // A choice being made (not yet sent) survives; an untouched select shows the new truth.
  const touched = key && active instanceof HTMLSelectElement && !active.options[active.selectedIndex]?.defaultSelected;
  const value = touched ? /** @type {HTMLSelectElement} */ (active).value : undefined;
  rebuild();
  if (!key) return;
  const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
  if (!again) return;
  if (value !== undefined && again instanceof HTMLSelectElement && Array.from(again.options).some((o) => o.value === value)) again.value = value;
  again.focus({ preventScroll: true });
}

/** The current block when it is a World Café with tables, else null. */
export function cafeBlock(state) {
  const block = currentBlock(state);
  return block && block.method === "world-cafe" && block.tables.length ? block : null;
}

// --- counts, numbers and dates in the page's language (<html lang>), as the server writes them

let pluralRules = null;
let numberFormat = null;
let dayFormat = null;

function pageLanguage() {
  return document.documentElement.lang || undefined;
}

/** A number as the page's language writes it: 1 234 in French, 1,234 in English. */
export function formatNumber(value) {
  numberFormat ??= new Intl.NumberFormat(pageLanguage());
  return numberFormat.format(value);
}

/** The string for a count: `one` or `other` as the language says (French: 0 and 1 are singular),
 * with its %(count)s written in the page's language; `values` fills the other placeholders. */
export function countText(count, one, other, values = {}) {
  pluralRules ??= new Intl.PluralRules(pageLanguage());
  return format(pluralRules.select(count) === "one" ? one : other, { ...values, count: formatNumber(count) });
}

/** A day sent as ISO (2010-05-04) as the page's language writes it: « 4 mai 2010 », "May 4, 2010";
 * anything else is shown as it came. */
export function formatDay(iso) {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(iso ?? "") ? new Date(`${iso}T00:00:00Z`) : null;
  if (!day || Number.isNaN(day.getTime())) return iso ?? "";
  // UTC both ways: the day itself, whatever the zone of the phone.
  dayFormat ??= new Intl.DateTimeFormat(pageLanguage(), { dateStyle: "medium", timeZone: "UTC" });
  return dayFormat.format(day);
}
