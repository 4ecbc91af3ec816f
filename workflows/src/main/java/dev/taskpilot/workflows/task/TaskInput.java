package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything a task workflow starts from: the validated request. Secrets never travel in here.
 *
 * @param priority user-fixed priority, or null for the planner's
 * @param notBefore user-fixed earliest start, or null for the planner's slot
 * @param timeout the longest one agent run may take
 * @param budgetUsd the cost budget for agent and LLM together, or null for none
 * @param notifyEvents the events the server log hears about (and, in histories from before
 *     per-channel notifications, the only notification there was)
 * @param channels the notify channels the task names, each with its own events
 * @param carried the state a continued run goes on from (continue-as-new), or null for a new task
 */
public record TaskInput(
    String taskId,
    String owner,
    String title,
    String prompt,
    String agent,
    String workspace,
    Integer priority,
    Instant notBefore,
    String context,
    List<String> labels,
    ApprovalPolicy approval,
    List<PublishTarget> publish,
    List<NotifyEvent> notifyEvents,
    Duration timeout,
    BigDecimal budgetUsd,
    List<NotifyTarget> channels,
    TaskCarry carried) {

  /** A new task's input: nothing carried. */
  public TaskInput(
      String taskId,
      String owner,
      String title,
      String prompt,
      String agent,
      String workspace,
      Integer priority,
      Instant notBefore,
      String context,
      List<String> labels,
      ApprovalPolicy approval,
      List<PublishTarget> publish,
      List<NotifyEvent> notifyEvents,
      Duration timeout,
      BigDecimal budgetUsd,
      List<NotifyTarget> channels) {
    this(
        taskId,
        owner,
        title,
        prompt,
        agent,
        workspace,
        priority,
        notBefore,
        context,
        labels,
        approval,
        publish,
        notifyEvents,
        timeout,
        budgetUsd,
        channels,
        null);
  }

  /** The same input, carrying {@code carry} into a continued run. */
  public TaskInput carrying(TaskCarry carry) {
    return new TaskInput(
        taskId,
        owner,
        title,
        prompt,
        agent,
        workspace,
        priority,
        notBefore,
        context,
        labels,
        approval,
        publish,
        notifyEvents,
        timeout,
        budgetUsd,
        channels,
        carry);
  }

  public TaskInput {
    labels = labels == null ? List.of() : List.copyOf(labels);
    approval = approval == null ? ApprovalPolicy.UNSET : approval;
    publish = publish == null ? List.of() : List.copyOf(publish);
    notifyEvents = notifyEvents == null ? NotifyEvent.DEFAULTS : List.copyOf(notifyEvents);
    channels = channels == null ? List.of() : List.copyOf(channels);
  }
}
