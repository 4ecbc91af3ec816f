package dev.taskpilot.workflows.activities.planning;

import java.time.Instant;

/**
 * What the planner reads. User-fixed fields ({@code priority}, {@code notBefore}, {@code
 * approvalBeforeRun}) are null when the user left them to the planner.
 */
public record PlanRequest(
    String taskId,
    String owner,
    String title,
    String prompt,
    String context,
    Integer priority,
    Instant notBefore,
    Boolean approvalBeforeRun,
    Instant now) {}
