// The console's board switch: the live wall, the results or the key terms on the projector. Sent over a socket of
// its own while it is up (the plain form posts otherwise); a switch made from another console
// shows here too.
import { connect, request } from "../common.js";
import { byId, findAll } from "../dom.js";

const form = byId("board-view", HTMLFormElement);
if (form) {
  const VIEWS = ["live", "results", "terms"];
  const buttons = findAll(form, "button[name=view]", HTMLButtonElement);
  const status = byId("board-view-status", HTMLElement);
  const said = { live: form.dataset.saidLive, results: form.dataset.saidResults, terms: form.dataset.saidTerms };
  let joined = false;

  const show = (view) => {
    if (!VIEWS.includes(view)) return;
    form.dataset.view = view;
    for (const button of buttons) button.setAttribute("aria-pressed", String(button.value === view));
  };

  const socket = connect();
  socket.on("connect", async () => {
    const ack = await request(socket, "join", {
      code: form.dataset.code,
      role: "facilitator",
      key: form.dataset.key,
      lang: document.documentElement.lang,
    });
    if (!ack.ok) return;
    joined = true;
    form.dataset.joined = "true"; // for tests: the switch goes over the socket from here on
    show(ack.state.board_view);
  });
  socket.on("disconnect", () => {
    joined = false;
    delete form.dataset.joined;
  });
  socket.on("board:view", (payload) => show(payload?.view));

  form.addEventListener("submit", async (event) => {
    const view = /** @type {SubmitEvent} */ (event).submitter?.getAttribute("value");
    if (!joined || !VIEWS.includes(view)) return; // the browser posts the form
    event.preventDefault();
    buttons.forEach((button) => (button.disabled = true));
    const ack = await request(socket, "board:view", { view });
    buttons.forEach((button) => (button.disabled = false));
    if (ack.ok) {
      show(view);
      status.textContent = said[view] ?? "";
      delete status.dataset.kind;
    } else {
      status.textContent = ack.error?.message ?? "";
      status.dataset.kind = "error";
    }
  });
}
