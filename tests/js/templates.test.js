// node --test: filling the page's <template> copies (static/js/templates.js), on a tiny fake DOM.
import assert from "node:assert/strict";
import { test } from "node:test";

import { attributePairs, descendants, fill, show, showParts } from "../../static/js/templates.js";

/** Just what templates.js uses of an element: children, attributes, textContent, remove(). */
class FakeElement {
  constructor(name, attributes = {}, ...children) {
    this.name = name;
    this.attributes = new Map(Object.entries(attributes));
    this.children = [];
    this.parent = null;
    this.text = "";
    for (const child of children) {
      if (typeof child === "string") this.text += child;
      else this.append(child);
    }
  }

  append(child) {
    child.parent = this;
    this.children.push(child);
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  removeAttribute(name) {
    this.attributes.delete(name);
  }

  remove() {
    if (!this.parent) return;
    this.parent.children = this.parent.children.filter((child) => child !== this);
    this.parent = null;
  }

  get textContent() {
    return this.text + this.children.map((child) => child.textContent).join("");
  }

  set textContent(value) {
    this.text = value;
    this.children = [];
  }
}

const el = (name, attributes, ...children) => new FakeElement(name, attributes, ...children);

/** A cell of the wall as the template writes it. */
function cell() {
  return el(
    "li",
    { class: "os-cell", "data-fill-attr": "data-topic:topic data-here:here" },
    el("p", { class: "os-cell__title", "data-fill": "title" }),
    el("p", { class: "os-cell__you", "data-show": "you" }, "You are here"),
    el(
      "form",
      { class: "os-attend", "data-show": "attend" },
      el("input", { name: "topic", "data-fill-attr": "value:topic" }),
      el("button", { "data-fill-attr": "data-key:key disabled:off" }, "I'm here"),
    ),
  );
}

test("attribute pairs read as attribute:name, a lone name fills the attribute of that name", () => {
  assert.deepEqual(attributePairs("id:heading data-key:key"), [
    ["id", "heading"],
    ["data-key", "key"],
  ]);
  assert.deepEqual(attributePairs("  value  "), [["value", "value"]]);
  assert.deepEqual(attributePairs(null), []);
});

test("descendants come depth first, in document order, without the root", () => {
  const names = descendants(cell()).map((node) => node.name);
  assert.deepEqual(names, ["p", "p", "form", "input", "button"]);
});

test("fill writes text and attributes, the root's own attributes too", () => {
  const node = fill(cell(), { topic: "t1", here: "false", title: "<b>Logement</b>", key: "wall-t1" });
  assert.equal(node.getAttribute("data-topic"), "t1");
  assert.equal(node.getAttribute("data-here"), "false");
  assert.equal(node.children[0].textContent, "<b>Logement</b>"); // text, never markup
  assert.equal(node.children[2].children[0].getAttribute("value"), "t1");
  assert.equal(node.children[2].children[1].getAttribute("data-key"), "wall-t1");
});

test("fill leaves what it is not given, removes an attribute for null or false, sets true as empty", () => {
  const node = fill(cell(), { title: "Transport", off: true });
  assert.equal(node.getAttribute("data-topic"), null);
  const button = node.children[2].children[1];
  assert.equal(button.getAttribute("disabled"), "");
  fill(node, { off: false, topic: null });
  assert.equal(button.getAttribute("disabled"), null);
  assert.equal(node.getAttribute("data-topic"), null);
  fill(node, { title: null });
  assert.equal(node.children[0].textContent, "");
});

test("show removes the parts of a name when false and keeps them when true", () => {
  const here = show(show(cell(), "you", true), "attend", false);
  assert.deepEqual(here.children.map((child) => child.getAttribute("class")), ["os-cell__title", "os-cell__you"]);
  const away = showParts(cell(), { you: false, attend: true });
  assert.deepEqual(away.children.map((child) => child.getAttribute("class")), ["os-cell__title", "os-attend"]);
});
