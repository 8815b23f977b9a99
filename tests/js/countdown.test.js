// node --test: the countdown the board, the console and the phones show (static/js/common.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { ServerClock, applyRoundEvent, clockText, roundTimerText, timerState } from "../../static/js/common.js";

/** A clock whose "now" is fixed, to read countdowns at a chosen instant. */
function clockAt(iso) {
  const clock = new ServerClock(null);
  clock.now = () => Date.parse(iso);
  return clock;
}

const t = { noRound: "no round", notStarted: "not started", closed: "closed", timeUp: "time up" };

test("clockText writes minutes and seconds, and hours past sixty minutes", () => {
  assert.equal(clockText(0), "0:00");
  assert.equal(clockText(42), "0:42");
  assert.equal(clockText(25 * 60), "25:00");
  assert.equal(clockText(3600 + 5 * 60 + 9), "1:05:09");
});

test("the server's clock corrects the offset of this device's clock", () => {
  const serverNow = new Date(Date.now() + 90_000).toISOString();
  const clock = new ServerClock(serverNow);
  assert.ok(Math.abs(clock.now() - Date.parse(serverNow)) < 1000);
  assert.equal(new ServerClock("not a date").offset, 0);
});

test("secondsUntil rounds up and stops at zero", () => {
  const clock = clockAt("2026-12-04T10:00:00.000Z");
  assert.equal(clock.secondsUntil("2026-12-04T10:00:00.400Z"), 1);
  assert.equal(clock.secondsUntil("2026-12-04T10:25:00Z"), 1500);
  assert.equal(clock.secondsUntil("2026-12-04T09:59:00Z"), 0);
  assert.equal(clock.secondsUntil(null), null);
});

test("a round's timer text says why there is no countdown", () => {
  const clock = clockAt("2026-12-04T10:00:00Z");
  assert.equal(roundTimerText(null, clock, t), "no round");
  assert.equal(roundTimerText({ status: "pending" }, clock, t), "not started");
  assert.equal(roundTimerText({ status: "closed" }, clock, t), "closed");
  assert.equal(roundTimerText({ status: "running", ends_at: "2026-12-04T10:20:00Z" }, clock, t), "20:00");
  assert.equal(roundTimerText({ status: "running", ends_at: "2026-12-04T09:00:00Z" }, clock, t), "time up");
});

test("the timer's state turns to the last minute, then over", () => {
  const clock = clockAt("2026-12-04T10:00:00Z");
  assert.equal(timerState(null, clock), "none");
  assert.equal(timerState({ status: "pending" }, clock), "pending");
  assert.equal(timerState({ status: "running", ends_at: "2026-12-04T10:05:00Z" }, clock), "running");
  assert.equal(timerState({ status: "running", ends_at: "2026-12-04T10:01:00Z" }, clock), "last-minute");
  assert.equal(timerState({ status: "running", ends_at: "2026-12-04T09:59:00Z" }, clock), "over");
});

test("a round event updates the round in the snapshot and makes a running round current", () => {
  const state = {
    current: { block: 1, round: 10 },
    blocks: [{ id: 1, rounds: [{ id: 10, status: "closed" }, { id: 11, status: "pending", minutes: 20 }] }],
  };
  applyRoundEvent(state, { id: 11, block: 1, round: 11, now: "x", status: "running", ends_at: "2026-12-04T10:20:00Z" });
  const round = state.blocks[0].rounds[1];
  assert.equal(round.status, "running");
  assert.equal(round.minutes, 20);
  assert.equal("now" in round, false);
  assert.equal(state.current.round, 11);
});
