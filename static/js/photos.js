// Photos of the tablecloths and flipcharts (issue 8). One module for three places, each a
// server-rendered section (templates/_photos.html, templates/_photo_upload.html) that works
// without JavaScript; this adds to it:
// - the phone of a table's host or a session's convener: a preview, a smaller file made on the
//   phone (the venue's network is slow), the upload's progress, and the new photo in its list;
// - the board and the console: a photo opens large in a dialog (Escape, arrows), new photos
//   arrive live (photo:added, photo:removed), the strip follows the current block; the console
//   sends photos for any table and removes one without leaving the page.
import * as common from "./common.js";
import { byId, targetOf } from "./dom.js";

const { el, format } = common;
const root = byId("photos", HTMLElement);
const t = JSON.parse(byId("photo-i18n", HTMLElement)?.textContent || "{}");
const SIDE = 1600; // the long side the server keeps: resizing here sends far fewer bytes
const QUALITY = 0.9;

// --- what a photo is called

function altOf(photo) {
  if (photo.topic) return format(t.altTopic, { title: photo.topic_title ?? "" });
  if (photo.round_number) return format(t.alt, { table: photo.table, round: photo.round_number });
  return format(t.altNoRound, { table: photo.table });
}

function thumb(photo, removable) {
  const caption = altOf(photo);
  return el(
    "li",
    { class: "photo-strip__item", "data-photo": photo.id },
    el(
      "a",
      { class: "photo-thumb", href: photo.url, "data-caption": caption },
      el("img", { src: photo.thumb, alt: caption, width: photo.width, height: photo.height, loading: "lazy", decoding: "async" }),
    ),
    removable
      ? el(
          "form",
          { class: "photo-strip__remove", method: "post", action: photo.url.replace(/\.jpg$/, "/delete") },
          el("button", { type: "submit", class: "button button--small", "aria-label": format(t.removeOne, { photo: caption }) }, t.remove),
        )
      : null,
  );
}

function megabytes(bytes) {
  const value = bytes / (1024 * 1024);
  return `${value.toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 1 })} MB`;
}

// --- sending: a smaller JPEG made here, then the form's fields, with the progress shown

/** The picture at most SIDE pixels on its long side, upright, as a JPEG; null when this browser
 * cannot decode it (the server then gets the original and says what it thinks of it). */
async function smaller(file) {
  if (!file.type.startsWith("image/") || typeof createImageBitmap !== "function") return null;
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const scale = Math.min(1, SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG lies on white paper
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close?.();
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", QUALITY));
    return blob && blob.size < file.size ? blob : null;
  } catch {
    return null;
  }
}

/** The phone's own token (participant.js keeps it per workshop): the photo is the host's even
 * when this browser's cookie never posted a form. */
function phoneToken(code) {
  try {
    const stored = window.localStorage.getItem(`workshop:${code}:token`);
    return stored ? JSON.parse(stored) : null;
  } catch {
    return null;
  }
}

function post(url, body, progress) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(Math.round((event.loaded / event.total) * 100));
    });
    xhr.addEventListener("load", () => {
      const answer = xhr.response && typeof xhr.response === "object" ? xhr.response : null;
      resolve(answer ?? { ok: false, error: { code: "http", message: t.failed } });
    });
    xhr.addEventListener("error", () => resolve({ ok: false, error: { code: "network", message: t.failed } }));
    xhr.addEventListener("timeout", () => resolve({ ok: false, error: { code: "timeout", message: t.failed } }));
    xhr.timeout = 120000;
    xhr.send(body);
  });
}

