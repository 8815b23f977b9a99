// node --test: the phone's outboxes (static/js/outbox.js): what an answer means for a write, and
// what stays on the phone after it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { Outbox, outcome, retryableCodes } from "../../static/js/outbox.js";

const RETRYABLE = new Set(["timeout", "internal", "not_joined", "rate_limited"]);
const refusal = (code, message = "") => ({ ok: false, error: { code, message } });

/** A store like the phone's (localStorage by name), in memory. */
function memoryStore() {
  const saved = new Map();
  return { saved, get: (name, fallback) => (saved.has(name) ? structuredClone(saved.get(name)) : fallback), set: (name, value) => saved.set(name, structuredClone(value)) };
}

/** A socket whose answers are given by `answer(event, payload)`, recording what was sent. */
function fakeSocket(answer) {
  const sent = [];
  return {
    sent,
    timeout: () => ({
      emit: (event, payload, callback) => {
        sent.push([event, payload]);
        const ack = answer(event, payload);
        if (ack === null) callback(new Error("timeout"));
        else queueMicrotask(() => callback(null, ack));
      },
    }),
  };
}

test("an acknowledged write is stored; a refusal the server calls retryable is kept", () => {
  assert.equal(outcome({ ok: true }, RETRYABLE), "stored");
  for (const code of RETRYABLE) assert.equal(outcome(refusal(code), RETRYABLE), "retry");
  assert.equal(outcome(refusal("note_too_long"), RETRYABLE), "refused");
});

test("a refusal the page holds (no round running yet) is held, not refused", () => {
  const holds = (code) => code === "no_running_round";
  assert.equal(outcome(refusal("no_running_round"), RETRYABLE, holds), "held");
  assert.equal(outcome(refusal("round_closed"), RETRYABLE, holds), "refused");
});

test("an answer with no error code counts as no answer: kept, to retry", () => {
  assert.equal(outcome({ ok: false }, RETRYABLE), "retry");
});

test("the retryable codes come from the page, with the phone's own timeout", () => {
  const codes = retryableCodes({ dataset: { retryable: "internal,rate_limited" } });
  assert.deepEqual([...codes].sort(), ["internal", "rate_limited", "timeout"]);
  assert.deepEqual([...retryableCodes({ dataset: {} })], ["timeout"]);
});

test("a stored item leaves the outbox and the phone's store; the page hears of it", async () => {
  const store = memoryStore();
  const stored = [];
  const box = new Outbox({ store, name: "outbox", retryable: RETRYABLE, message: (item) => ["note:post", { id: item.id, text: item.text }], stored: (item) => stored.push(item.id) });
  box.add({ id: "a", text: "Une idée" });
  assert.deepEqual(store.saved.get("outbox"), [{ id: "a", text: "Une idée" }]);
  const socket = fakeSocket(() => ({ ok: true, note: { id: "a" } }));
  assert.equal(await box.send(socket, box.items[0]), "stored");
  assert.deepEqual(socket.sent, [["note:post", { id: "a", text: "Une idée" }]]);
  assert.deepEqual(box.items, []);
  assert.deepEqual(store.saved.get("outbox"), []);
  assert.deepEqual(stored, ["a"]);
});

test("a retryable refusal keeps the item with the server's message; the next flush sends the same id", async () => {
  const store = memoryStore();
  let answer = refusal("rate_limited", "Attendez un moment.");
  const box = new Outbox({ store, name: "outbox", retryable: RETRYABLE, message: (item) => ["note:post", { id: item.id }] });
  box.add({ id: "a" });
  const socket = fakeSocket(() => answer);
  assert.equal(await box.send(socket, box.items[0]), "retry");
  assert.equal(box.items[0].error, "Attendez un moment.");
  assert.equal(store.saved.get("outbox")[0].error, "Attendez un moment.");
  answer = { ok: true };
  box.flush(socket);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(socket.sent.map(([, payload]) => payload.id), ["a", "a"]);
  assert.deepEqual(box.items, []);
});

test("a refusal for good drops the item and gives it back to the page", async () => {
  const refused = [];
  const box = new Outbox({ store: memoryStore(), name: "topics", retryable: RETRYABLE, message: (item) => ["topic:propose", item], refused: (item, ack) => refused.push([item.id, ack.error.code]) });
  box.add({ id: "t" });
  assert.equal(await box.send(fakeSocket(() => refusal("bad_choice")), box.items[0]), "refused");
  assert.deepEqual(box.items, []);
  assert.deepEqual(refused, [["t", "bad_choice"]]);
});

test("no answer at all (a timeout) keeps the item without an error message", async () => {
  const box = new Outbox({ store: memoryStore(), name: "outbox", retryable: RETRYABLE, message: (item) => ["note:post", item] });
  box.add({ id: "a" });
  assert.equal(await box.send(fakeSocket(() => null), box.items[0]), "retry");
  assert.equal(box.items.length, 1);
  assert.equal(box.items[0].error, undefined);
});

test("an item on its way is not sent twice; items are known by their key", async () => {
  const box = new Outbox({ store: memoryStore(), name: "dots", key: (item) => item.dot, retryable: RETRYABLE, message: (item) => ["vote:cast", item] });
  box.add({ dot: "d1", id: 4 });
  const socket = fakeSocket(() => ({ ok: true, left: 2 }));
  const first = box.send(socket, box.items[0]);
  assert.equal(await box.send(socket, box.items[0]), null);
  assert.equal(await first, "stored");
  assert.equal(socket.sent.length, 1);
  assert.equal(box.has("d1"), false);
});

test("held items stay quietly, their old error cleared; drop lets go of what the server has", async () => {
  const box = new Outbox({ store: memoryStore(), name: "outbox", retryable: RETRYABLE, holds: (item, code) => code === "no_running_round", message: (item) => ["note:post", item] });
  box.add({ id: "a", error: "old" });
  box.add({ id: "b" });
  assert.equal(await box.send(fakeSocket(() => refusal("no_running_round")), box.items[0]), "held");
  assert.equal(box.items[0].error, null);
  box.drop((item) => item.id === "b");
  assert.deepEqual(box.items.map((item) => item.id), ["a"]);
});

test("the outbox starts from what the phone kept (a reload keeps unsent writes)", () => {
  const store = memoryStore();
  store.set("outbox", [{ id: "kept" }]);
  const box = new Outbox({ store, name: "outbox", retryable: RETRYABLE, message: (item) => ["note:post", item] });
  assert.equal(box.has("kept"), true);
});
