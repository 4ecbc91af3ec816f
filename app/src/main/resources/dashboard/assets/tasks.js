// Tasks: the newest first, filtered by status, label, agent and owner; live over SSE.
import { get, stream } from "./api.js";
import { STATUSES, ago, badge, clear, h, problemBox, usd } from "./dom.js";

const FILTERS = ["status", "label", "agent", "owner"];

export function render(main, { query, me }) {
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) || ""]));
  const rows = new Map();
  const list = h("div", { class: "task-list", id: "task-list" });
  const more = h("div", { class: "more" });
  const state = h("span", { class: "live-state", id: "list-live" }, "connecting…");
  const error = h("div");

  function setFilter(name, value) {
    filters[name] = value;
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    const next = `#/tasks${params.toString() ? `?${params}` : ""}`;
    if (location.hash !== next) location.hash = next;
  }

  const statusSelect = h(
    "select",
    { id: "filter-status", "aria-label": "status", onchange: (e) => setFilter("status", e.target.value) },
    h("option", { value: "" }, "any status"),
    STATUSES.map((s) => h("option", { value: s, selected: filters.status === s }, s)),
  );
  const text = (name, placeholder) =>
    h("input", {
      id: `filter-${name}`,
      placeholder,
      "aria-label": placeholder,
      value: filters[name],
      onchange: (e) => setFilter(name, e.target.value.trim()),
    });

  clear(
    main,
    h(
      "div",
      { class: "row between" },
      h("h1", {}, "Tasks"),
      h("div", { class: "row" }, state, me && me.role !== "viewer" ? h("a", { class: "button", href: "#/new", id: "new-task" }, "New task") : null),
    ),
    h(
      "div",
      { class: "filters" },
      statusSelect,
      text("label", "label"),
      text("agent", "agent"),
      me && me.role === "admin" ? text("owner", "owner") : null,
    ),
    error,
    list,
    more,
  );

  function matches(t) {
    return (
      (!filters.status || t.status === filters.status) &&
      (!filters.label || (t.labels || []).includes(filters.label)) &&
      (!filters.agent || t.agent === filters.agent) &&
      (!filters.owner || t.owner === filters.owner)
    );
  }

  function row(t) {
    return h(
      "a",
      { class: "task-row", href: `#/tasks/${encodeURIComponent(t.id)}`, dataset: { taskId: t.id } },
      h("div", { class: "task-title" }, t.title),
      h(
        "div",
        { class: "task-meta" },
        badge(t.status),
        h("span", {}, t.agent),
        t.workspace ? h("span", {}, t.workspace) : null,
        (t.labels || []).map((l) => h("span", { class: "label" }, l)),
        h("span", { class: "muted" }, ago(t.createdAt)),
        t.run && t.run.costUsd != null ? h("span", { class: "muted" }, usd(t.run.costUsd)) : null,
        me && me.role === "admin" ? h("span", { class: "muted" }, t.owner) : null,
      ),
    );
  }

  let moreToLoad = false;

  /** Where a task not shown yet goes: newest first, like the list the API answers. */
  function insert(t, element) {
    const created = new Date(t.createdAt);
    for (const node of list.querySelectorAll("a.task-row")) {
      const entry = rows.get(node.dataset.taskId);
      if (entry && new Date(entry.task.createdAt) < created) {
        node.before(element);
        return true;
      }
    }
    // Older than every row shown: it belongs to a page not loaded yet, unless this is the last.
    if (moreToLoad) return false;
    list.append(element);
    return true;
  }

  function upsert(t, { live = false } = {}) {
    const existing = rows.get(t.id);
    if (existing && new Date(existing.task.updatedAt) > new Date(t.updatedAt)) return;
    if (!matches(t)) {
      if (existing) {
        existing.element.remove();
        rows.delete(t.id);
      }
      return;
    }
    const element = row(t);
    if (existing) existing.element.replaceWith(element);
    else if (!live) list.append(element);
    else if (!insert(t, element)) return;
    rows.set(t.id, { task: t, element });
    empty.remove();
  }

  const filtered = Object.values(filters).some(Boolean);
  const empty = filtered
    ? h("p", { class: "muted", id: "no-tasks" }, "No task matches these filters. ", h("a", { href: "#/tasks" }, "Show all"), ".")
    : h("p", { class: "muted", id: "no-tasks" }, "No tasks yet. ", h("a", { href: "#/new" }, "Create one"), ".");

  async function load(cursor) {
    const params = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
    params.set("limit", "50");
    if (cursor) params.set("cursor", cursor);
    try {
      const page = await get(`/api/v1/tasks?${params}`);
      for (const t of page.items || []) upsert(t);
      if (!rows.size) list.append(empty);
      moreToLoad = Boolean(page.nextCursor);
      clear(
        more,
        page.nextCursor
          ? h("button", { type: "button", class: "secondary", onclick: () => load(page.nextCursor) }, "More")
          : null,
      );
    } catch (e) {
      clear(error, problemBox(e));
    }
  }

  load();
  // Every change, filtered here: the server filters on the new state only, so a task that leaves
  // the filter (a RUNNING one that ends) would otherwise never be heard of again.
  const stop = stream(
    `/api/v1/events${filters.owner ? `?owner=${encodeURIComponent(filters.owner)}` : ""}`,
    (type, data) => {
      if (type !== "status") return;
      upsert(JSON.parse(data), { live: true });
    },
    {
      onState: (s, e) => {
        state.textContent = s === "live" ? "● live" : s === "failed" ? `not live (${e?.code})` : "reconnecting…";
        state.className = `live-state ${s}`;
      },
    },
  );
  return stop;
}
