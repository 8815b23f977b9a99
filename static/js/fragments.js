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

/** `live` takes `fresh`'s attributes and children only when they differ: a live region that did not
 * change is not read again. */
export function swapChanged(live, fresh) {
  if (!live || !fresh || live.isEqualNode(fresh)) return;
  swapRegion(live, fresh);
}

/** Alike but for what a script marks on its own (hidden, classes, style): the same data-* and content. */
function sameItem(live, fresh) {
  if (live.innerHTML !== fresh.innerHTML) return false;
  const data = (node) => node.getAttributeNames().filter((name) => name.startsWith("data-"));
  const names = data(fresh);
  return names.length === data(live).length && names.every((name) => live.getAttribute(name) === fresh.getAttribute(name));
}

/**
 * Brings the children of `live` to those of `fresh` (its twin from a fetched fragment), matched by
 * their `data-KEY`: an unchanged child stays as it is (a live region then reads only what is new), a
 * changed one is replaced, a new one brought in, a gone one removed, all in `fresh`'s order. The
 * children without the key (a line the script fills) stay after them.
 * @param {Element} live
 * @param {Element} fresh
 * @param {string} key e.g. "note" for data-note
 * @returns {HTMLElement[]} the children that were not there before
 */
export function mergeChildren(live, fresh, key) {
  const name = `data-${key}`;
  const before = new Map();
  for (const child of Array.from(live.children)) if (child.hasAttribute(name)) before.set(child.getAttribute(name), child);
  const wanted = [];
  const added = [];
  for (const child of Array.from(fresh.children)) {
    if (!child.hasAttribute(name)) continue;
    const id = child.getAttribute(name);
    const old = before.get(id);
    before.delete(id);
    if (old && sameItem(old, child)) {
      wanted.push(old);
      continue;
    }
    const node = /** @type {HTMLElement} */ (document.importNode(child, true));
    if (old) old.replaceWith(node);
    else added.push(node);
    wanted.push(node);
  }
  for (const gone of before.values()) gone.remove();
  let cursor = live.firstElementChild;
  for (const node of wanted) {
    if (node === cursor) cursor = cursor.nextElementSibling;
    else live.insertBefore(node, cursor);
  }
  return added;
}

/**
 * Calls `load` once after a burst of changes, never two at once; a change during a load loads
 * again. `delay`: the quiet that ends a burst; `most`: how long a burst that does not end waits at
 * most (a board under a stream of notes still updates).
 */
export function coalesce(load, delay = 80, most = Infinity) {
  let timer = null;
  let first = null; // when the changes not yet loaded began
  let running = false;
  let again = false;
  const run = async () => {
    first = null;
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
    const now = Date.now();
    first ??= now;
    clearTimeout(timer);
    timer = setTimeout(run, Math.max(0, Math.min(delay, first + most - now)));
  };
}
