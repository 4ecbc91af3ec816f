// New task: a form for the task resource; a refused field shows the API's problem next to it.
import { post } from "./api.js";
import { clear, h, problemBox } from "./dom.js";

// Which field a problem is about: by its error code, else by the field its message names first.
const CODE_FIELDS = {
  UNKNOWN_AGENT: "agent",
  UNKNOWN_WORKSPACE: "workspace",
  TARGET_NOT_ALLOWED: "publish",
  PAYLOAD_TOO_LARGE: "prompt",
};
const FIELDS = [
  "prompt",
  "title",
  "agent",
  "workspace",
  "priority",
  "notBefore",
  "context",
  "labels",
  "approval",
  "publish",
  "notify",
  "budgetUsd",
  "timeout",
];

export function fieldOf(code, message) {
  if (CODE_FIELDS[code] && !/notify/.test(message)) return CODE_FIELDS[code];
  let best = null;
  for (const f of FIELDS) {
    const at = message.search(new RegExp(`(^|[^A-Za-z])${f}([^A-Za-z]|$)`));
    if (at >= 0 && (best === null || at < best.at)) best = { f, at };
  }
  return best ? best.f : null;
}

function targetRow(kind) {
  const type = h(
    "select",
    { class: "kind" },
    kind === "publish"
      ? [h("option", { value: "file" }, "file"), h("option", { value: "webhook" }, "webhook"), h("option", { value: "git" }, "git branch")]
      : [h("option", { value: "ntfy" }, "ntfy"), h("option", { value: "webhook" }, "webhook")],
  );
  const fields = h("span", { class: "target-fields" });
  const row = h("div", { class: `target-row ${kind}-row` }, type, fields);
  const input = (name, placeholder, extra = {}) => h("input", { name, placeholder, "data-key": name, ...extra });
  function layout() {
    const t = type.value;
    clear(
      fields,
      t === "file" ? input("path", "path under the publish root, e.g. notes/result.md") : null,
      t === "webhook" ? [input("url", "https://…", { type: "url" }), kind === "publish" ? input("secret", "HMAC secret (optional)", { type: "password", autocomplete: "new-password" }) : null] : null,
      t === "git" ? [input("remote", "remote URL or path"), input("branch", "branch")] : null,
      t === "ntfy" ? [input("topic", "topic"), input("server", "server (optional)")] : null,
      h("button", { type: "button", class: "link", onclick: () => row.remove() }, "remove"),
    );
  }
  type.addEventListener("change", layout);
  layout();
  row.value = () => {
    const value = { type: type.value };
    for (const i of fields.querySelectorAll("input")) if (i.value.trim()) value[i.dataset.key] = i.value.trim();
    return value;
  };
  return row;
}

