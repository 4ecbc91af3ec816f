// A tiny DOM builder. Every string becomes a text node: user text (titles, prompts, agent output)
// is never parsed as HTML, so it cannot inject markup or script.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      element.className = value;
    } else if (key === "style" && typeof value === "object") {
      // Through the CSSOM, which the dashboard's Content-Security-Policy allows (inline style attributes it does not).
      Object.assign(element.style, value);
    } else if (key === "dataset") {
      Object.assign(element.dataset, value);
    } else if (key === "value") {
      element.value = value;
    } else if (value === true) {
      element.setAttribute(key, "");
    } else {
      element.setAttribute(key, String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export const STATUSES = [
  "PLANNING",
  "SCHEDULED",
  "AWAITING_APPROVAL",
  "RUNNING",
  "WAITING_FOR_INPUT",
  "PARKED",
  "PAUSED",
  "PUBLISHING",
  "SUCCEEDED",
  "FAILED",
  "CANCELLED",
  "REJECTED",
];

export const TERMINAL = new Set(["SUCCEEDED", "FAILED", "CANCELLED", "REJECTED"]);

export function badge(status) {
  return h("span", { class: `badge s-${(status || "").toLowerCase()}`, "data-status": status }, status);
}

export function when(instant) {
  if (!instant) return "—";
  const date = new Date(instant);
  return h("time", { datetime: instant, title: instant }, date.toLocaleString());
}

export function ago(instant) {
  if (!instant) return "—";
  const seconds = Math.round((Date.now() - new Date(instant).getTime()) / 1000);
  const future = seconds < 0;
  const s = Math.abs(seconds);
  const text =
    s < 60 ? `${s}s` : s < 3600 ? `${Math.round(s / 60)}m` : s < 86400 ? `${Math.round(s / 3600)}h` : `${Math.round(s / 86400)}d`;
  return h("time", { datetime: instant, title: new Date(instant).toLocaleString() }, future ? `in ${text}` : `${text} ago`);
}

export function usd(value) {
  if (value === null || value === undefined) return "—";
  const n = Number(value);
  return n < 0.01 && n > 0 ? `$${n.toFixed(4)}` : `$${n.toFixed(2)}`;
}

/** A problem document shown as a block: title, detail, every error, the code and request id. */
export function problemBox(error) {
  const p = error.problem || {};
  return h(
    "div",
    { class: "problem", role: "alert" },
    h("strong", {}, p.title || "Error", p.status ? ` (${p.status})` : ""),
    p.detail ? h("div", {}, p.detail) : null,
    p.errors && p.errors.length > 1 ? h("ul", {}, p.errors.map((e) => h("li", {}, e))) : null,
    h("div", { class: "muted small" }, p.code || error.code, p.requestId ? ` · request ${p.requestId}` : ""),
  );
}

/** Asks before a command that cannot be undone; resolves true when the person confirms. */
export function confirmed(message, action = "Confirm") {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "confirm", id: "confirm-dialog" },
      h("p", {}, message),
      h(
        "div",
        { class: "row end" },
        h("button", { type: "button", class: "secondary", id: "confirm-no", onclick: () => done(false) }, "Back"),
        h("button", { type: "button", class: "danger", id: "confirm-yes", onclick: () => done(true) }, action),
      ),
    );
    function done(answer) {
      dialog.close();
      dialog.remove();
      resolve(answer);
    }
    dialog.addEventListener("cancel", () => done(false));
    document.body.append(dialog);
    dialog.showModal();
  });
}
