// Fleet: the workers (identity, last seen, what each runs) and agent slots per profile.
import { get } from "./api.js";
import { ago, clear, h, problemBox } from "./dom.js";

export function render(main) {
  const body = h("div", { id: "fleet" });
  clear(main, h("h1", {}, "Fleet"), body);

  async function load() {
    try {
      const fleet = await get("/api/v1/fleet");
      clear(
        body,
        h("h2", {}, "Agent slots"),
        h(
          "div",
          { class: "scroll" },
          h(
            "table",
            { id: "slots" },
            h("thead", {}, h("tr", {}, ["profile", "in use", "capacity", "waiting", "oldest wait"].map((x) => h("th", {}, x)))),
            h(
              "tbody",
              {},
              (fleet.profiles || []).map((p) =>
                h(
                  "tr",
                  {},
                  h("td", {}, p.agent),
                  h("td", {}, p.running),
                  h("td", {}, p.capacity ?? "—"),
                  h("td", {}, p.waiting),
                  h("td", {}, p.oldestWaitingSince ? ago(p.oldestWaitingSince) : "—"),
                ),
              ),
            ),
          ),
        ),
        h("h2", {}, "Workers"),
        (fleet.workers || []).length
          ? fleet.workers.map((w) =>
              h(
                "div",
                { class: `card worker ${w.alive ? "" : "gone"}` },
                h("div", { class: "row between" }, h("strong", {}, w.identity), h("span", {}, w.alive ? (w.draining ? "draining" : "alive") : "not seen")),
                h("div", { class: "muted" }, `${w.host} · pid ${w.pid} · started `, ago(w.startedAt), " · last seen ", ago(w.lastSeen)),
                (w.running || []).length
                  ? h("ul", {}, w.running.map((r) => h("li", {}, h("a", { href: `#/tasks/${encodeURIComponent(r.taskId)}` }, r.taskId), ` · ${r.agent} · since `, ago(r.since))))
                  : h("div", { class: "muted small" }, "idle"),
              ),
            )
          : h("p", { class: "muted" }, "No worker has reported yet."),
      );
    } catch (e) {
      clear(body, problemBox(e));
      // Refused (a non-admin token): asking again every 5 s would not change the answer.
      if (e.status >= 400 && e.status < 500 && e.status !== 429) clearInterval(timer);
    }
  }
  const timer = setInterval(load, 5000);
  load();
  return () => clearInterval(timer);
}
