// Installable, offline diary (progressive enhancement: every page works without this file).
// Registers the service worker, queues diary entries saved offline (js/pwa-queue.js), sends
// them when the app opens, when the connection returns and on "Send now", shows what waits and
// what was sent (js/pwa-panel.js), and asks before signing out discards what was not sent.
// Words come from the server (the body's data-pwa attribute, in the viewer's language).
// See docs/offline.md.
import { apiBody, apiSubmission, entryOf, newId, otherSummary, restore, versionOf } from "./pwa-form.js";
import { $, announce, config, fill, fromTemplate, lang, lastSaid, render, user, whenSendAsked, words } from "./pwa-panel.js";
import * as queue from "./pwa-queue.js";

function deviceDay() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

let token = "";

// A request that gets no answer in time fails like one without a network (poor signal hangs).
const ANSWER_WITHIN_MS = 15000;

function fetchInTime(url, init) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ANSWER_WITHIN_MS);
  return fetch(url, { ...init, signal: controller.signal }).finally(() => clearTimeout(timer));
}

function csrfToken() {
  const input = document.querySelector('input[name="csrf_token"]');
  return token || (input ? input.value : "");
}

// A page opened from the phone's cache carries an old CSRF token: ask Heed for this session's.
async function freshToken() {
  try {
    const response = await fetchInTime(config.offline, { credentials: "same-origin", headers: { Accept: "text/html" } });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const input = page.querySelector('input[name="csrf_token"]');
    token = input ? input.value : "";
  } catch (error) {
    token = "";
  }
}

// ---- the service worker -------------------------------------------------------------------

async function startWorker() {
  if (!("serviceWorker" in navigator) || !config.worker) return;
  try {
    await navigator.serviceWorker.register(config.worker, { scope: "/" });
    const registration = await navigator.serviceWorker.ready;
    if (config.offline_page) return; // shown for lack of a connection: says nothing of who is here
    let force = false;
    try {
      force = sessionStorage.getItem("heed-reprime") === "1";
      sessionStorage.removeItem("heed-reprime");
    } catch (error) {
      force = false;
    }
    registration.active.postMessage({
      type: "hello",
      user,
      prime: navigator.onLine ? config.prime : [],
      day: force ? `${deviceDay()}:${Date.now()}` : deviceDay(),
      locale: lang,
    });
  } catch (error) {
    // No service worker (private mode, old browser): the site still works online.
  }
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "sync") sync({ quiet: true });
  });
}

async function forgetPages() {
  if ("caches" in window) {
    const keys = await caches.keys();
    await Promise.all(keys.filter((key) => key === "heed-pages").map((key) => caches.delete(key)));
  }
}

function wakeSync() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.ready
      .then((registration) => registration.sync && registration.sync.register("heed-diary"))
      .catch(() => undefined);
  }
}

async function showQueued(message) {
  announce(message);
  wakeSync();
  await render();
  const panel = $("offline-queue");
  if (panel) panel.scrollIntoView({ block: "start" });
}

async function saveOffline(form) {
  const item = entryOf(form, { id: newId(), user, today: deviceDay() }); // made at Save
  if (!item) return false;
  await queue.add(item);
  const submission = form.querySelector('input[name="submission_id"]');
  if (submission) submission.value = newId(); // a later save is a new submission
  prepare(form).catch(() => delete form.dataset.key);
  await showQueued(words.saved);
  return true;
}

// ---- saving online: kept on this phone until Heed answers ---------------------------------
//
// Online, the form posts to Heed as it always did, and Heed's answer (whatever it is) shows as
// before. As it leaves, the entry is kept here as "sending", under a key whose API submission
// id (the Idempotency-Key scoped to the person, as app/api/diary.py makes it) is the
// submission id the form posts. The service worker passes the post on; when Heed does not
// answer (no network, or nothing within its time limit) it marks the entry "waiting" and
// answers with the kept form, which shows it queued. If the post did arrive after all, sending
// the entry later repeats the same submission and writes nothing. docs/offline.md.

const POSTING = "heed-posting";
const STALE_SENDING_MS = 120000;

