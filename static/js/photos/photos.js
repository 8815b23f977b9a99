// Photos of the tablecloths and flipcharts (issue 8). One module for three places, each a
// server-rendered section (templates/photos/_photos.html, templates/photos/_photo_upload.html) that works
// without JavaScript; this adds to it:
// - the phone of a table's host or a session's convener: a preview, a smaller file made on the
//   phone (the venue's network is slow), the upload's progress, and the new photo in its list
//   (a copy of the page's <template id="tpl-photo-item">, filled);
// - the board and the console: a photo opens large in a dialog (Escape, arrows); when a photo
//   comes or goes or the block changes, the strips come again from the server
//   (GET /w/CODE/photos/fragment, the partial the page includes) and are swapped in; the console
//   sends photos for any table and removes one without leaving the page.
import * as common from "../common.js";
import { byId, findAll, targetOf } from "../dom.js";
import { coalesce, fetchFragment, swapAttributes, swapRegion } from "../fragments.js";
import { clone, fill } from "../templates.js";

const { format } = common;
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

/** The phone's list item of a photo just sent (templates/photos/_photo_upload.html, phone_photo). */
function phonePhoto(photo) {
  return fill(clone("tpl-photo-item"), {
    id: photo.id,
    url: photo.url,
    thumb: photo.thumb,
    alt: altOf(photo),
    width: photo.height ? Math.round((photo.width * 120) / photo.height) : 120,
  });
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
    if (list && !list.querySelector(`[data-photo="${CSS.escape(answer.photo.id)}"]`)) list.prepend(phonePhoto(answer.photo));
    if (role === "facilitator") load();
  });
}

// --- the board's and the console's strips: the server's, swapped in

const load = coalesce(async () => {
  const view = root.dataset.role === "facilitator" ? "?view=console" : "";
  const fresh = await fetchFragment(`/w/${encodeURIComponent(root.dataset.code)}/photos/fragment${view}`);
  if (!fresh) return;
  // The section's attributes (hidden, the block), the strips, the form's choices: the file being
  // chosen, the progress and the status line stay.
  swapAttributes(root, fresh.getElementById("photos"));
  swapRegion(byId("photos-groups", HTMLElement), fresh.getElementById("photos-groups"));
  swapAttributes(document.getElementById("photo-form"), fresh.getElementById("photo-form"));
  for (const id of ["photo-table-field", "photo-round-field"]) swapRegion(document.getElementById(id), fresh.getElementById(id));
});

/** Listens on the page's own socket (board.js or facilitate.js opens and joins it): after a
 * reconnection, what happened meanwhile is read again. */
function listen(handlers) {
  common.onPageSocket((socket) => {
    let connected = socket.connected;
    socket.on("connect", () => {
      if (connected) load(); // what happened while it was away
      connected = true;
    });
    for (const [event, handler] of Object.entries(handlers)) socket.on(event, handler);
  });
}

function gallery(role) {
  viewer();
  listen({ "photo:added": load, "photo:removed": load, "block:changed": load, "round:started": load });
  if (role === "facilitator") {
    root.addEventListener("submit", async (event) => {
      const target = targetOf(event);
      if (!(target instanceof HTMLFormElement) || !target.hasAttribute("data-remove")) return;
      event.preventDefault();
      if (!window.confirm(t.confirmRemove)) return;
      const answer = await post(target.action, new FormData(target), () => {});
      if (answer.ok) load();
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

  const links = () => findAll(root, "a[data-caption]", HTMLAnchorElement);
  // A swap may have replaced the link that opened the photo: its twin has the same address.
  const current = () => (opener && document.contains(opener) ? opener : links().find((link) => link.href === opener?.href));
  const show = (link) => {
    opener = link;
    image.src = link.href;
    image.alt = link.dataset.caption || link.querySelector("img")?.alt || "";
    caption.textContent = image.alt;
  };
  const step = (by) => {
    const all = links();
    if (!all.length) return;
    const at = all.indexOf(current());
    show(all[(at + by + all.length) % all.length]);
  };

  root.addEventListener("click", (event) => {
    const link = targetOf(event).closest?.("a[data-caption]");
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
    current()?.focus();
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
