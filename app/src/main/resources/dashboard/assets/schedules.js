// Schedules: list, create, pause, resume and trigger, with next fire times and past runs.
import { get, post } from "./api.js";
import { ago, clear, h, problemBox, when } from "./dom.js";

export function render(main, { me }) {
  const list = h("div", { id: "schedule-list" });
  const error = h("div");
  const canCommand = me && me.role !== "viewer";
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  const name = h("input", { id: "schedule-name", placeholder: "weekday summary", required: true });
  const cron = h("input", { id: "schedule-cron", placeholder: "0 9 * * MON-FRI", required: true });
  const timeZone = h("input", { id: "schedule-timeZone", value: zone });
  const prompt = h("textarea", { id: "schedule-prompt", rows: 3, placeholder: "What should each run do?" });
  const agent = h("input", { id: "schedule-agent", placeholder: "the default profile" });
  const workspace = h("input", { id: "schedule-workspace", placeholder: "workspace (optional)" });
  const overlap = h("select", { id: "schedule-overlap" }, ["SKIP", "BUFFER_ONE", "ALLOW_ALL", "CANCEL_OTHER"].map((o) => h("option", { value: o }, o)));
  const formError = h("div", { id: "schedule-form-error" });

  const form = h(
    "form",
    {
      id: "schedule-form",
      class: "card form",
      onsubmit: async (e) => {
        e.preventDefault();
        clear(formError);
        const task = { prompt: prompt.value };
        if (agent.value.trim()) task.agent = agent.value.trim();
        if (workspace.value.trim()) task.workspace = workspace.value.trim();
        try {
          await post("/api/v1/schedules", { name: name.value, cron: cron.value, timeZone: timeZone.value, task, overlap: overlap.value });
          form.reset();
          timeZone.value = zone;
          load();
        } catch (err) {
          clear(formError, problemBox(err));
        }
      },
    },
    h("h2", {}, "New schedule"),
    h("div", { class: "grid" }, h("label", {}, "Name", name), h("label", {}, "Cron", cron)),
    h("div", { class: "grid" }, h("label", {}, "Time zone", timeZone), h("label", {}, "When runs overlap", overlap)),
    h("label", {}, "Prompt", prompt),
    h("div", { class: "grid" }, h("label", {}, "Agent", agent), h("label", {}, "Workspace", workspace)),
    formError,
    h("button", { type: "submit", class: "primary", id: "schedule-submit" }, "Create schedule"),
  );

  async function act(schedule, name) {
    clear(error);
    try {
      await post(`/api/v1/schedules/${encodeURIComponent(schedule.id)}/${name}`);
      load();
    } catch (e) {
      clear(error, problemBox(e));
    }
  }

  async function runs(schedule, into) {
    try {
      const page = await get(`/api/v1/schedules/${encodeURIComponent(schedule.id)}/runs`);
      clear(
        into,
        (page.items || []).length
          ? h(
              "ul",
              { class: "runs" },
              page.items.map((r) =>
                h(
                  "li",
                  {},
                  when(r.fireTime),
                  " ",
                  r.outcome,
                  r.manual ? " (triggered)" : "",
                  r.reason ? ` — ${r.reason}` : "",
                  r.taskId ? [" ", h("a", { href: `#/tasks/${encodeURIComponent(r.taskId)}` }, "task")] : null,
                ),
              ),
            )
          : h("p", { class: "muted" }, "No runs yet."),
      );
    } catch (e) {
      clear(into, problemBox(e));
    }
  }

  // Which cards show their past runs: the periodic reload keeps them open (and fresh).
  const open = new Set();

  function card(s) {
    const past = h("div", { class: "past-runs" });
    const details = h(
      "details",
      {
        open: open.has(s.id),
        ontoggle: (e) => {
          if (e.target.open) {
            open.add(s.id);
            runs(s, past);
          } else open.delete(s.id);
        },
      },
      h("summary", {}, "Past runs"),
      past,
    );
    return h(
      "div",
      { class: "card schedule", dataset: { scheduleId: s.id } },
      h("div", { class: "row between" }, h("strong", {}, s.name), h("code", {}, s.cron, " ", s.timeZone)),
      h(
        "div",
        { class: "muted" },
        s.paused ? "paused" : ["next ", when(s.nextFireTime), " (", ago(s.nextFireTime), ")"],
        s.lastFireTime ? [" · last ", ago(s.lastFireTime)] : null,
      ),
      h("div", { class: "muted small" }, s.task.prompt),
      canCommand
        ? h(
            "div",
            { class: "row" },
            s.paused
              ? h("button", { type: "button", class: "secondary", onclick: () => act(s, "resume") }, "Resume")
              : h("button", { type: "button", class: "secondary", onclick: () => act(s, "pause") }, "Pause"),
            h("button", { type: "button", class: "secondary", onclick: () => act(s, "trigger") }, "Run now"),
          )
        : null,
      details,
    );
  }

  async function load() {
    try {
      const page = await get("/api/v1/schedules");
      clear(list, (page.items || []).length ? page.items.map(card) : h("p", { class: "muted" }, "No schedules yet."));
    } catch (e) {
      clear(error, problemBox(e));
    }
  }

  clear(main, h("h1", {}, "Schedules"), error, list, canCommand ? form : null);
  load();
  const timer = setInterval(load, 30000);
  return () => clearInterval(timer);
}
