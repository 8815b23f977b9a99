// node --test: a burst of live events makes a few fetches of a fragment (static/js/fragments.js
// coalesce), as the board under a stream of notes needs: one after the quiet that ends a burst, one
// every `most` milliseconds while it lasts, never two at once.
import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { coalesce } from "../../static/js/fragments.js";

/** A load that takes `ms` of the fake clock; counts its calls. */
function slowLoad(ms) {
  const calls = [];
  const load = () => {
    calls.push(Date.now());
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
  return { calls, load };
}

/** Moves the fake clock by `ms`, a millisecond at a time, letting the loads' promises settle. */
async function pass(ms) {
  for (let i = 0; i < ms; i += 1) {
    mock.timers.tick(1);
    await Promise.resolve();
    await Promise.resolve();
  }
}

test("a burst that ends makes one load after its quiet", async () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  try {
    const { calls, load } = slowLoad(20);
    const changed = coalesce(load, 100);
    for (let i = 0; i < 50; i += 1) {
      changed();
      await pass(10);
    }
    assert.equal(calls.length, 0); // a burst without a bound waits for its end
    await pass(200);
    assert.deepEqual(calls, [590]);
  } finally {
    mock.timers.reset();
  }
});

test("a burst that lasts makes one load per `most` and a last one after it", async () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  try {
    const { calls, load } = slowLoad(50);
    const changed = coalesce(load, 100, 1000);
    for (let i = 0; i < 500; i += 1) {
      changed(); // 500 notes in 3 s
      await pass(6);
    }
    await pass(500);
    assert.ok(calls.length >= 3 && calls.length <= 5, String(calls));
    assert.ok(calls.every((at, i) => i === 0 || at - calls[i - 1] >= 50), "two loads at once");
    assert.ok(calls.at(-1) >= 3000, "the last change was loaded");
  } finally {
    mock.timers.reset();
  }
});

test("a change during a load loads once more after it", async () => {
  mock.timers.enable({ apis: ["setTimeout", "Date"], now: 0 });
  try {
    const { calls, load } = slowLoad(300);
    const changed = coalesce(load, 10);
    changed();
    await pass(20); // loading now
    changed();
    await pass(20);
    changed();
    await pass(20);
    assert.equal(calls.length, 1);
    await pass(400);
    assert.equal(calls.length, 2);
    await pass(400);
    assert.equal(calls.length, 2);
  } finally {
    mock.timers.reset();
  }
});
