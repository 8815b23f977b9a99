// Server-rendered fragments: a page whose view the server renders (a Jinja partial) fetches the
// partial again on a live change and swaps its regions in, keeping what the person was doing
// (focus, caret, an open menu, a value being typed: preserve() of openspace.js).
import { preserve } from "./openspace.js";

/** The partial at `url` as a document, or null when the server cannot be reached or refuses. */
export async function fetchFragment(url) {
  try {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } });
    if (!response.ok) return null;
    return new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    return null; // offline: the next change or reconnection fetches again
  }
}

/** `live` takes the attributes and children of `fresh` (its twin from a fetched fragment). */
export function swapRegion(live, fresh) {
  if (!live || !fresh) return;
  preserve(live, () => {
    swapAttributes(live, fresh);
    live.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
  });
}

/** Only the attributes (a form whose fields the person is filling keeps its children). */
export function swapAttributes(live, fresh) {
  if (!live || !fresh) return;
  for (const name of live.getAttributeNames()) if (!fresh.hasAttribute(name)) live.removeAttribute(name);
  for (const name of fresh.getAttributeNames()) live.setAttribute(name, fresh.getAttribute(name));
}

/** Calls `load` once after a burst of changes, never two at once; a change during a load loads again. */
export function coalesce(load, delay = 80) {
  let timer = null;
  let running = false;
  let again = false;
  const run = async () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await load();
    } finally {
      running = false;
      if (again) {
        again = false;
        run();
      }
    }
  };
  return () => {
    clearTimeout(timer);
    timer = setTimeout(run, delay);
  };
}
