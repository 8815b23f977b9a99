// The phone in a World Café block: its table (chosen in the picker, from a table card's QR code,
// or by the plan), hosting it and the host's tablecloth with its stars, where to sit next between
// two rounds, and the harvest's key ideas (posted by the host through an outbox kept on the phone).
// This module keeps the move's state and wires the forms and the live events; the drawing is
// phone-cafe-render.js, from the page's <template>s.
import { cafeBlock, clockText, format, request, sayIn, setText, uuid } from "../common.js";
import { byId, control, targetOf } from "../dom.js";
import { Outbox } from "../outbox.js";
import { fillMove, renderCloth, renderHarvest, renderTable } from "./phone-cafe-render.js";

/**
 * @param {{ socket: import("../shapes.js").Socket, store: any, t: Object<string, any>,
 *   clock: import("../common.js").ServerClock, getState: () => any, isJoined: () => boolean,
 *   applyState: (state: any) => void, refresh: () => void, remember: (note: import("../shapes.js").NoteJSON) => void,
 *   changed: () => void }} parts
 */
export function phoneCafe({ socket, store, t, clock, getState, isJoined, applyState, refresh, remember, changed }) {
  const dialog = byId("move", HTMLDialogElement);
  const harvestForm = byId("harvest-form", HTMLFormElement);
  const harvestText = byId("harvest-text", HTMLTextAreaElement);
  const picker = byId("table-picker", HTMLDetailsElement);
  // Where to sit next, as the server announced it ({round, table, until?, host?, by?}); the
  // snapshot's me.move says the same after a reload, without the countdown.
  let announced = null;
  let dismissed = null; // "round:table" of a move the person answered "I took another seat" to
  const movingUntil = new Map(); // round id -> end of the board's "change tables" screen

  const tableSay = (message, kind) => sayIn("table-status", message, kind);
  const errorText = (ack) => ack.error?.message || t.noAnswer;

  /** The host's key ideas for the harvest not yet acknowledged: [{id, text}]. */
  const ideasOut = new Outbox({
    store,
    name: "harvest-outbox",
    message: (item) => ["harvest:post", { id: item.id, text: item.text }],
    stored: (item, ack) => {
      remember(ack.note);
      sayIn("harvest-status", t.ideaPosted);
    },
    refused: (item, ack) => {
      // Refused for good (the harvest closed, no longer the host): the text goes back to the box.
      if (!harvestText.value.trim()) harvestText.value = item.text;
      sayIn("harvest-status", ack.error.message, "error");
    },
    changed: () => changed(),
  });

  // The server-rendered move panel (for phones without JavaScript) gives way to the modal one.
  if (dialog.open) dialog.close();

  /** @param {any} state @param {any} block @param {boolean} openPicker */
  function render(state, block, openPicker) {
    renderTable(t, state, block, openPicker);
    renderHarvest(state, ideasOut.items);
    renderCloth(t, state);
    renderMove(state);
  }

  // --- where to sit next

  function shownMove() {
    const state = getState();
    const block = cafeBlock(state);
    if (!block || block.harvest !== "none") return null; // once the harvest opens, nobody moves
    const move = announced ?? state.me?.move ?? null;
    if (!move || dismissed === `${move.round}:${move.table}`) return null;
    return move;
  }

  function renderMove(state) {
    const move = shownMove();
    if (!move) {
      if (dialog.open) dialog.close();
      return;
    }
    dialog.dataset.table = String(move.table);
    dialog.dataset.host = String(fillMove(t, state, move));
    if (!dialog.open) {
      setText("move-error", "");
      dialog.showModal();
    }
    tickMove();
  }

  function tickMove() {
    const move = dialog.open ? shownMove() : null;
    const until = move ? (move.until ?? movingUntil.get(move.round)) : null;
    const left = until ? clock.secondsUntil(until) : null;
    setText("move-timer", left ? format(t.moveLeft, { time: clockText(left) }) : "");
  }

  function dismissMove() {
    const move = shownMove();
    if (move) dismissed = `${move.round}:${move.table}`;
    announced = null;
    if (dialog.open) dialog.close();
    picker.open = true;
    picker.querySelector("summary").focus();
    picker.scrollIntoView({ block: "start" });
  }

  /** The round began, or the block changed: whoever has not moved stays where they are. */
  function forgetMove() {
    announced = null;
  }

  // --- sitting at a table

  /** Sits at a table (table:arrive): the server checks the table exists and has room. */
  async function sitAt(table) {
    const ack = await request(socket, "table:arrive", { table });
    if (!ack.ok) {
      tableSay(errorText(ack), "error");
      if (!picker.hidden) picker.open = true;
      return ack;
    }
    announced = null;
    applyState(ack.state);
    tableSay(format(t.seated, { number: ack.table }));
    return ack;
  }

  /** A table card scanned: sit there, unless the plan expects the phone elsewhere (then ask, issue 16). */
  async function scanned(wanted) {
    const state = getState();
    const expected = state.me?.expected ?? null;
    const ask = byId("elsewhere", HTMLFormElement);
    if (expected !== null && expected !== wanted && state.me?.table !== wanted && ask) {
      setText("elsewhere-text", format(t.expectedElsewhere, { expected, table: wanted }));
      setText("elsewhere-yes", format(t.sitAt, { number: wanted }));
      setText("elsewhere-no", format(t.goTo, { number: expected }));
      control(ask, "table").value = String(wanted);
      ask.hidden = false;
    } else if (state.me?.table !== wanted) {
      await sitAt(wanted);
    }
  }

  /** A new snapshot: arrived at the announced table (a card scanned, another tab), the move is done. */
  function settle(next) {
    ideasOut.drop((n) => (next.me?.notes ?? []).includes(n.id));
    if (announced && !announced.by && !next.me?.move && next.me?.table === announced.table) announced = null;
  }

  // --- the live events

  socket.on("note:starred", ({ note, starred }) => {
    const state = getState();
    const found = state?.notes.find((n) => n.id === note);
    if (!found) return;
    found.starred = Boolean(starred);
    renderCloth(t, state);
  });
  socket.on("table:move", (payload) => {
    if (!getState() || !payload) return;
    announced = { ...payload };
    dismissed = null;
    if (payload.by === "facilitator") refresh(); // already seated there: the new table's notes
    changed();
  });
  // The round began and the plan seated this phone at its table: the table's room and notes follow.
  socket.on("table:seated", (payload) => {
    const state = getState();
    if (!state || !payload) return;
    announced = null;
    if (state.me) state.me.move = null;
    if (isJoined()) sitAt(payload.table);
  });
  socket.on("tables:moving", (payload) => {
    if (!payload) return;
    clock.sync(payload.now);
    if (payload.until) movingUntil.set(payload.round, payload.until);
    if (getState()) tickMove();
  });
  socket.on("table:hosted", (payload) => {
    const state = getState();
    if (!state || !payload) return;
    const table = state.blocks.find((b) => b.id === payload.block)?.tables.find((each) => each.number === payload.table);
    if (table) {
      table.host = payload.host;
      table.host_id = payload.host_id;
    }
    changed();
    refresh(); // whether this phone still hosts, and the tablecloth if it now does
  });
  for (const [event, status] of [
    ["harvest:opened", "open"],
    ["harvest:closed", "closed"],
    ["harvest:cancelled", "none"],
  ]) {
    socket.on(event, (payload) => {
      const block = getState()?.blocks.find((b) => b.id === payload?.block);
      if (!block) return;
      block.harvest = status;
      if (status === "open") announced = null;
      changed();
    });
  }

  // --- the forms: sent through the socket when it is up; the plain POST is the fallback

  harvestForm.addEventListener("submit", (event) => {
    if (!isJoined()) return; // the plain form posts it
    event.preventDefault();
    const text = harvestText.value;
    if (!text.trim()) {
      harvestText.focus();
      return;
    }
    const item = { id: uuid(), text };
    ideasOut.add(item);
    harvestText.value = "";
    sayIn("harvest-status", t.waiting);
    changed();
    ideasOut.send(socket, item);
  });

  // Another table's card, while the plan expects this phone elsewhere: the page asks (#elsewhere);
  // "Sit at table N" sits there through the socket, "Go to table M" just leaves the question.
  byId("elsewhere", HTMLFormElement)?.addEventListener("submit", async (event) => {
    if (!isJoined()) return; // the plain form does it
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    const ack = await sitAt(Number(control(form, "table").value));
    if (ack.ok) form.remove();
  });

  byId("table-form", HTMLFormElement).addEventListener("submit", async (event) => {
    if (!isJoined()) return; // the plain form does it
    event.preventDefault();
    const table = Number(/** @type {SubmitEvent} */ (event).submitter?.getAttribute("value"));
    if (!table) return;
    const ack = await sitAt(table);
    if (ack.ok) picker.open = false;
  });

  byId("host-form", HTMLFormElement).addEventListener("submit", async (event) => {
    if (!isJoined()) return;
    event.preventDefault();
    const table = Number(byId("host-table", HTMLInputElement).value);
    if (!table) return;
    const button = targetOf(event).querySelector("button");
    button.disabled = true;
    const ack = await request(socket, "table:host", { table });
    button.disabled = false;
    if (!ack.ok) {
      tableSay(errorText(ack), "error");
      refresh(); // someone else took it: the page shows who
      return;
    }
    applyState(ack.state); // the host line (a status region) says "You host table N."
    tableSay("");
  });

  byId("move-form", HTMLFormElement).addEventListener("submit", async (event) => {
    if (!isJoined()) return;
    event.preventDefault();
    const table = Number(byId("move-table", HTMLInputElement).value);
    if (!table) return;
    const button = byId("move-here", HTMLButtonElement);
    button.disabled = true;
    const ack = await request(socket, "table:arrive", { table });
    button.disabled = false;
    if (!ack.ok) {
      setText("move-error", errorText(ack));
      return;
    }
    announced = null;
    dismissed = null;
    applyState(ack.state);
    tableSay(ack.me?.host === table ? "" : format(t.seated, { number: table })); // a host reads the host line
  });

  byId("move-elsewhere", HTMLAnchorElement).addEventListener("click", (event) => {
    if (!getState()) return; // without the live page, the link leads to the table picker
    event.preventDefault();
    dismissMove();
  });
  dialog.addEventListener("cancel", (event) => {
    // Escape: for a host, the same as "Got it" later; for the others, "I took another seat".
    event.preventDefault();
    if (dialog.dataset.host === "true") {
      const move = shownMove();
      if (move) dismissed = `${move.round}:${move.table}`;
      announced = null;
      dialog.close();
    } else {
      dismissMove();
    }
  });

  byId("cloth-rounds", HTMLElement).addEventListener("click", async (event) => {
    const button = /** @type {HTMLButtonElement | null} */ (targetOf(event).closest("[data-star]"));
    const state = getState();
    if (!button || !isJoined()) return;
    const note = state.notes.find((n) => n.id === button.dataset.star);
    if (!note) return;
    const starred = !note.starred;
    button.disabled = true;
    const ack = await request(socket, "note:star", { note: note.id, starred });
    button.disabled = false;
    if (!ack.ok) {
      sayIn("cloth-status", errorText(ack), "error");
      return;
    }
    sayIn("cloth-status", "");
    note.starred = starred;
    renderCloth(t, state);
  });

  return {
    render,
    tickMove,
    forgetMove,
    sitAt,
    scanned,
    settle,
    /** @param {string} id */
    has: (id) => ideasOut.has(id),
    /** @param {string} id */
    drop: (id) => ideasOut.drop((n) => n.id === id),
    flush: () => ideasOut.flush(socket),
    forget: () => ideasOut.forget(),
  };
}
