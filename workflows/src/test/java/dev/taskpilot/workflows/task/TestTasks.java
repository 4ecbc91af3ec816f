package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.agent.AgentOutcome;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Task inputs, plans and agent results for workflow tests. */
final class TestTasks {
  static final String TASK_ID = "task-1";
  static final String TITLE = "Summarise the changelog";
  static final String PROMPT = "Summarise CHANGES.md for the release notes";
  static final String INSTRUCTIONS = "Read CHANGES.md and write a five-line summary";
  static final int PLAN_PRIORITY = 3;
  static final String RESULT_TEXT = "\nSummary written to NOTES.md\n";
  static final String RESULT_SUMMARY = "Summary written to NOTES.md";
  static final BigDecimal COST = new BigDecimal("0.42");
  static final String SESSION_ID = "session-7";
  static final long OUTPUT_LINES = 17;
  static final String NTFY_SERVER = "https://ntfy.example.org";
  static final String NTFY_TOPIC = "tasks";

  private TestTasks() {}

  static Builder task() {
    return new Builder();
  }

  /** The plan the mocked planner answers: start now, or later when the user fixed a slot. */
  static TaskPlan plan(Instant start, boolean needsApproval) {
    return new TaskPlan(
        PLAN_PRIORITY,
        start,
        10,
        needsApproval,
        needsApproval ? "touches the release branch" : null,
        INSTRUCTIONS,
        "small documentation task",
        PlanSource.LLM);
  }

  /** What the mocked agent answers, ending at {@code endedAt}. */
  static AgentRunResult agentResult(Instant endedAt) {
    return new AgentRunResult(
        1, 0, endedAt.minusSeconds(60), endedAt, OUTPUT_LINES, RESULT_TEXT, COST, SESSION_ID);
  }

  /**
   * A run that stopped before completing (parked, over budget, or with a question), having spent
   * 0.30 USD in session {@code session-9}.
   */
  static AgentRunResult stopped(
      Instant now, AgentOutcome outcome, Instant parkedUntil, String question) {
    return new AgentRunResult(
        1,
        0,
        now,
        now,
        3,
        "partial",
        new BigDecimal("0.30"),
        "session-9",
        outcome,
        parkedUntil,
        question,
        1);
  }

  static PublishTarget.File file(String path) {
    return new PublishTarget.File(path);
  }

  /** A {@link TaskInput} with the fields a test cares about; the rest are fixed. */
  static final class Builder {
    private Integer priority;
    private Instant notBefore;
    private Boolean approveBeforeRun;
    private Boolean approveBeforePublish;
    private List<PublishTarget> publish = List.of();
    private List<NotifyEvent> notifyEvents;
    private BigDecimal budgetUsd;
    private List<NotifyTarget> channels;

    /** The channels to notify, instead of the one ntfy topic of {@link #notifyOn}. */
    Builder channels(NotifyTarget... targets) {
      channels = List.of(targets);
      return this;
    }

    Builder budgetUsd(String value) {
      budgetUsd = new BigDecimal(value);
      return this;
    }

    Builder priority(int value) {
      priority = value;
      return this;
    }

    Builder notBefore(Instant value) {
      notBefore = value;
      return this;
    }

    Builder approveBeforeRun(boolean value) {
      approveBeforeRun = value;
      return this;
    }

    Builder approveBeforePublish(boolean value) {
      approveBeforePublish = value;
      return this;
    }

    Builder publish(PublishTarget... targets) {
      publish = List.of(targets);
      return this;
    }

    Builder notifyOn(NotifyEvent... events) {
      notifyEvents = List.of(events);
      return this;
    }

    TaskInput build() {
      return new TaskInput(
          TASK_ID,
          "owner-1",
          TITLE,
          PROMPT,
          "claude",
          "docs-repo",
          priority,
          notBefore,
          "release 1.4",
          List.of("docs"),
          new ApprovalPolicy(approveBeforeRun, approveBeforePublish),
          publish,
          null,
          Duration.ofMinutes(30),
          budgetUsd,
          channels != null
              ? channels
              : List.of(new NotifyTarget.Ntfy(NTFY_SERVER, NTFY_TOPIC, false, notifyEvents)));
    }
  }
}
