// What the page scripts use that the DOM library of TypeScript does not declare (for tsc --checkJs;
// never served).

// Every element the pages hold (HTML, SVG) carries data-* attributes; `closest()` and
// `querySelector()` answer a plain Element.
interface Element {
  readonly dataset: DOMStringMap;
}

interface Window {
  /** The Socket.IO client, served from node_modules (templates/_macros.html). */
  io?: (options?: object) => import("./shapes.js").Socket;
  /** Safari before 14.1. */
  webkitAudioContext?: typeof AudioContext;
}
