// The queue of diary entries saved on this phone (IndexedDB), bound to the account that saved
// them: every read and write names the user, and nothing of one user is handed to another.
//
// An item: { id: submission id (made when Save was tapped), user, patient, day (YYYY-MM-DD),
//   mode ("quick" | "entry"), action (the form's URL), fields ({name: value | [values]}),
//   summary ([{label, text}] as the patient saw it), labels and options (the form's words, to word
//   Heed's version in a conflict), base (the entry version the form showed: the If-Match),
//   savedAt, state, sentAt, errors, other (the version saved elsewhere, on a conflict); saved
//   while its form posted online, also submission (the id the form posted: the API's id for
//   the key `id`, so a later send is a repeat) and page (the page the form was on) }.
// States: "sending" (saved here while its form posts to Heed: Heed's answer deletes it, no
// answer makes it "waiting", see js/sw.js), "waiting" (to send), "signin" (the session ended: sign in to send), "conflict"
// (the day changed elsewhere: the patient chooses), "refused" (Heed said why), "sent", "kept"
// (the patient kept the other version). Sent and kept items lose their answers.

const DB_NAME = "heed-offline";
const STORE = "entries";
const KEEP_SENT_DAYS = 7;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "id" });
      store.createIndex("user", "user");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const store = tx.objectStore(STORE);
      let result;
      Promise.resolve(work(store)).then((value) => {
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

function requestValue(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function allFor(user) {
  if (!user) return [];
  const items = await run("readonly", (store) => requestValue(store.index("user").getAll(user)));
  return (items || []).sort((a, b) => (a.savedAt < b.savedAt ? -1 : 1));
}

export async function othersExist(user) {
  const count = await run("readonly", (store) => requestValue(store.count()));
  const mine = (await allFor(user)).length;
  return count > mine;
}

export const UNSENT = new Set(["waiting", "signin", "conflict", "refused"]);
export const SENT = new Set(["sent", "kept"]);

export async function unsentFor(user) {
  return (await allFor(user)).filter((item) => UNSENT.has(item.state));
}

// A new save for the same day and form replaces an unsent one (the latest answers win). Saved
// offline, it keeps the version the first one was based on (the form was the same kept page);
// saved while posting online (state "sending"), the form showed Heed's version: its own.
export async function add(item, { state = "waiting", inheritBase = true } = {}) {
  const earlier = (await unsentFor(item.user)).filter(
    (other) => other.patient === item.patient && other.day === item.day && other.mode === item.mode,
  );
  const base = inheritBase && earlier.length ? earlier[0].base : item.base;
  await run("readwrite", (store) => {
    earlier.forEach((other) => store.delete(other.id));
    store.put({ ...item, base, state });
  });
}

export async function get(user, id) {
  return (await allFor(user)).find((item) => item.id === id) || null;
}

// A "sending" entry older than any post can take (its tab closed mid-post): it may or may not
// have arrived, so it waits; sending it again is a repeat of the same submission.
export async function adoptStale(user, olderThanMs) {
  const limit = Date.now() - olderThanMs;
  const stale = (await allFor(user)).filter((item) => item.state === "sending" && Date.parse(item.savedAt) < limit);
  await run("readwrite", (store) => stale.forEach((item) => store.put({ ...item, state: "waiting" })));
}

export async function update(item, changes) {
  const next = { ...item, ...changes };
  if (next.state === "sent" || next.state === "kept") {
    delete next.fields;
    delete next.summary;
    delete next.other;
    delete next.errors;
    delete next.labels;
    delete next.options;
  }
  await run("readwrite", (store) => store.put(next));
  return next;
}

export async function discard(user, id) {
  const items = await allFor(user);
  if (!items.some((item) => item.id === id)) return;
  await run("readwrite", (store) => store.delete(id));
}

export async function discardUnsent(user) {
  const ids = (await unsentFor(user)).map((item) => item.id);
  await run("readwrite", (store) => ids.forEach((id) => store.delete(id)));
}

export async function prune(user) {
  const limit = Date.now() - KEEP_SENT_DAYS * 86400000;
  const old = (await allFor(user)).filter(
    (item) => SENT.has(item.state) && Date.parse(item.sentAt || item.savedAt) < limit,
  );
  await run("readwrite", (store) => old.forEach((item) => store.delete(item.id)));
}
