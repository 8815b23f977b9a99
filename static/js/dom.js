// Typed ways to reach the page's elements, for `tsc --checkJs`: what a script expects an element
// to be is written once, where it is looked up, and a page that does not match gets null.

/**
 * The element of this id when it is of the expected kind, else null.
 * @template {Element} T
 * @param {string} id
 * @param {new (...args: any[]) => T} kind e.g. HTMLInputElement
 * @param {ParentNode & { getElementById?: (id: string) => HTMLElement | null }} [root]
 * @returns {T | null}
 */
export function byId(id, kind, root = document) {
  const node = root.getElementById ? root.getElementById(id) : root.querySelector(`#${CSS.escape(id)}`);
  return node instanceof kind ? node : null;
}

/**
 * The first element matching the selector when it is of the expected kind, else null.
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} selector
 * @param {new (...args: any[]) => T} kind
 * @returns {T | null}
 */
export function find(root, selector, kind) {
  const node = root.querySelector(selector);
  return node instanceof kind ? node : null;
}

/**
 * Every element matching the selector that is of the expected kind.
 * @template {Element} T
 * @param {ParentNode} root
 * @param {string} selector
 * @param {new (...args: any[]) => T} kind
 * @returns {T[]}
 */
export function findAll(root, selector, kind) {
  return [...root.querySelectorAll(selector)].filter(/** @returns {node is T} */ (node) => node instanceof kind);
}

/**
 * The element an event listened for on the page's elements came from (clicks, keys, inputs and
 * submits: an element, the form for a submit).
 * @template {Element} [T=HTMLElement]
 * @param {Event} event
 * @returns {T}
 */
export function targetOf(event) {
  return /** @type {T} */ (/** @type {unknown} */ (event.target));
}

/**
 * A form's field by name, as the input, select or text area it is (undefined when absent).
 * @param {HTMLFormElement} form
 * @param {string} name
 * @returns {HTMLInputElement}
 */
export function control(form, name) {
  return /** @type {HTMLInputElement} */ (form.elements.namedItem(name) ?? undefined);
}