/** An upload form and what belongs to it, found inside its section (a phone may hold two). */
function uploads(section, form, role) {
  const file = form.querySelector("input[type=file]");
  const preview = form.querySelector(".photo-upload__preview");
  const progress = form.querySelector("progress");
  const status = form.querySelector("[role=status]");
  const send = form.querySelector("button[type=submit]");
  const list = section.querySelector(".photo-strip--phone");
  const say = (text, kind = "") => {
    status.textContent = text;
    status.dataset.kind = kind;
  };
  let shown = null;

  file.addEventListener("change", () => {
    if (shown) URL.revokeObjectURL(shown);
    shown = null;
    const chosen = file.files?.[0];
    if (preview) {
      preview.hidden = !chosen;
      if (chosen) {
        shown = URL.createObjectURL(chosen);
        preview.src = shown;
      } else {
        preview.removeAttribute("src");
      }
    }
    say(chosen ? format(t.chosen, { size: megabytes(chosen.size) }) : "");
  });

  form.addEventListener("submit", async (event) => {
    const chosen = file.files?.[0];
    if (!chosen) return; // the browser says the field is required
    event.preventDefault();
    send.disabled = true;
    say(t.preparing);
    const body = new FormData(form);
    const small = await smaller(chosen);
    if (small) body.set("photo", small, "photo.jpg");
    if (role === "host") {
      // participant.js keeps this field on the table the phone sits at (and hosts).
      const table = byId("host-table", HTMLInputElement)?.value;
      if (table) body.set("table", table);
    }
    if (role === "host" || role === "convener") {
      const token = phoneToken(section.dataset.code);
      if (token) body.set("participant", token);
    }
    progress.hidden = false;
    progress.value = 0;
    say(t.sending);
    const answer = await post(form.action, body, (percent) => (progress.value = percent));
    progress.hidden = true;
    send.disabled = false;
    if (!answer.ok) {
      say(answer.error?.message || t.failed, "error");
      return;
    }
    say(t.sent, "ok");
    form.reset();
    if (preview) {
      preview.hidden = true;
      preview.removeAttribute("src");
    }
    if (shown) URL.revokeObjectURL(shown);
    shown = null;
    if (list && !list.querySelector(`[data-photo="${CSS.escape(answer.photo.id)}"]`)) {
      const item = thumb(answer.photo, false);
      item.querySelector("a").target = "_blank";
      list.prepend(item);
    }
    if (role === "facilitator") placePhoto(answer.photo);
  });
}

// --- the board's and the console's strips

let currentBlock = null;
let removable = false;

function groupsBox() {
  return byId("photos-groups", HTMLElement);
}

function stripFor(photo) {
  const box = groupsBox();
  const key = photo.topic ? `[data-topic="${CSS.escape(photo.topic)}"]` : `[data-table="${CSS.escape(String(photo.table))}"]`;
  let group = box.querySelector(`.photos__group${key}`);
  if (!group) {
    const title = photo.topic ? photo.topic_title ?? "" : format(t.table, { number: photo.table });
    group = el(
      "section",
      { class: "photos__group", "data-topic": photo.topic ?? null, "data-table": photo.topic ? null : photo.table, "aria-label": title },
      el("h3", { class: "photos__group-title" }, title),
      el("ul", { class: "photo-strip" }),
    );
    box.append(group);
  }
  return group.querySelector(".photo-strip");
}

function refreshVisibility() {
  const any = Boolean(groupsBox().querySelector(".photo-strip__item"));
  const uploading = byId("photo-form", HTMLFormElement);
  root.hidden = !any && !(uploading && !uploading.hidden);
}

function placePhoto(photo) {
  if (!photo || String(photo.block) !== String(currentBlock)) return;
  if (root.querySelector(`[data-photo="${CSS.escape(photo.id)}"]`)) return;
  stripFor(photo).prepend(thumb(photo, removable));
  refreshVisibility();
}

function dropPhoto(id) {
  root.querySelector(`.photo-strip__item[data-photo="${CSS.escape(String(id))}"]`)?.remove();
  refreshVisibility();
}

/** The strips again from the server: after a reconnection (events may have been missed) and
 * when the block changes. */
