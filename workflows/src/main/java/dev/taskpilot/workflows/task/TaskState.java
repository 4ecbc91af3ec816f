package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import java.time.Instant;

/**
 * A task's live state, as the workflow knows it. {@code version} grows with every change, so the
 * projection can ignore stale or repeated writes.
 *
 * @param statusReason why the task is in its status (for example the approval gate), or null
 * @param gate the approval gate the task waits at, or null
 */
public record TaskState(
    String taskId,
    long version,
    TaskStatus status,
    String statusReason,
    int priority,
    Instant notBefore,
    TaskPlan plan,
    ApprovalGate gate,
    RunInfo run,
    ResultInfo result,
    ErrorInfo error,
    Instant updatedAt) {}
