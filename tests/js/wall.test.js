// node --test: the Open Space wall as the pages read it (static/js/openspace.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { cellValue, freeCells, parseCell, ranking, sessionInSpace, wallRows } from "../../static/js/openspace.js";

const block = {
  id: 2,
  wall: {
    slots: [{ id: "s1", label: "10 h" }, { id: "s2", label: "11 h" }],
    spaces: [{ id: "a", name: "Salle A" }, { id: "b", name: "Salle B" }],
    cells: [
      { slot: "s1", space: "a", topic: "t1" },
      { slot: "s2", space: "a", topic: "t2" },
      { slot: "s2", space: "b", topic: "t3" },
    ],
  },
};
const topics = (attendance) => [
  { id: "t1", block: 2, title: "Logement", votes: 1, attendance: attendance.t1 ?? 0 },
  { id: "t2", block: 2, title: "Transport", votes: 4, attendance: attendance.t2 ?? 0 },
  { id: "t3", block: 2, title: "Emploi", votes: 4, attendance: attendance.t3 ?? 0 },
  { id: "t4", block: 2, title: "Pas placé", votes: 0, attendance: 0 },
];

test("the wall's rows hold every slot and space, with the topic placed in each cell", () => {
  const rows = wallRows({ topics: topics({}) }, block);
  assert.deepEqual(rows.map((row) => row.slot.id), ["s1", "s2"]);
  assert.deepEqual(rows.map((row) => row.cells.map((cell) => cell.topic?.id ?? null)), [["t1", null], ["t2", "t3"]]);
});

test("free cells leave out full slots", () => {
  const free = freeCells({ topics: topics({}) }, block);
  assert.deepEqual(free.map((row) => [row.slot.id, row.spaces.map((space) => space.id)]), [["s1", ["b"]]]);
});

test("a cell survives the round trip through a select's value, whatever its ids hold", () => {
  const odd = { id: 'a"b,c' };
  assert.deepEqual(parseCell(cellValue(odd, { id: "é]" })), { slot: 'a"b,c', space: "é]" });
  assert.equal(parseCell("not json"), null);
  assert.equal(parseCell("[1, 2]"), null);
});

test("the ranking puts the most dots first and keeps the order of proposal for ties", () => {
  assert.deepEqual(ranking(topics({})).map((topic) => topic.id), ["t2", "t3", "t1", "t4"]);
});

test("a space's QR code offers the session of the slot that holds the most people now", () => {
  const early = sessionInSpace({ topics: topics({ t1: 6 }) }, block, "a");
  assert.equal(early.chosen.topic.id, "t1");
  assert.deepEqual(early.others.map((cell) => cell.topic.id), ["t2"]);
  const later = sessionInSpace({ topics: topics({ t1: 1, t2: 3, t3: 5 }) }, block, "a");
  assert.equal(later.chosen.topic.id, "t2");
  assert.equal(sessionInSpace({ topics: topics({}) }, block, "nowhere").chosen, null);
});
