// The offline diary's panel (js/pwa.js puts it in place): what waits on this phone, what was
// sent, and the live region that says so. Words come from the server (the body's data-pwa
// attribute, in the viewer's language). See docs/offline.md.
import * as queue from "./pwa-queue.js";

export const config = document.body.dataset.pwa ? JSON.parse(document.body.dataset.pwa) : {};
export const words = config.strings || {};
export const user = config.user || null;
export const lang = document.documentElement.lang || undefined;
export const $ = (id) => document.getElementById(id);

export function fill(text, values) {
  return Object.entries(values || {}).reduce((out, [key, value]) => out.replace(`%(${key})s`, value), text || "");
}

function dayLabel(day) {
  try {
    const format = new Intl.DateTimeFormat(lang, { weekday: "long", day: "numeric", month: "long", timeZone: "UTC" });
    return format.format(new Date(`${day}T00:00:00Z`));
  } catch (error) {
    return day;
  }
}

function momentLabel(iso) {
  try {
    return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  } catch (error) {
    return iso;
  }
}

// "Send now" and "Keep mine" send what waits (js/pwa.js hands in its sync).
let sendAll = async () => undefined;

export function whenSendAsked(callback) {
  sendAll = callback;
}

let said = "";

/** What the live region last said ("" when nothing). */
export function lastSaid() {
  return said;
}

// The live region is always in the page (so it is announced); the panel repeats it visibly.
export function announce(message) {
  if (message === undefined) return;
  said = message;
  const live = $("offline-live");
  if (live) live.textContent = message;
  const status = $("offline-status");
  if (status) status.textContent = message;
}

export function fromTemplate(id, place) {
  const template = $(`${id}-template`);
  if (!$(id) && template) place(template, template.content.cloneNode(true));
  return $(id);
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.entries(attributes || {}).forEach(([key, value]) => node.setAttribute(key, value));
  children.flat(Infinity).forEach((child) => child !== null && node.append(child));
  return node;
}

function answers(lines) {
  if (!lines || !lines.length) return element("p", { class: "small" }, words.empty_answers);
  return element(
    "dl",
    { class: "offline-answers" },
    lines.map((line) => [element("dt", { dir: "auto" }, line.label), element("dd", { dir: "auto" }, line.text)]),
  );
}

function button(label, className, onClick) {
  const node = element("button", { type: "button", class: `button ${className}` }, label);
  node.addEventListener("click", onClick);
  return node;
}

function waitingItem(item) {
  const title = element("p", { class: "offline-title" }, element("strong", {}, dayLabel(item.day)), ` · ${words[item.mode] || ""}`);
  const li = element("li", { class: `offline-item offline-${item.state}` }, title);
  if (item.state === "waiting") li.append(element("p", { class: "small" }, words.waiting));
  if (item.state === "signin") {
    li.append(element("p", { class: "flash flash-warning" }, words.signin, " ", element("a", { href: config.login }, words.sign_in)));
  }
  if (item.state === "refused") {
    li.append(element("p", { class: "error" }, words.refused), element("ul", {}, (item.errors || []).map((e) => element("li", {}, e))));
    li.append(element("p", {}, element("a", { href: item.action }, words.open_day)));
  }
  if (item.state === "conflict") {
    li.append(element("p", { class: "flash flash-warning", role: "alert" }, words.conflict));
    const both = element(
      "div",
      { class: "offline-versions" },
      element("section", {}, element("h3", {}, words.this_phone), answers(item.summary)),
      element("section", {}, element("h3", {}, words.elsewhere), answers(item.other)),
    );
    li.append(both);
    li.append(
      element(
        "div",
        { class: "actions" },
        button(words.keep_mine, "primary", async () => {
          const next = await queue.update(item, { state: "waiting", base: item.current || "" });
          await render();
          await sendAll();
          return next;
        }),
        button(words.keep_other, "", async () => {
          await queue.update(item, { state: "kept", sentAt: new Date().toISOString() });
          announce(words.kept_other);
          await render();
        }),
      ),
    );
  } else if (item.state !== "waiting") {
    li.append(
      element(
        "div",
        { class: "actions" },
        button(words.discard, "danger", async () => {
          await queue.discard(user, item.id);
          await render();
        }),
      ),
    );
  }
  li.append(element("details", { class: "offline-mine" }, element("summary", {}, words.this_phone), answers(item.summary)));
  return li;
}

function sentItem(item) {
  const what = item.state === "kept" ? words.kept_other : fill(words.sent_at, { date: momentLabel(item.sentAt) });
  return element("li", { class: "offline-item" }, element("strong", {}, dayLabel(item.day)), ` · ${words[item.mode] || ""} · ${what}`);
}

export async function render() {
  if (!user || !$("offline-queue-template")) return;
  const items = await queue.allFor(user);
  const unsent = items.filter((item) => queue.UNSENT.has(item.state));
  const sent = items.filter((item) => queue.SENT.has(item.state)).reverse();
  const others = await queue.othersExist(user);
  if (!navigator.onLine && !unsent.length && !said) announce(words.offline);
  const show = unsent.length > 0 || others || (config.history && sent.length > 0) || Boolean(said);
  if (!show && !$("offline-queue")) return;
  const panel = fromTemplate("offline-queue", (template, copy) => template.after(copy));
  $("offline-status").textContent = said;
  $("offline-send").onclick = () => sendAll();
  $("offline-waiting").replaceChildren(...unsent.map(waitingItem));
  $("offline-send").hidden = !unsent.some((item) => item.state === "waiting" || item.state === "signin");
  $("offline-sent-list").replaceChildren(...sent.map(sentItem));
  $("offline-sent").hidden = !sent.length;
  $("offline-others").hidden = !others;
  $("offline-others").textContent = others ? words.others : "";
  panel.hidden = !show;
}
