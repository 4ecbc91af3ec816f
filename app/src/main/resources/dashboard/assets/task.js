// Task detail: plan, timeline, live output, cost, publications, notifications, LLM calls, commands.
import { get, post, stream } from "./api.js";
import { TERMINAL, ago, badge, clear, confirmed, h, problemBox, usd, when } from "./dom.js";

export function render(main, { id, me }) {
  const base = `/api/v1/tasks/${encodeURIComponent(id)}`;
  const header = h("div", { class: "task-header" });
  const actions = h("div", { class: "actions", id: "actions" });
  const actionError = h("div", { id: "action-error" });
  const question = h("div", { id: "question" });
  const gate = h("div", { id: "gate-box" });
  const plan = h("div", { class: "card", id: "plan" });
  const facts = h("div", { class: "card", id: "facts" });
  const timeline = h("ol", { class: "timeline", id: "timeline" });
  const output = h("pre", { class: "output", id: "output", tabindex: "0" });
  const follow = h("input", { type: "checkbox", id: "follow", checked: true });
  const liveState = h("span", { class: "live-state", id: "task-live" }, "connecting…");
  const publications = h("div", { id: "publications" });
  const notifications = h("div", { id: "notifications" });
  const llmCalls = h("div", { id: "llm-calls" });
  let task = null;
  let lines = 0;
  const canCommand = me && me.role !== "viewer";

  clear(
    main,
    h("a", { href: "#/tasks", class: "muted small" }, "← Tasks"),
    header,
    actionError,
    gate,
    question,
    actions,
    h("div", { class: "grid" }, plan, facts),
    h(
      "section",
      {},
      h(
        "div",
        { class: "row between" },
        h("h2", {}, "Output"),
        h("div", { class: "row" }, liveState, h("label", { class: "inline" }, follow, " follow")),
      ),
      output,
    ),
    h("section", {}, h("h2", {}, "Timeline"), timeline),
    h("section", {}, h("h2", {}, "Publications"), publications),
    h("section", {}, h("h2", {}, "Notifications"), notifications),
    h("section", {}, h("h2", {}, "LLM calls"), llmCalls),
  );

  async function command(name, body, message) {
    if (message && !(await confirmed(message, name[0].toUpperCase() + name.slice(1)))) return;
    clear(actionError);
    try {
      show(await post(`${base}/${name}`, body || {}));
    } catch (e) {
      clear(actionError, problemBox(e));
    }
  }

  function button(label, name, { body, confirm, kind = "secondary", idName = name } = {}) {
    return h(
      "button",
      { type: "button", class: kind, id: `do-${idName}`, onclick: () => command(name, typeof body === "function" ? body() : body, confirm) },
      label,
    );
  }

  function renderActions() {
    clear(actions);
    clear(question);
    clear(gate);
    if (!task || !canCommand || TERMINAL.has(task.status)) return;
    const s = task.status;
    const list = [];
    if (s === "AWAITING_APPROVAL") {
      const at = task.approval?.waitingAt;
      const comment = h("input", { id: "decision-comment", placeholder: "comment (optional)" });
      // The budget gate goes on only with a larger budget (the API refuses an approval without).
      const budget =
        at === "budget"
          ? h("input", { id: "decision-budget", type: "number", step: "0.01", min: "0", placeholder: "new budget (USD)", required: true })
          : null;
      const decision = () => {
        const body = { comment: comment.value || undefined };
        if (budget) body.budgetUsd = Number(budget.value);
        return body;
      };
      gate.append(
        h(
          "div",
          { class: "card gate", id: "gate" },
          h(
            "strong",
            {},
            at === "before_publish"
              ? "Approve the result to publish it?"
              : at === "budget"
                ? "The budget is spent: approve a larger one to go on?"
                : "Approve this task to run?",
          ),
          task.statusReason ? h("p", {}, task.statusReason) : null,
          budget,
          comment,
          h(
            "div",
            { class: "row" },
            button("Approve", "approve", { kind: "primary", body: decision }),
            button("Reject", "reject", {
              kind: "danger",
              body: () => ({ comment: comment.value || undefined }),
              confirm: "Reject this task? It ends and cannot be resumed.",
            }),
          ),
        ),
      );
    }
    if (s === "WAITING_FOR_INPUT") {
      const answer = h("textarea", { id: "answer-text", rows: 3, placeholder: "Your answer" });
      clear(
        question,
        h(
          "form",
          {
            class: "card gate",
            id: "answer-form",
            onsubmit: (e) => {
              e.preventDefault();
              command("input", { text: answer.value });
            },
          },
          h("strong", {}, "The agent asks:"),
          h("p", { id: "question-text" }, task.statusReason || ""),
          answer,
          h("button", { type: "submit", class: "primary", id: "do-input" }, "Answer"),
        ),
      );
    }
    // What each command applies to, as the workflow's validators decide (TaskCommands).
    if (s === "SCHEDULED") list.push(button("Pause", "pause"));
    if (s === "PAUSED") list.push(button("Resume", "resume"));
    if (s === "SCHEDULED" || s === "PAUSED") list.push(button("Run now", "run-now", { idName: "run-now" }));
    const priority = h("input", { type: "number", min: 0, max: 10, id: "priority-value", value: task.priority, class: "short", required: true });
    list.push(
      h(
        "span",
        { class: "row" },
        priority,
        h(
          "button",
          {
            type: "button",
            class: "secondary",
            id: "do-priority",
            onclick: () => {
              if (priority.value === "") return priority.reportValidity();
              command("priority", { priority: Number(priority.value) });
            },
          },
          "Set priority",
        ),
      ),
    );
    if (s !== "PUBLISHING") {
      list.push(
        button("Cancel", "cancel", {
          kind: "danger",
          body: { reason: "cancelled from the dashboard" },
          confirm: "Cancel this task? A running agent is stopped, and a cancelled task cannot be resumed.",
        }),
      );
    }
    clear(actions, list);
  }

  function temporalLink() {
    const ui = me && me.temporalUi;
    if (!ui || !ui.url) return null;
    const href = `${ui.url.replace(/\/$/, "")}/namespaces/${encodeURIComponent(ui.namespace)}/workflows/${encodeURIComponent(task.workflowId || task.id)}`;
    return h("a", { href, target: "_blank", rel: "noopener", id: "temporal-link" }, "Open in Temporal Web UI ↗");
  }

  let shownState = null;
  let endedOnStream = false;
  let left = false;

  function show(t) {
    // Answers and events can arrive out of order: an older state never replaces a newer one.
    if (task && new Date(t.updatedAt) < new Date(task.updatedAt)) return;
    task = t;
    clear(
      header,
      h("h1", { id: "task-title" }, t.title),
      h(
        "div",
        { class: "task-meta" },
        badge(t.status),
        h("span", { class: "muted", id: "task-id" }, t.id),
        t.statusReason && !["WAITING_FOR_INPUT", "AWAITING_APPROVAL"].includes(t.status) ? h("span", { id: "status-reason" }, t.statusReason) : null,
      ),
      t.error ? h("div", { class: "problem" }, h("strong", {}, t.error.code), " ", t.error.message) : null,
      t.result ? h("div", { class: "card result", id: "result" }, h("strong", {}, "Result"), h("p", {}, t.result.summary)) : null,
    );
    const p = t.plan;
    clear(
      plan,
      h("h2", {}, "Plan"),
      p
        ? h(
            "dl",
            {},
            h("dt", {}, "priority"),
            h("dd", {}, String(t.priority)),
            h("dt", {}, "start"),
            h("dd", {}, when(p.start)),
            h("dt", {}, "estimate"),
            h("dd", {}, `${p.estimateMinutes} min`),
            h("dt", {}, "approval"),
            h("dd", {}, p.needsApproval ? `needed${p.approvalReason ? ` — ${p.approvalReason}` : ""}` : "not needed"),
            h("dt", {}, "planned by"),
            h("dd", {}, p.source),
          )
        : h("p", { class: "muted" }, "Not planned yet."),
      p && p.reasoning ? h("p", { class: "reasoning", id: "plan-reasoning" }, p.reasoning) : null,
    );
    const r = t.run;
    clear(
      facts,
      h("h2", {}, "Run"),
      h(
        "dl",
        {},
        h("dt", {}, "agent"),
        h("dd", {}, t.agent),
        h("dt", {}, "workspace"),
        h("dd", {}, t.workspace || "—"),
        h("dt", {}, "owner"),
        h("dd", {}, t.owner),
        h("dt", {}, "created"),
        h("dd", {}, when(t.createdAt)),
        r ? [h("dt", {}, "attempt"), h("dd", {}, String(r.attempt))] : null,
        r ? [h("dt", {}, "started"), h("dd", {}, when(r.startedAt))] : null,
        r && r.endedAt ? [h("dt", {}, "ended"), h("dd", {}, when(r.endedAt))] : null,
        r && r.exitCode != null ? [h("dt", {}, "exit code"), h("dd", {}, String(r.exitCode))] : null,
        h("dt", {}, "agent cost"),
        h("dd", { id: "agent-cost" }, usd(r?.costUsd)),
        h("dt", {}, "LLM"),
        h("dd", { id: "llm-cost" }, "…"),
        (t.labels || []).length ? [h("dt", {}, "labels"), h("dd", {}, t.labels.join(", "))] : null,
      ),
      temporalLink(),
    );
    // Rebuilt only when what they offer changes, so a half-typed answer or comment survives.
    const state = `${t.status}|${t.approval?.waitingAt}|${t.statusReason}`;
    if (state !== shownState) {
      shownState = state;
      renderActions();
    }
  }

  function table(headers, rows) {
    if (!rows.length) return h("p", { class: "muted" }, "None.");
    return h(
      "div",
      { class: "scroll" },
      h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))), h("tbody", {}, rows)),
    );
  }

  async function details() {
    const settle = (promise) => promise.catch((e) => e);
    const [tl, pubs, notes, calls] = await Promise.all([
      settle(get(`${base}/timeline`)),
      settle(get(`${base}/publications`)),
      settle(get(`${base}/notifications`)),
      settle(get(`${base}/llm-calls`)),
    ]);
    if (tl instanceof Error) clear(timeline, problemBox(tl));
    else
      clear(
        timeline,
        (tl.items || []).map((c) =>
          h("li", {}, badge(c.status), " ", ago(c.at), c.reason ? h("div", { class: "reason" }, c.reason) : null),
        ),
      );
    if (pubs instanceof Error) clear(publications, problemBox(pubs));
    else
      clear(
        publications,
        (pubs.items || []).map((p) =>
          h(
            "div",
            { class: "card" },
            h("div", { class: "row between" }, h("strong", {}, p.target), h("span", {}, p.status, ` · ${p.attempts} attempt(s)`)),
            p.location ? h("div", { class: "muted" }, p.location) : null,
            p.detail ? h("div", { class: "muted" }, p.detail) : null,
            table(
              ["#", "action", "outcome", "HTTP", "error", "at"],
              (p.history || []).map((a) =>
                h("tr", {}, h("td", {}, a.attempt), h("td", {}, a.action), h("td", {}, a.outcome), h("td", {}, a.httpStatus ?? ""), h("td", {}, a.error ?? ""), h("td", {}, ago(a.startedAt))),
              ),
            ),
          ),
        ),
        (pubs.items || []).length ? null : h("p", { class: "muted" }, "None."),
      );
    if (notes instanceof Error) clear(notifications, problemBox(notes));
    else
      clear(
        notifications,
        table(
          ["channel", "event", "attempt", "outcome", "HTTP", "at"],
          (notes.items || []).map((n) =>
            h("tr", {}, h("td", {}, n.channel), h("td", {}, n.event), h("td", {}, n.attempt), h("td", {}, n.outcome), h("td", {}, n.httpStatus ?? ""), h("td", {}, ago(n.at))),
          ),
        ),
      );
    if (calls instanceof Error) clear(llmCalls, problemBox(calls));
    else {
      const items = Array.isArray(calls) ? calls : calls.items || [];
      let cost = 0;
      let tokensIn = 0;
      let tokensOut = 0;
      for (const c of items) {
        cost += Number(c.costUsd || 0);
        tokensIn += c.inputTokens || 0;
        tokensOut += c.outputTokens || 0;
      }
      const llm = document.getElementById("llm-cost");
      if (llm) llm.textContent = `${usd(cost)} · ${tokensIn} in / ${tokensOut} out tokens`;
      clear(
        llmCalls,
        table(
          ["purpose", "model", "outcome", "tokens", "cost", "ms", "at"],
          items.map((c) =>
            h(
              "tr",
              {},
              h("td", {}, c.purpose),
              h("td", {}, c.model || c.provider),
              h("td", {}, c.outcome, c.error ? ` — ${c.error}` : ""),
              h("td", {}, `${c.inputTokens ?? "?"}/${c.outputTokens ?? "?"}`),
              h("td", {}, usd(c.costUsd)),
              h("td", {}, c.durationMs),
              h("td", {}, ago(c.createdAt)),
            ),
          ),
        ),
      );
    }
  }

  // The page keeps the last MAX_LINES lines: a browser slows down with hundreds of thousands of
  // elements (the whole output is at GET …/output, and in the CLI's watch).
  const MAX_LINES = 5000;
  const dropped = h("div", { class: "muted small", id: "output-dropped" });
  output.before(dropped);
  let shown = 0;
  function appendLine(n, text) {
    if (n <= lines) return;
    lines = n;
    output.append(h("span", { class: "line", dataset: { line: n } }, text, "\n"));
    if (++shown > MAX_LINES) {
      output.firstChild.remove();
      shown--;
      dropped.textContent = `Showing the last ${MAX_LINES} lines of ${n}.`;
    }
    if (follow.checked) output.scrollTop = output.scrollHeight;
  }

  let detailsTimer = null;
  function refreshDetailsSoon() {
    clearTimeout(detailsTimer);
    detailsTimer = setTimeout(details, 300);
  }

  get(base)
    .then((t) => left || show(t))
    .catch((e) => {
      if (left) return;
      stop();
      clear(main, h("a", { href: "#/tasks" }, "← Tasks"), problemBox(e));
    });
  details();
  const stop = stream(
    `${base}/events`,
    (type, data) => {
      const value = JSON.parse(data);
      if (type === "status") {
        if (TERMINAL.has(value.status)) endedOnStream = true;
        show(value);
        refreshDetailsSoon();
      } else if (type === "output") appendLine(value.line, value.text);
    },
    {
      // Ended only when the stream itself said so (a command's answer may say it first).
      finished: () => endedOnStream,
      onState: (s, e) => {
        liveState.textContent =
          s === "live" ? "● live" : s === "ended" ? "finished" : s === "failed" ? `not live (${e?.code})` : "reconnecting…";
        liveState.className = `live-state ${s}`;
      },
    },
  );
  return () => {
    left = true;
    clearTimeout(detailsTimer);
    stop();
  };
}
