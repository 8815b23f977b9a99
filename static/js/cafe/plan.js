// The printed rotation plan follows the stored plan: when it is planned again, or a round starts
// or closes (a round held prints as it really was), the page reloads what the server stored.
import { connect, request } from "../common.js";
import { byId } from "../dom.js";

const root = byId("plan", HTMLElement);
const socket = connect();
socket.on("connect", () => {
  request(socket, "join", { code: root.dataset.code, role: "board", lang: document.documentElement.lang });
});
for (const event of ["plan:updated", "round:started", "round:closed"]) {
  socket.on(event, (payload) => {
    if (!payload?.block || String(payload.block) === root.dataset.block) window.location.reload();
  });
}
