package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import io.temporal.workflow.Workflow;
import java.math.BigDecimal;

/**
 * Where a task waits for a person: the approval gates before the run and before publishing, the
 * budget gate, and the agent's questions. Each wait costs nothing (a condition on the commands
 * received); a cancel or a rejection ends the task with {@link TaskEnded}. Workflow code only.
 */
final class ApprovalGates {
  static final String BUDGET_EXCEEDED = "BUDGET_EXCEEDED";
  private static final int MAX_REASON = 1000;

  private final TaskContext task;

  ApprovalGates(TaskContext task) {
    this.task = task;
  }

  /** Waits for a human decision when the gate is on. */
  void pass(ApprovalGate candidate, boolean required) {
    task.throwIfCancelled();
    if (!required) {
      return;
    }
    String words =
        candidate == ApprovalGate.BEFORE_RUN ? "before the agent runs" : "before publishing";
    awaitDecision(
        candidate, "approval " + candidate.name().toLowerCase(), "Approval needed " + words);
  }

  /** Waits for approval of a larger budget. */
  void awaitMoreBudget(BigDecimal spent) {
    task.progress.budgetSpent = spent;
    awaitDecision(
        ApprovalGate.BUDGET,
        BUDGET_EXCEEDED,
        "Budget of "
            + task.progress.budget
            + " USD exceeded (spent "
            + spent
            + " USD); approve more to go on");
  }

  /** Waits for the human's answer to the agent's question, and returns it. */
  String awaitAnswer(String question) {
    task.commands.askQuestion();
    String asked = question == null ? "" : question.strip();
    task.record(
        TaskStatus.WAITING_FOR_INPUT,
        asked.length() <= MAX_REASON ? asked : asked.substring(0, MAX_REASON));
    task.notifier.send(NotifyEvent.WAITING_FOR_INPUT, "The agent asks: " + asked);
    Workflow.await(() -> task.commands.answer() != null || task.cancelled());
    task.throwIfCancelled();
    return task.commands.answer();
  }

  /** An approval that names a budget makes it the task's budget. */
  private void awaitDecision(ApprovalGate at, String reason, String message) {
    TaskProgress progress = task.progress;
    progress.gate = at;
    progress.gateNumber++;
    task.commands.openGate();
    try {
      task.record(TaskStatus.AWAITING_APPROVAL, reason);
      task.notifier.send(NotifyEvent.AWAITING_APPROVAL, message);
      Workflow.await(() -> task.commands.decision() != null || task.cancelled());
    } finally {
      // Also when Temporal's cancel interrupted the write or the wait.
      progress.gate = null;
    }
    task.throwIfCancelled();
    TaskCommands.Decision decision = task.commands.decision();
    if (!decision.approved()) {
      throw TaskEnded.rejected(decision.comment());
    }
    if (decision.budgetUsd() != null) {
      progress.budget = decision.budgetUsd();
    }
  }
}
