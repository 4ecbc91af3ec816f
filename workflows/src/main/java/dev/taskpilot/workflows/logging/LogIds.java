package dev.taskpilot.workflows.logging;

import java.util.List;

/**
 * The MDC keys of the correlation ids every log line carries where they apply (JSON logs write each
 * as a field). The SDK adds its own capitalised keys besides ({@code WorkflowId}, {@code RunId},
 * {@code WorkflowType}, {@code ActivityType}, {@code Attempt}, ...), on workflow threads too.
 */
public final class LogIds {
  public static final String REQUEST_ID = "requestId";
  public static final String TASK_ID = "taskId";
  public static final String WORKFLOW_ID = "workflowId";
  public static final String RUN_ID = "runId";
  public static final String ACTIVITY_TYPE = "activityType";
  public static final String ATTEMPT = "attempt";

  /** The keys an activity execution sets (and clears after). */
  static final List<String> ACTIVITY_KEYS =
      List.of(REQUEST_ID, TASK_ID, WORKFLOW_ID, RUN_ID, ACTIVITY_TYPE, ATTEMPT);

  private LogIds() {}
}
