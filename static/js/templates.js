// The page's <template> elements, cloned and filled: the markup and its strings are written once,
// in Jinja (templates/openspace/_openspace_phone_items.html says how a template marks what is filled).
// Values only ever become text nodes or attribute values, never HTML.

/** @typedef {string | number | boolean | null | undefined} Value */

/**
 * The elements under `root` (not `root` itself), depth first, in document order.
 * @param {ParentNode} root
 * @returns {Element[]}
 */
export function descendants(root) {
  /** @type {Element[]} */
  const found = [];
  const walk = (/** @type {ParentNode} */ node) => {
    for (const child of Array.from(node.children)) {
      found.push(child);
      walk(child);
    }
  };
  walk(root);
  return found;
}

/**
 * "id:heading data-key:key" -> [["id", "heading"], ["data-key", "key"]].
 * @param {string | null} spec
 * @returns {[string, string][]}
 */
export function attributePairs(spec) {
  return (spec ?? "")
    .split(/\s+/)
    .filter(Boolean)
    .map((pair) => {
      const at = pair.indexOf(":");
      return /** @type {[string, string]} */ (at > 0 ? [pair.slice(0, at), pair.slice(at + 1)] : [pair, pair]);
    });
}

/**
 * A copy of the page's `<template id="…">` content (every top-level node).
 * @param {string} id
 * @returns {DocumentFragment}
 */
export function cloneParts(id) {
  const template = document.getElementById(id);
  if (!(template instanceof HTMLTemplateElement)) throw new Error(`the page has no <template id="${id}">`);
  return /** @type {DocumentFragment} */ (template.content.cloneNode(true));
}

/**
 * A copy of the element a `<template id="…">` holds.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function clone(id) {
  const element = cloneParts(id).firstElementChild;
  if (!(element instanceof HTMLElement)) throw new Error(`<template id="${id}"> holds no element`);
  return element;
}

/**
 * Fills `[data-fill="name"]` with the value as text, and the attributes `[data-fill-attr]` names
 * ("attr:name"): null, undefined or false remove the attribute, true sets it empty. Names absent
 * from `values` are left as the template wrote them.
 * @template {Element | DocumentFragment} N
 * @param {N} node
 * @param {Object<string, Value>} values
 * @returns {N}
 */
export function fill(node, values) {
  const has = (/** @type {string} */ name) => Object.prototype.hasOwnProperty.call(values, name);
  const elements = "getAttribute" in node ? [/** @type {Element} */ (node), ...descendants(node)] : descendants(node);
  for (const element of elements) {
    const name = element.getAttribute("data-fill");
    if (name && has(name)) element.textContent = String(values[name] ?? "");
    for (const [attribute, key] of attributePairs(element.getAttribute("data-fill-attr"))) {
      if (!has(key)) continue;
      const value = values[key];
      if (value === null || value === undefined || value === false) element.removeAttribute(attribute);
      else element.setAttribute(attribute, value === true ? "" : String(value));
    }
  }
  return node;
}

/**
 * Keeps the parts marked `data-show="name"` when `shown`, else removes them (a template holds every
 * alternative; what is left is what the server would have rendered).
 * @template {Element | DocumentFragment} N
 * @param {N} node
 * @param {string} name
 * @param {boolean} shown
 * @returns {N}
 */
export function show(node, name, shown) {
  if (shown) return node;
  for (const element of descendants(node)) {
    if (element.getAttribute("data-show") === name) element.remove();
  }
  return node;
}

/**
 * `show` for several names at once: {you: true, attend: false}.
 * @template {Element | DocumentFragment} N
 * @param {N} node
 * @param {Object<string, boolean>} parts
 * @returns {N}
 */
export function showParts(node, parts) {
  for (const [name, shown] of Object.entries(parts)) show(node, name, shown);
  return node;
}
