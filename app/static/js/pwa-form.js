// A diary form as the offline diary reads it (js/pwa.js): its answers, what the patient saw
// (for a readable summary), the form's words (to word Heed's version in a conflict), and the
// ids it is posted and queued under. docs/offline.md.

function text(node) {
  return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
}

function labelFor(form, element) {
  const fieldset = element.closest("fieldset");
  if (element.type === "radio" || element.type === "checkbox") {
    const legend = fieldset ? fieldset.querySelector("legend") : null;
    return text(legend) || text(form.querySelector(`label[for="${element.id}"]`));
  }
  return text(form.querySelector(`label[for="${element.id}"]`)) || element.name;
}

function valueText(form, element) {
  if (element.type === "radio" || element.type === "checkbox") {
    return text(form.querySelector(`label[for="${element.id}"]`)) || element.value;
  }
  if (element.tagName === "SELECT") return text(element.selectedOptions[0]);
  return element.value;
}

// What the form says, as the patient reads it: [{label, text}], one line per question.
export function summarize(form) {
  const lines = new Map();
  for (const element of form.elements) {
    if (!element.name || element.type === "hidden" || element.type === "submit" || element.disabled) continue;
    if ((element.type === "radio" || element.type === "checkbox") && !element.checked) continue;
    if (!element.value || (element.tagName === "SELECT" && !element.value)) continue;
    const label = labelFor(form, element);
    const value = valueText(form, element);
    lines.set(label, lines.has(label) ? `${lines.get(label)}, ${value}` : value);
  }
  return Array.from(lines, ([label, value]) => ({ label, text: value }));
}

// The form's words for every field and option, to word Heed's version in a conflict.
function dictionary(form) {
  const labels = {};
  const options = {};
  for (const element of form.elements) {
    if (!element.name || element.type === "hidden" || element.type === "submit") continue;
    if (!(element.name in labels)) labels[element.name] = labelFor(form, element);
    if (element.type === "radio" || element.type === "checkbox") {
      options[`${element.name}=${element.value}`] = valueText(form, element);
    } else if (element.tagName === "SELECT") {
      for (const option of element.options) if (option.value) options[`${element.name}=${option.value}`] = text(option);
    }
  }
  return { labels, options };
}

function fieldsOf(form) {
  const fields = {};
  for (const [name, value] of new FormData(form)) {
    if (name === "csrf_token" || typeof value !== "string") continue;
    if (name in fields) {
      fields[name] = [].concat(fields[name], value);
    } else {
      fields[name] = value;
    }
  }
  return fields;
}

const ACTION = /\/patients\/([0-9a-f-]+)\/diary\/(entry|quick)(?:\/(\d{4}-\d{2}-\d{2}))?$/;

export function newId() {
  return window.crypto && typeof window.crypto.randomUUID === "function"
    ? window.crypto.randomUUID()
    : `${Date.now()}-${Math.random()}`.replace(/\D/g, "").padEnd(32, "0").replace(/^(.{8})(.{4})(.{3})(.{3})(.{12}).*$/, "$1-$2-4$3-8$4-$5");
}

// What a diary form holds, as a queue entry of `user` (null: not a diary form, or no one
// signed in); `today` is the day of a form without one in its address.
export function entryOf(form, { id, user, today }) {
  const match = ACTION.exec(new URL(form.action).pathname);
  if (!match || !user) return null;
  return {
    id,
    user,
    patient: match[1],
    mode: match[2],
    day: match[3] || today,
    action: form.action,
    fields: fieldsOf(form),
    summary: summarize(form),
    ...dictionary(form),
    base: form.dataset.entryVersion || "",
    savedAt: new Date().toISOString(),
  };
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

// The submission id the JSON API makes of an Idempotency-Key sent by `user`:
// uuid5(namespace, "<user id>:<key>"), as Python's uuid.uuid5 makes it (app/api/diary.py).
export async function apiSubmission(key, { user, namespace: scope }) {
  const namespace = scope
    .replace(/-/g, "")
    .match(/../g)
    .map((pair) => parseInt(pair, 16));
  const name = new TextEncoder().encode(`${user}:${key}`);
  const data = new Uint8Array(namespace.length + name.length);
  data.set(namespace);
  data.set(name, namespace.length);
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-1", data)).slice(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// The answers of an entry handed back, in the form again (as an offline save leaves them).
export function restore(form, fields) {
  for (const node of form.elements) {
    if (!node.name || node.type === "hidden" || node.type === "submit" || !(node.name in fields)) continue;
    const values = [].concat(fields[node.name]).map(String);
    if (node.type === "radio" || node.type === "checkbox") node.checked = values.includes(node.value);
    else node.value = values[values.length - 1];
  }
}

const TEXT_FIELDS = new Set(["notes", "bedtime", "wake_time"]);
const LIST_FIELDS = new Set(["triggers", "custom_triggers"]);

// The form's answers as the API's diary body (the form's own field names, numbers as numbers).
export function apiBody(item) {
  const body = { mode: item.mode === "quick" ? "quick" : "full" };
  for (const [name, raw] of Object.entries(item.fields || {})) {
    if (name === "submission_id") continue;
    const values = [].concat(raw).map((v) => String(v).trim()).filter(Boolean);
    if (name === "custom_triggers") {
      body[name] = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    } else if (LIST_FIELDS.has(name)) {
      body[name] = values;
    } else if (values.length) {
      const value = values[values.length - 1];
      body[name] = !TEXT_FIELDS.has(name) && /^\d+$/.test(value) ? Number(value) : value;
    }
  }
  return body;
}

// Heed's version of the day (a 412/428 answer's `current`), worded as the form words it.
export function otherSummary(item, current) {
  const values = (current && current.values) || {};
  const lines = [];
  for (const [name, label] of Object.entries(item.labels || {})) {
    const value = values[name];
    if (value === null || value === undefined || (Array.isArray(value) && !value.length)) continue;
    const text = [].concat(value).map((v) => (item.options || {})[`${name}=${v}`] || String(v)).join(", ");
    const same = lines.find((line) => line.label === label);
    if (same) same.text = `${same.text}, ${text}`;
    else lines.push({ label, text });
  }
  return lines;
}

export function versionOf(current, response) {
  if (current && current.version !== undefined) return String(current.version);
  return (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
}
