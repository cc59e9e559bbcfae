// Heed's service worker (served at /sw.js with `const HEED = {...}` prepended by app/pwa/views.py).
//
// What it keeps, and nothing else:
// - static files (stylesheet, icons, scripts) in "heed-static-<version>";
// - the offline page (no one's data) in "heed-offline";
// - the signed-in patient's own diary forms, in "heed-pages": only
//   responses the server marked with X-Heed-Offline (app/pwa/__init__.py), only for the account
//   the page says is signed in. Another account, or none, empties it; so does signing out.
// Diary entries saved offline are not kept here: they wait in IndexedDB (js/pwa-queue.js).
// A diary form posted online whose entry the page kept as "sending" gets HEED.post_timeout ms
// to be answered; with no answer (no network, or a hang) the worker marks that entry "waiting"
// and answers with the kept form, which shows it queued. Any answer from Heed passes as is, and
// the worker never posts or sends anything itself.
/* global HEED */
const STATIC_CACHE = `heed-static-${HEED.version}`;
const PAGES_CACHE = "heed-pages";
const OFFLINE_CACHE = "heed-offline"; // the offline page alone: no one's data, kept on sign-out
const META = "/__heed/meta";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      .then((cache) => cache.addAll(HEED.precache))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("heed-static-") && key !== STATIC_CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

async function readMeta() {
  const cache = await caches.open(PAGES_CACHE);
  const found = await cache.match(META);
  return found ? found.json() : {};
}

async function writeMeta(meta) {
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(META, new Response(JSON.stringify(meta), { headers: { "Content-Type": "application/json" } }));
}

async function forget() {
  await caches.delete(PAGES_CACHE);
}

// Keep a page the server marked as a diary shell, under its own address and its alias.
async function keep(response, owner) {
  if (!response.ok || response.headers.get("X-Heed-Offline") !== "shell") return;
  const meta = await readMeta();
  const marked = response.headers.get("X-Heed-Offline-Owner");
  if (!owner || meta.owner !== owner || marked !== owner) return;
  const body = await response.clone().arrayBuffer();
  const init = { status: 200, headers: { "Content-Type": "text/html; charset=utf-8" } };
  const cache = await caches.open(PAGES_CACHE);
  const url = new URL(response.url);
  await cache.put(url.pathname + url.search, new Response(body, init));
  const alias = response.headers.get("X-Heed-Offline-Alias");
  if (alias) await cache.put(alias, new Response(body, init));
}

async function keepOffline(locale) {
  const response = await fetch(HEED.offline, { credentials: "same-origin" });
  if (!response.ok) return;
  const cache = await caches.open(OFFLINE_CACHE);
  await cache.put(HEED.offline, new Response(await response.arrayBuffer(), {
    status: 200,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  }));
  return locale;
}

// A page says who is signed in ("hello"): another account, or none, empties the pages cache.
// A patient's page also asks to keep today's diary forms and the offline page (once a day).
async function hello(data) {
  const meta = await readMeta();
  if (meta.owner !== data.user) {
    await forget();
    await writeMeta({ owner: data.user });
  }
  const current = await readMeta();
  const stamp = `${data.day}|${data.locale}`;
  if (current.primed === stamp) return;
  await keepOffline(data.locale);
  for (const url of data.prime || []) {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      await keep(response, data.user);
    } catch (error) {
      return; // offline: try again on the next page
    }
  }
  await writeMeta({ ...(await readMeta()), primed: stamp });
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "hello") {
    event.waitUntil(hello(data).catch(() => undefined));
  } else if (data.type === "forget") {
    event.waitUntil(forget().then(() => event.source && event.source.postMessage({ type: "forgotten" })));
  }
});

