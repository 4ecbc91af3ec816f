// Costs: LLM and agent cost per day, per agent and per workspace.
import { get } from "./api.js";
import { clear, h, problemBox, usd } from "./dom.js";

export function render(main, { query }) {
  const days = Number(query.get("days")) || 30;
  const body = h("div", { id: "costs" });
  const range = h(
    "select",
    { id: "costs-days", onchange: (e) => (location.hash = `#/costs?days=${e.target.value}`) },
    [7, 30, 90, 365].map((d) => h("option", { value: d, selected: d === days }, `last ${d} days`)),
  );
  clear(main, h("div", { class: "row between" }, h("h1", {}, "Costs"), range), body);

  const breakdown = (title, key, items) =>
    h(
      "section",
      {},
      h("h2", {}, title),
      items.length
        ? h(
            "div",
            { class: "scroll" },
            h(
              "table",
              {},
              h("thead", {}, h("tr", {}, [key, "tasks", "agent", "LLM", "total"].map((x) => h("th", {}, x)))),
              h(
                "tbody",
                {},
                items.map((i) =>
                  h("tr", {}, h("td", {}, i[key] ?? "(none)"), h("td", {}, i.tasks), h("td", {}, usd(i.agentUsd)), h("td", {}, usd(i.llmUsd)), h("td", {}, usd(Number(i.agentUsd) + Number(i.llmUsd)))),
                ),
              ),
            ),
          )
        : h("p", { class: "muted" }, "Nothing spent."),
    );

  get(`/api/v1/costs?days=${days}`)
    .then((c) => {
      const max = Math.max(0.000001, ...(c.days || []).map((d) => Number(d.llmUsd) + Number(d.agentUsd)));
      clear(
        body,
        h("p", { class: "total", id: "costs-total" }, "Total ", h("strong", {}, usd(c.totalUsd))),
        h("section", {}, h("h2", {}, "Per day"), h(
          "div",
          { class: "bars", id: "cost-days" },
          // Newest first: today is what one opens the page for.
          [...(c.days || [])].reverse().map((d) => {
            const total = Number(d.llmUsd) + Number(d.agentUsd);
            return h(
              "div",
              { class: "bar-row", title: `${d.day}: agent ${usd(d.agentUsd)}, LLM ${usd(d.llmUsd)}` },
              h("span", { class: "bar-label" }, d.day),
              h(
                "span",
                { class: "bar" },
                h("span", { class: "bar-agent", style: { width: `${(100 * Number(d.agentUsd)) / max}%` } }),
                h("span", { class: "bar-llm", style: { width: `${(100 * Number(d.llmUsd)) / max}%` } }),
              ),
              h("span", { class: "bar-value" }, usd(total)),
            );
          }),
        ), h("div", { class: "muted small" }, h("span", { class: "key agent" }), " agent ", h("span", { class: "key llm" }), " LLM")),
        breakdown("Per agent", "agent", c.byAgent || []),
        breakdown("Per workspace", "workspace", c.byWorkspace || []),
      );
    })
    .catch((e) => clear(body, problemBox(e)));
}