async function reload() {
  let data;
  try {
    const response = await fetch(`/w/${encodeURIComponent(root.dataset.code)}/photos.json`, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    data = await response.json();
  } catch {
    return;
  }
  currentBlock = data.block;
  root.dataset.block = data.block ?? "";
  const box = groupsBox();
  box.replaceChildren(
    ...data.tables.map((table) =>
      el(
        "section",
        { class: "photos__group", "data-table": table.number, "aria-label": format(t.table, { number: table.number }) },
        el("h3", { class: "photos__group-title" }, format(t.table, { number: table.number })),
        el("ul", { class: "photo-strip" }),
      ),
    ),
  );
  for (const photo of data.photos) placePhoto(photo);
  const uploading = byId("photo-form", HTMLFormElement);
  if (uploading) {
    uploading.hidden = data.tables.length === 0;
    const tables = /** @type {HTMLSelectElement} */ (document.getElementById("photo-table"));
    const chosen = tables.value;
    tables.replaceChildren(...data.tables.map((table) => el("option", { value: table.number }, format(t.table, { number: table.number }))));
    if (data.tables.some((table) => String(table.number) === chosen)) tables.value = chosen;
    const rounds = byId("photo-round", HTMLSelectElement);
    const round = rounds.value;
    rounds.replaceChildren(
      el("option", { value: "" }, t.currentRound),
      ...data.rounds.filter((r) => r.status !== "pending").map((r) => el("option", { value: r.id }, r.title || format(t.round, { number: r.number }))),
    );
    if (Array.from(rounds.options).some((option) => option.value === round)) rounds.value = round;
  }
  refreshVisibility();
}

/** Listens on the page's own socket (board.js or facilitate.js opens and joins it): after a
 * reconnection, what happened meanwhile is read again. */
function listen(handlers) {
  common.onPageSocket((socket) => {
    let connected = socket.connected;
    socket.on("connect", () => {
      if (connected) reload();
      connected = true;
    });
    for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler);
  });
}

function gallery(role) {
  currentBlock = root.dataset.block || null;
  removable = role === "facilitator";
  viewer();
  listen({
    "photo:added": (payload) => placePhoto(payload?.photo),
    "photo:removed": (payload) => dropPhoto(payload?.photo),
    "block:changed": () => reload(),
    "round:started": () => role === "facilitator" && reload(),
  });
  if (removable) {
    root.addEventListener("submit", async (event) => {
      const target = targetOf(event);
      if (!(target instanceof HTMLFormElement) || !target.classList.contains("photo-strip__remove")) return;
      event.preventDefault();
      if (!window.confirm(t.confirmRemove)) return;
      const answer = await post(target.action, new FormData(target), () => {});
      const id = target.closest("[data-photo]")?.dataset.photo;
      if (answer.ok && id) dropPhoto(id);
    });
  }
}

// --- one photo, large

function viewer() {
  const dialog = byId("photo-viewer", HTMLDialogElement);
  if (!dialog || typeof dialog.showModal !== "function") return; // the links open the photos
  const image = byId("photo-viewer-image", HTMLImageElement);
  const caption = byId("photo-viewer-caption", HTMLElement);
  let opener = null;

  const links = () => Array.from(root.querySelectorAll(".photo-thumb"));
  const show = (link) => {
    opener = link;
    image.src = link.href;
    image.alt = link.dataset.caption || link.querySelector("img")?.alt || "";
    caption.textContent = image.alt;
  };
  const step = (by) => {
    const all = links();
    if (!all.length) return;
    const at = all.indexOf(opener);
    show(all[(at + by + all.length) % all.length]);
  };

  root.addEventListener("click", (event) => {
    const link = targetOf(event).closest?.(".photo-thumb");
    if (!link || !root.contains(link) || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    show(link);
    if (!dialog.open) dialog.showModal();
  });
  dialog.addEventListener("click", (event) => {
    const by = targetOf(event).closest?.("[data-step]")?.dataset.step;
    if (by) step(Number(by));
    else if (targetOf(event) === dialog) dialog.close(); // a click on the backdrop
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "ArrowRight") step(1);
    else if (event.key === "ArrowLeft") step(-1);
  });
  dialog.addEventListener("close", () => {
    image.removeAttribute("src");
    if (opener && document.contains(opener)) opener.focus();
  });
}

// --- start

if (root && (root.dataset.role === "board" || root.dataset.role === "facilitator")) {
  const form = byId("photo-form", HTMLFormElement);
  if (form) uploads(root, form, root.dataset.role);
  gallery(root.dataset.role);
}
// The phone: the host's tablecloth, the convener's flipchart.
for (const section of document.querySelectorAll(".photo-upload")) {
  const form = section.querySelector("form");
  if (form) uploads(section, form, section.dataset.role);
}
