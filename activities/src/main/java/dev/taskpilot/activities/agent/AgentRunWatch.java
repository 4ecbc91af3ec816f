package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.agent.format.AgentEvent;
import dev.taskpilot.activities.agent.format.AgentOutputFormat;
import dev.taskpilot.activities.agent.format.RunTally;
import dev.taskpilot.activities.agent.process.AgentProgress;
import dev.taskpilot.activities.output.OutputLine;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches one run's output: parses its events into a tally, and decides to stop the run when the
 * budget is crossed or the provider keeps refusing the credentials. Fed from the output pump's
 * thread, read from the activity's; the shared state is guarded by this object.
 */
final class AgentRunWatch {
  /** Why the watch asked the run to stop. */
  enum Stop {
    BUDGET,
    AUTH_FAILURES
  }

  private final AgentOutputFormat format;
  private final RunTally tally = new RunTally();
  private final BigDecimal budgetUsd;
  private final BigDecimal spentBeforeUsd;
  private final int authFailureLimit;
  private final AtomicReference<Stop> stop = new AtomicReference<>();
  private String lastEvent;
  private String lastLine = "";
  private long seen;

  AgentRunWatch(
      AgentOutputFormat format,
      BigDecimal budgetUsd,
      BigDecimal spentBeforeUsd,
      int authFailureLimit) {
    this.format = format;
    this.budgetUsd = budgetUsd;
    this.spentBeforeUsd = spentBeforeUsd == null ? BigDecimal.ZERO : spentBeforeUsd;
    this.authFailureLimit = authFailureLimit;
  }

  /** Feeds a batch of stored lines; true when it revealed the agent's session id. */
  synchronized boolean accept(List<OutputLine> lines) {
    boolean hadSession = tally.sessionId() != null;
    long count = lines.size();
    for (OutputLine line : lines) {
      lastLine = line.text();
      for (AgentEvent event : format.parse(line.text())) {
        tally.accept(event);
        lastEvent = event.getClass().getSimpleName();
        // Events are the boundaries where a run may be stopped.
        if (overBudget()) {
          stop.compareAndSet(null, Stop.BUDGET);
        }
        if (authFailureLimit > 0 && tally.consecutiveAuthFailures() >= authFailureLimit) {
          stop.compareAndSet(null, Stop.AUTH_FAILURES);
        }
      }
    }
    seen += count;
    return !hadSession && tally.sessionId() != null;
  }

  /** Whether the run has crossed the budget: earlier runs plus LLM calls plus this run so far. */
  synchronized boolean overBudget() {
    return budgetUsd != null && spentUsd().compareTo(budgetUsd) > 0;
  }

  /** What the task has spent with this run included. */
  synchronized BigDecimal spentUsd() {
    BigDecimal run = tally.costUsd() == null ? BigDecimal.ZERO : tally.costUsd();
    return spentBeforeUsd.add(run);
  }

  Stop stop() {
    return stop.get();
  }

  synchronized RunTally tally() {
    return tally;
  }

  /** Heartbeat details from what the watch has seen itself. */
  synchronized AgentHeartbeat heartbeat() {
    String shortLine = lastLine.length() <= 200 ? lastLine : lastLine.substring(0, 200);
    return new AgentHeartbeat(seen, shortLine, tally.sessionId(), tally.costUsd(), lastEvent);
  }

  synchronized AgentHeartbeat heartbeat(AgentProgress progress) {
    return new AgentHeartbeat(
        progress.lines(), progress.lastLine(), tally.sessionId(), tally.costUsd(), lastEvent);
  }
}
