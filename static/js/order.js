// The order of notes within a theme, as the documents have it (workshop/domain/synthesis.py:
// _order_in_group and agenda_order): highlights first, then the most voted, then agenda order
// (the block's place in the agenda, a round's notes before the block's harvest, the round's
// position, the table, the time written). The board's results view uses it, so that the board
// and the documents list a theme's notes alike.

/** @typedef {{ id: number, rounds: { id: number, position: number }[] }} OrderBlock */
/** @typedef {{ id: string, block?: number | null, round?: number | null, table?: number | null,
 *   kind?: string, created_at?: string, starred?: boolean, votes?: number }} OrderNote */

const LAST = Number.MAX_SAFE_INTEGER;

/**
 * @param {OrderBlock[]} blocks the agenda, in its order
 * @returns {(note: OrderNote) => (number | string)[]}
 */
export function agendaOrder(blocks) {
  const blockIndex = new Map(blocks.map((block, index) => [block.id, index]));
  const rounds = new Map(blocks.flatMap((block) => block.rounds.map((round) => [round.id, { block: block.id, position: round.position }])));
  return (note) => {
    const round = note.round != null ? rounds.get(note.round) : undefined;
    const block = round ? round.block : note.block;
    return [
      blockIndex.get(block) ?? blocks.length,
      note.kind === "harvest" ? 1 : 0,
      round ? round.position : LAST,
      note.table ?? LAST,
      String(note.created_at ?? ""),
      String(note.id),
    ];
  };
}

/** Compares two keys element by element (numbers as numbers, strings as strings). */
function compareKeys(a, b) {
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] === b[i]) continue;
    return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

/**
 * The comparator of a theme's notes: starred first, then the most voted, then agenda order.
 * @param {OrderBlock[]} blocks
 * @returns {(a: OrderNote, b: OrderNote) => number}
 */
export function byWeight(blocks) {
  const key = agendaOrder(blocks);
  return (a, b) =>
    Number(Boolean(b.starred)) - Number(Boolean(a.starred)) || (b.votes ?? 0) - (a.votes ?? 0) || compareKeys(key(a), key(b));
}
