// node --test: a theme's notes in the documents' order (static/js/order.js, the board's results
// view), the order domain/synthesis.py gives them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { byWeight } from "../../static/js/order.js";

// Two blocks: the café (rounds 11 then 12, whose positions say 12 comes first), then an Open Space.
const BLOCKS = [
  { id: 1, rounds: [{ id: 11, position: 1 }, { id: 12, position: 0 }] },
  { id: 2, rounds: [{ id: 21, position: 0 }] },
];

const ids = (notes) => notes.map((n) => n.id);

test("highlights first, then the most voted", () => {
  const notes = [
    { id: "plain", round: 12, table: 1, created_at: "2010-05-04T09:00:00Z" },
    { id: "voted", round: 21, votes: 3, created_at: "2010-05-04T11:00:00Z" },
    { id: "star", round: 11, table: 3, starred: true, created_at: "2010-05-04T10:00:00Z" },
  ];
  assert.deepEqual(ids(notes.sort(byWeight(BLOCKS))), ["star", "voted", "plain"]);
});

test("ties go in agenda order, not by the time written: block, round position, table", () => {
  const notes = [
    { id: "open-space", round: 21, created_at: "2010-05-04T08:00:00Z" },
    { id: "second-round", round: 11, table: 1, created_at: "2010-05-04T08:01:00Z" },
    { id: "first-round-table-2", round: 12, table: 2, created_at: "2010-05-04T08:02:00Z" },
    { id: "first-round-table-1", round: 12, table: 1, created_at: "2010-05-04T09:00:00Z" },
  ];
  assert.deepEqual(ids(notes.sort(byWeight(BLOCKS))), ["first-round-table-1", "first-round-table-2", "second-round", "open-space"]);
});

test("a block's harvest comes after its rounds' notes; then the time written, then the id", () => {
  const notes = [
    { id: "harvest", block: 1, kind: "harvest", table: 1, created_at: "2010-05-04T07:00:00Z" },
    { id: "b", round: 11, table: 1, created_at: "2010-05-04T10:00:00Z" },
    { id: "a", round: 11, table: 1, created_at: "2010-05-04T10:00:00Z" },
    { id: "early", round: 11, table: 1, created_at: "2010-05-04T09:59:00Z" },
  ];
  assert.deepEqual(ids(notes.sort(byWeight(BLOCKS))), ["early", "a", "b", "harvest"]);
});