// Only where the worker controls the page (it is what notices that Heed did not answer).
function guarded() {
  return Boolean(
    user &&
      config.api &&
      config.key_namespace &&
      window.crypto &&
      window.crypto.subtle &&
      window.TextEncoder &&
      "serviceWorker" in navigator &&
      navigator.serviceWorker.controller,
  );
}

// Every diary form gets its key when the page opens (the id is made asynchronously, and Save
// must not wait: the post stays the browser's own, as it always was).
async function prepare(form) {
  delete form.dataset.key;
  if (!form.querySelector('input[name="submission_id"]') || !guarded()) return;
  const key = newId();
  form.dataset.submission = await apiSubmission(key, { user, namespace: config.key_namespace });
  form.dataset.key = key;
}

function keepWhilePosting(form) {
  const input = form.querySelector('input[name="submission_id"]');
  const key = form.dataset.key;
  const item = key && input ? entryOf(form, { id: key, user, today: deviceDay() }) : null;
  if (!item) return;
  try {
    sessionStorage.setItem(POSTING, item.id);
  } catch (error) {
    return; // nowhere to remember it: the form posts as it always did
  }
  input.value = form.dataset.submission; // still in the submit event: this is what is posted
  const page = location.pathname + location.search; // the kept form the worker answers with
  queue
    .add({ ...item, submission: input.value, page }, { state: "sending", inheritBase: false })
    .catch(() => undefined);
}

function showSending(form) {
  form.dataset.posting = "1";
  form.setAttribute("aria-busy", "true");
  form.querySelectorAll('button[type="submit"]').forEach((node) => {
    node.dataset.label = node.textContent;
    node.textContent = words.posting || node.textContent;
    node.disabled = true;
  });
  const live = $("offline-live");
  if (live && words.posting) live.textContent = words.posting;
}

function doneSending(form) {
  delete form.dataset.posting;
  form.removeAttribute("aria-busy");
  form.querySelectorAll('button[type="submit"]').forEach((node) => {
    if (node.dataset.label) node.textContent = node.dataset.label;
    node.disabled = false;
  });
}

function watchDiaryForms() {
  document.querySelectorAll("form[data-offline-form]").forEach((form) => {
    prepare(form).catch(() => delete form.dataset.key);
    form.addEventListener("submit", (event) => {
      if (form.dataset.posting || !navigator.onLine) event.preventDefault();
      if (form.dataset.posting) return; // one tap, one submission
      if (!navigator.onLine) {
        saveOffline(form);
        return;
      }
      try {
        sessionStorage.setItem("heed-reprime", "1"); // keep the fresh form for offline use
      } catch (error) {
        /* private mode */
      }
      keepWhilePosting(form);
      showSending(form); // and the browser posts the form, as it always did
    });
  });
  // Back to a page the browser kept while it was sending: it can be used again.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) document.querySelectorAll("form[data-offline-form]").forEach(doneSending);
  });
}

// After a post: this page is Heed's answer (the entry is Heed's now, or Heed says why not, as
// before), or the worker's (Heed did not answer: the entry waits here).
async function settlePosting() {
  let key = null;
  try {
    key = sessionStorage.getItem(POSTING);
    sessionStorage.removeItem(POSTING);
  } catch (error) {
    key = null;
  }
  const item = key ? await queue.get(user, key) : null;
  if (item && item.state === "sending") await queue.discard(user, item.id);
  await queue.adoptStale(user, STALE_SENDING_MS);
  if (!item || item.state !== "waiting") return false;
  const form = Array.from(document.querySelectorAll("form[data-offline-form]")).find((f) => f.action === item.action);
  if (form && item.fields) restore(form, item.fields);
  await showQueued(words.unreachable);
  return true;
}

// ---- sending ------------------------------------------------------------------------------

let sending = false;

