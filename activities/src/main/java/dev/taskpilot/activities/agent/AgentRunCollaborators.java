package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import dev.taskpilot.activities.output.OutputListeners;
import dev.taskpilot.activities.slots.AgentSlots;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.store.AgentSessionRepository;
import dev.taskpilot.store.DatabaseOutage;
import dev.taskpilot.store.LlmCallRepository;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent run uses besides the runner: worktrees, the slot lease, the output listeners, the
 * LLM ledger's cost and the output sink for notes of its own.
 */
@Singleton
public class AgentRunCollaborators {
  private static final Logger log = LoggerFactory.getLogger(AgentRunCollaborators.class);
  private final Worktrees worktrees;
  private final AgentSlots slots;
  private final OutputListeners output;
  private final LlmCallRepository llmCalls;
  private final AgentOutputSink sink;
  private final AgentSessionRepository sessions;

  public AgentRunCollaborators(
      Worktrees worktrees,
      AgentSlots slots,
      OutputListeners output,
      LlmCallRepository llmCalls,
      AgentOutputSink sink,
      AgentSessionRepository sessions) {
    this.worktrees = worktrees;
    this.slots = slots;
    this.output = output;
    this.llmCalls = llmCalls;
    this.sink = sink;
    this.sessions = sessions;
  }

  Worktrees worktrees() {
    return worktrees;
  }

  AgentSlots slots() {
    return slots;
  }

  OutputListeners output() {
    return output;
  }

  /**
   * Records the agent session the run has reached, so that a task restarted from PostgreSQL can go
   * on with it; best effort (the run's result carries the session too).
   */
  void rememberSession(String taskId, String sessionId) {
    if (sessionId == null) {
      return;
    }
    try {
      sessions.remember(taskId, sessionId, Instant.now());
    } catch (RuntimeException e) {
      log.warn("could not record the agent session of task {}: {}", taskId, e.getMessage());
    }
  }

  /** What the task's LLM calls cost so far; an outage of PostgreSQL is waited out. */
  BigDecimal llmCost(String taskId, Runnable beat) {
    return DatabaseOutage.waitOut(
        "read the LLM cost of task " + taskId,
        DatabaseOutage.DEFAULT_WAIT,
        () -> llmCalls.costOfTask(taskId),
        beat);
  }

  /**
   * The answer with the number of output lines the whole task has stored, over all its runs; an
   * outage of PostgreSQL is waited out.
   */
  dev.taskpilot.workflows.activities.agent.AgentRunResult withTaskLines(
      dev.taskpilot.workflows.activities.agent.AgentRunResult run, String taskId, Runnable beat) {
    long lines =
        DatabaseOutage.waitOut(
            "count the output lines of task " + taskId,
            DatabaseOutage.DEFAULT_WAIT,
            () -> sink.lastLineNumber(taskId),
            beat);
    return new dev.taskpilot.workflows.activities.agent.AgentRunResult(
        run.attempt(),
        run.exitCode(),
        run.startedAt(),
        run.endedAt(),
        lines,
        run.resultText(),
        run.costUsd(),
        run.sessionId(),
        run.outcome(),
        run.parkedUntil(),
        run.question(),
        run.turns());
  }

  /**
   * Adds a line of Taskpilot's own to the task's output; an outage of PostgreSQL is waited out (a
   * repeated write stores the line once).
   */
  void note(String taskId, int attempt, String text, Runnable beat) {
    DatabaseOutage.waitOut(
        "note in the output of task " + taskId,
        DatabaseOutage.DEFAULT_WAIT,
        () -> {
          long number = sink.lastLineNumber(taskId) + 1;
          sink.append(taskId, attempt, List.of(new OutputLine(number, text, Instant.now())));
        },
        beat);
  }
}
