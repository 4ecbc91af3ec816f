package dev.taskpilot.workflows.client;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.Functions;
import java.util.Map;

/** What {@link TaskStarts} and {@link ScheduleStarts} share: a workflow id is started once. */
final class StartOnce {
  private StartOnce() {}

  /**
   * Options for a workflow whose id is never reused, with a memo entry and a summary for the
   * Temporal Web UI.
   */
  static WorkflowOptions options(
      String workflowId, String taskQueue, String memoKey, String memo, String summary) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(workflowId)
        .setTaskQueue(taskQueue)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setMemo(Map.of(memoKey, memo))
        .setStaticSummary(summary)
        .build();
  }

  /** Starts the workflow; false when one of its id was started already. */
  static <A, R> boolean start(Functions.Func1<A, R> workflowMethod, A input) {
    try {
      WorkflowClient.start(workflowMethod, input);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }
}