export function render(main) {
  const errors = {};
  const field = (name, label, control, hint) => {
    errors[name] = h("div", { class: "field-error", id: `error-${name}`, role: "alert" });
    return h("div", { class: "field", id: `field-${name}` }, h("label", { for: `task-${name}` }, label), control, hint ? h("div", { class: "muted small" }, hint) : null, errors[name]);
  };
  const input = (name, attrs = {}) => h("input", { id: `task-${name}`, name, ...attrs });
  const prompt = h("textarea", { id: "task-prompt", name: "prompt", rows: 5, required: true, placeholder: "What should the agent do?" });
  const title = input("title", { placeholder: "derived from the prompt when empty" });
  const agent = input("agent", { placeholder: "the default profile" });
  const workspace = input("workspace", { placeholder: "a directory under the workspaces root" });
  const priority = input("priority", { type: "number", min: 0, max: 10, placeholder: "the planner decides" });
  const notBefore = input("notBefore", { type: "datetime-local" });
  const labels = input("labels", { placeholder: "comma separated" });
  const budget = input("budgetUsd", { type: "number", step: "0.01", min: "0", placeholder: "no budget" });
  const timeout = input("timeout", { placeholder: "e.g. PT30M" });
  const context = h("textarea", { id: "task-context", name: "context", rows: 2 });
  const beforeRun = h("select", { id: "task-approval-beforeRun" }, h("option", { value: "" }, "as planned"), h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "no"));
  const beforePublish = h("select", { id: "task-approval-beforePublish" }, h("option", { value: "" }, "as planned"), h("option", { value: "true" }, "yes"), h("option", { value: "false" }, "no"));
  const publishRows = h("div", { id: "publish-rows" });
  const notifyRows = h("div", { id: "notify-rows" });
  const formError = h("div", { id: "form-error" });

  function body() {
    const value = { prompt: prompt.value };
    if (title.value.trim()) value.title = title.value.trim();
    if (agent.value.trim()) value.agent = agent.value.trim();
    if (workspace.value.trim()) value.workspace = workspace.value.trim();
    if (priority.value !== "") value.priority = Number(priority.value);
    if (notBefore.value) value.notBefore = new Date(notBefore.value).toISOString();
    if (labels.value.trim()) value.labels = labels.value.split(",").map((l) => l.trim()).filter(Boolean);
    if (budget.value !== "") value.budgetUsd = Number(budget.value);
    if (timeout.value.trim()) value.timeout = timeout.value.trim();
    if (context.value.trim()) value.context = context.value;
    if (beforeRun.value || beforePublish.value) {
      value.approval = {};
      if (beforeRun.value) value.approval.beforeRun = beforeRun.value === "true";
      if (beforePublish.value) value.approval.beforePublish = beforePublish.value === "true";
    }
    const publish = [...publishRows.children].map((r) => r.value());
    if (publish.length) value.publish = publish;
    const notify = [...notifyRows.children].map((r) => r.value());
    if (notify.length) value.notify = notify;
    return value;
  }

  const submit = h("button", { type: "submit", class: "primary", id: "create-submit" }, "Create task");
  const form = h(
    "form",
    {
      id: "new-task-form",
      class: "card form",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        for (const e of Object.values(errors)) clear(e);
        clear(formError);
        for (const f of form.querySelectorAll(".field.invalid")) f.classList.remove("invalid");
        submit.disabled = true;
        try {
          const task = await post("/api/v1/tasks", body());
          location.hash = `#/tasks/${encodeURIComponent(task.id)}`;
        } catch (e) {
          const p = e.problem || {};
          const messages = p.errors && p.errors.length ? p.errors : [p.detail || e.message];
          let placed = false;
          for (const m of messages) {
            const name = fieldOf(p.code, m);
            if (name && errors[name]) {
              errors[name].append(h("div", {}, m));
              errors[name].parentElement.classList.add("invalid");
              placed = true;
            }
          }
          clear(formError, problemBox(e));
          if (placed) form.querySelector(".field.invalid")?.scrollIntoView({ block: "center" });
        } finally {
          submit.disabled = false;
        }
      },
    },
    field("prompt", "Prompt", prompt),
    field("title", "Title", title),
    h("div", { class: "grid" }, field("agent", "Agent", agent), field("workspace", "Workspace", workspace)),
    h("div", { class: "grid" }, field("priority", "Priority (0–10)", priority), field("notBefore", "Not before", notBefore, "your local time")),
    field("approval", "Approval", h("div", { class: "row" }, h("label", { class: "inline" }, "before run ", beforeRun), h("label", { class: "inline" }, "before publish ", beforePublish))),
    field("publish", "Publish to", h("div", {}, publishRows, h("button", { type: "button", class: "secondary", id: "add-publish", onclick: () => publishRows.append(targetRow("publish")) }, "+ target"))),
    field("notify", "Notify", h("div", {}, notifyRows, h("button", { type: "button", class: "secondary", id: "add-notify", onclick: () => notifyRows.append(targetRow("notify")) }, "+ channel"))),
    h("details", {}, h("summary", {}, "More"), field("labels", "Labels", labels), h("div", { class: "grid" }, field("budgetUsd", "Budget (USD)", budget), field("timeout", "Run timeout", timeout, "ISO-8601 duration")), field("context", "Context for the planner", context)),
    formError,
    submit,
  );
  clear(main, h("h1", {}, "New task"), form);
  prompt.focus();
}
