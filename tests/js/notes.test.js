// node --test: where a note of "My notes" stands (static/js/live/phone-notes.js), the choice that picks
// which of the template's sentences the phone shows.
import assert from "node:assert/strict";
import { test } from "node:test";

import { standing } from "../../static/js/live/phone-notes.js";

test("a note on the board is sent", () => {
  assert.equal(standing({ approved: true, revealed: true }), "sent");
  assert.equal(standing({}), "sent"); // a server that says nothing of the modes: on the board
});

test("a moderated round's note waits for approval, before any reveal", () => {
  assert.equal(standing({ approved: false, revealed: true }), "approval");
  assert.equal(standing({ approved: false, revealed: false }), "approval");
});

test("a reveal round's approved note is sent, not yet on the board", () => {
  assert.equal(standing({ approved: true, revealed: false }), "not-shown");
});