async function offlinePage() {
  const cache = await caches.open(OFFLINE_CACHE);
  const page = await cache.match(HEED.offline);
  if (page) return page;
  return new Response("<!doctype html><title>Heed</title><p>Offline</p>", {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}

async function navigate(request) {
  try {
    const response = await fetch(request);
    const meta = await readMeta();
    if (response.headers.get("X-Heed-Offline") === "shell" && meta.owner) {
      await keep(response.clone(), meta.owner);
    }
    return response;
  } catch (error) {
    const cache = await caches.open(PAGES_CACHE);
    const url = new URL(request.url);
    const kept = await cache.match(url.pathname + url.search);
    return kept || offlinePage();
  }
}

// ---- a diary form posted while Heed cannot be reached ---------------------------------------

const QUEUE_DB = "heed-offline"; // js/pwa-queue.js makes it; the worker only reads and marks
const QUEUE_STORE = "entries";
const DIARY_POST = /^\/patients\/[0-9a-f-]+\/diary\/(entry|quick)(\/\d{4}-\d{2}-\d{2})?$/;

function openQueue() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(QUEUE_DB);
    // No queue on this phone yet: nothing was kept, and the worker never makes the database.
    request.onupgradeneeded = () => request.transaction.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function inQueue(mode, work) {
  const db = await openQueue();
  try {
    if (!db.objectStoreNames.contains(QUEUE_STORE)) return null;
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(QUEUE_STORE, mode);
      let result = null;
      work(tx.objectStore(QUEUE_STORE), (value) => {
        result = value;
      });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

// The entry the page kept for this post (by its submission id), if it is still "sending". The
// page writes it as the post leaves: a post that fails at once may get here first, so look a
// few times.
async function sendingEntry(submission) {
  for (let tries = 0; tries < 8; tries += 1) {
    const found = await inQueue("readonly", (store, done) => {
      const all = store.getAll();
      all.onsuccess = () => done(all.result.find((item) => item.state === "sending" && item.submission === submission) || null);
    }).catch(() => null);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return null;
}

function handBack(entry) {
  return inQueue("readwrite", (store, done) => {
    const found = store.get(entry.id);
    found.onsuccess = () => {
      if (found.result && found.result.state === "sending") {
        store.put({ ...found.result, state: "waiting" });
        done(true);
      }
    };
  }).catch(() => null);
}

async function postDiary(request) {
  const copy = request.clone();
  const answer = fetch(request); // exactly as the browser made it
  let submission = null;
  try {
    submission = (await copy.formData()).get("submission_id");
  } catch (error) {
    submission = null;
  }
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), HEED.post_timeout);
  });
  const response = await Promise.race([answer, late]).catch(() => null);
  clearTimeout(timer);
  if (response) return response; // Heed answered: as it said
  // No answer: if the page kept the entry, it waits on this phone (if the post did arrive,
  // sending it again is a repeat of the same submission) and the form it was saved from says so.
  const entry = submission ? await sendingEntry(submission) : null;
  if (entry && (await handBack(entry))) {
    const kept = entry.page ? await (await caches.open(PAGES_CACHE)).match(entry.page) : null;
    if (kept) return kept;
  }
  if (entry) return offlinePage();
  return answer.catch(() => offlinePage()); // not kept: as any other form (a late answer still counts)
}

async function staticFile(request) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(request, { ignoreSearch: true });
  const fresh = fetch(request)
    .then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    })
    .catch(() => undefined);
  return kept || (await fresh) || Response.error();
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    if (request.method === "GET") {
      event.respondWith(navigate(request));
    } else if (request.method === "POST" && DIARY_POST.test(url.pathname)) {
      event.respondWith(postDiary(request));
    } else {
      // A form sent without a connection: say so instead of the browser's error page.
      event.respondWith(fetch(request).catch(() => offlinePage()));
    }
    return;
  }
  if (request.method === "GET" && url.pathname.startsWith(HEED.static)) {
    event.respondWith(staticFile(request));
  }
});

// Background Sync where the browser has it: wake an open Heed page to send what waits (the page
// holds the signed-in session's CSRF token). Never relied on: pages also send on open, when the
// connection returns and on "Send now".
self.addEventListener("sync", (event) => {
  if (event.tag !== "heed-diary") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((windows) =>
      windows.forEach((client) => client.postMessage({ type: "sync" })),
    ),
  );
});