async function send(item) {
  if (!config.api) return item; // no API on this server: stays waiting (docs/offline.md)
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/problem+json, application/json",
    "X-CSRFToken": csrfToken(),
    "Idempotency-Key": item.id,
  };
  if (item.base) headers["If-Match"] = `"${item.base}"`;
  const url = config.api.replace("{patient}", item.patient).replace("{day}", item.day);
  const response = await fetchInTime(url, {
    method: "PUT",
    credentials: "same-origin",
    headers,
    body: JSON.stringify(apiBody(item)),
  });
  if (response.ok) return queue.update(item, { state: "sent", sentAt: new Date().toISOString() });
  const problem = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    // Signed out, or the session behind the page's CSRF token ended: sign in to send.
    return queue.update(item, { state: "signin" });
  }
  if (response.status === 412 || response.status === 428) {
    const current = problem.current || null;
    return queue.update(item, {
      state: "conflict",
      other: otherSummary(item, current),
      current: current ? versionOf(current, response) : "",
    });
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    const errors = (problem.errors || []).map((e) => e.detail || String(e));
    return queue.update(item, { state: "refused", errors: errors.length ? errors : [problem.title || String(response.status)] });
  }
  return item; // a server error or too many requests: stays waiting
}

// Quietly (woken by the worker, or trying again): says only that everything went, or that
// signing in is needed; "Send now", the app opening and the connection returning say more.
export async function sync({ quiet = false } = {}) {
  if (sending || !user || !navigator.onLine) return;
  sending = true;
  let left = [];
  try {
    const items = (await queue.unsentFor(user)).filter((item) => item.state === "waiting" || item.state === "signin");
    if (!items.length) return;
    if (!quiet) announce(words.sending);
    await freshToken();
    let trouble = false;
    for (const item of items) {
      let result;
      try {
        result = await send({ ...item, state: "waiting" });
      } catch (error) {
        result = item;
      }
      if (result.state !== "sent") trouble = true;
      if (result.state === "signin") break;
    }
    left = await queue.unsentFor(user);
    const signin = left.some((i) => i.state === "signin");
    if (!left.length) announce(words.all_sent);
    else if (signin) announce(words.signin);
    else if (!quiet) announce(trouble ? words.not_sent : "");
  } finally {
    sending = false;
    await render();
    if (left.some((item) => item.state === "waiting")) retryLater();
  }
}

// Heed did not answer while the phone says it is online (poor signal): try again in a while.
const RETRY_MS = 60000;
let retry = null;

function retryLater() {
  if (retry) return;
  retry = setTimeout(() => {
    retry = null;
    sync({ quiet: true });
  }, RETRY_MS);
}

// ---- signing out --------------------------------------------------------------------------

function guardSignOut() {
  document.querySelectorAll("form[data-signout]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const unsent = user ? await queue.unsentFor(user) : [];
      const dialog = unsent.length ? fromTemplate("signout-dialog", (_, copy) => document.body.append(copy)) : null;
      const leave = async () => {
        if (user) await queue.discardUnsent(user);
        if (user) await Promise.all((await queue.allFor(user)).map((item) => queue.discard(user, item.id)));
        await forgetPages();
        form.submit();
      };
      if (!unsent.length || !dialog) {
        await leave();
        return;
      }
      $("signout-count").textContent = fill(words.unsent_count, { n: unsent.length.toLocaleString(lang) });
      dialog.querySelector("[data-signout-stay]").onclick = () => {
        dialog.close();
        sync();
      };
      dialog.querySelector("[data-signout-discard]").onclick = () => {
        dialog.close();
        leave();
      };
      dialog.showModal();
    });
  });
}

// ---- start --------------------------------------------------------------------------------

whenSendAsked(sync);
watchDiaryForms();
guardSignOut();
startWorker();
if (user) {
  queue
    .prune(user)
    .then(() => settlePosting().catch(() => false))
    .then(async (handedBack) => {
      await render();
      // Handed back: Heed just did not answer, so the entry waits a while (saying so) first.
      if (handedBack) retryLater();
      else await sync();
    })
    .catch(() => undefined);
  window.addEventListener("online", () => {
    if (lastSaid() === words.offline) announce("");
    render().then(sync);
  });
  window.addEventListener("offline", () => {
    announce(words.offline);
    render();
  });
}
