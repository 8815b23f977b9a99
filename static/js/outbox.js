// The phone's writes (notes, key ideas, topics, reports, dots) go through outboxes: an item stays
// on the phone (its store) until the server acknowledges it, goes again after a reconnect with the
// same id (the server stores it once), and comes back to its person when the server refuses it for
// good. Which refusals mean "later" rather than "never" comes from the server (the page's
// <body data-retryable>), so the phone and the server keep one list.
import { request } from "./common.js";

/** The error codes after which the same write may succeed later, as the page's body carries them
 * (`data-retryable="internal,not_joined,…"`), plus "timeout" (no answer: the phone's own code). */
export function retryableCodes(root = document.body) {
  const listed = (root.dataset.retryable ?? "").split(",").filter(Boolean);
  return new Set(["timeout", ...listed]);
}

/**
 * What an answer means for the item that was sent:
 * "stored" (drop it), "retry" (keep it, send again later), "held" (keep it quietly until the
 * page flushes again: the write waits for something, e.g. a round to start), "refused" (drop it
 * and give it back to its person).
 * @param {import("./shapes.js").AckJSON} ack
 * @param {Set<string>} retryable
 * @param {(code: string) => boolean} [holds]
 * @returns {"stored" | "retry" | "held" | "refused"}
 */
export function outcome(ack, retryable, holds = () => false) {
  if (ack.ok) return "stored";
  const code = ack.error?.code ?? "timeout";
  if (retryable.has(code)) return "retry";
  if (holds(code)) return "held";
  return "refused";
}

/**
 * @template {Object<string, any>} Item
 * @typedef {object} OutboxOptions
 * @property {{ get: (name: string, fallback: any) => any, set: (name: string, value: any) => void }} store
 * @property {string} name the store's key for this outbox
 * @property {(item: Item) => [string, Object<string, any>]} message the event and payload for an item
 * @property {(item: Item) => string} [key] an item's identity (default: its id)
 * @property {Set<string>} [retryable]
 * @property {(item: Item, code: string) => boolean} [holds]
 * @property {(item: Item, ack: any) => void} [stored]
 * @property {(item: Item, ack: any) => void} [refused]
 * @property {(item: Item, ack: any) => void} [held]
 * @property {(item: Item, ack: any) => void} [retrying]
 * @property {() => void} [changed] called after every answer (the page renders again)
 */

/** @template {Object<string, any>} Item */
export class Outbox {
  /** @param {OutboxOptions<Item>} options */
  constructor(options) {
    this.options = options;
    this.keyOf = options.key ?? ((item) => item.id);
    this.retryable = options.retryable ?? retryableCodes();
    /** @type {Item[]} */
    this.items = options.store.get(options.name, []);
    /** @type {Set<string>} */
    this.inflight = new Set();
  }

  save() {
    this.options.store.set(this.options.name, this.items);
  }

  /** @param {Item} item */
  add(item) {
    this.items.push(item);
    this.save();
  }

  /** Lets go of the items `gone` says are no longer to send (stored already, withdrawn…). */
  /** @param {(item: Item) => boolean} gone */
  drop(gone) {
    const before = this.items.length;
    this.items = this.items.filter((item) => !gone(item));
    if (this.items.length !== before) this.save();
  }

  /** @param {string} key */
  has(key) {
    return this.items.some((item) => this.keyOf(item) === key);
  }

  /** A lost connection: nothing is in flight any more (the next flush sends everything again). */
  forget() {
    this.inflight.clear();
  }

  /**
   * Sends one item (unless it is on its way already) and acts on the answer.
   * @param {import("./shapes.js").Socket} socket
   * @param {Item} item
   */
  async send(socket, item) {
    const key = this.keyOf(item);
    const kept = /** @type {{ error?: string | null }} */ (item);
    if (this.inflight.has(key)) return null;
    this.inflight.add(key);
    const [event, payload] = this.options.message(item);
    const ack = await request(socket, event, payload);
    this.inflight.delete(key);
    const code = ack.ok ? "" : (ack.error?.code ?? "timeout");
    const result = outcome(ack, this.retryable, (each) => this.options.holds?.(item, each) ?? false);
    if (result === "stored" || result === "refused") this.drop((each) => this.keyOf(each) === key);
    if (result === "stored") this.options.stored?.(item, ack);
    else if (result === "refused") this.options.refused?.(item, ack);
    else if (result === "held") {
      kept.error = null;
      this.options.held?.(item, ack);
    } else {
      // Kept with the same id: sent again on the next reconnect or flush, stored once.
      if (code !== "timeout" && ack.error?.message) kept.error = ack.error.message;
      this.options.retrying?.(item, ack);
    }
    this.save();
    this.options.changed?.();
    return result;
  }

  /** @param {import("./shapes.js").Socket} socket */
  flush(socket) {
    for (const item of this.items.slice()) this.send(socket, item);
  }
}
