package dev.taskpilot.workflows.client;

import dev.taskpilot.workflows.retention.RetentionInput;
import dev.taskpilot.workflows.retention.RetentionSettings;
import dev.taskpilot.workflows.retention.RetentionWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * Starting the retention workflow, or telling the running one its settings, as every process that
 * serves the API does when it starts. Client code, not workflow code.
 */
public final class RetentionStarts {
  private RetentionStarts() {}

  /**
   * Starts the retention workflow unless it runs, and sends it the settings either way, in one call
   * (signal-with-start): idempotent, and a changed interval reaches the running workflow. A
   * workflow that ended (terminated in the Web UI, say) is started again. Engine failures are
   * thrown.
   */
  public static void ensure(WorkflowClient client, RetentionSettings settings) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(RetentionWorkflow.WORKFLOW_ID)
            .setTaskQueue(RetentionWorkflow.TASK_QUEUE)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setStaticSummary(summary(settings))
            .build();
    RetentionWorkflow workflow = client.newWorkflowStub(RetentionWorkflow.class, options);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(workflow::run, new RetentionInput(settings, null));
    request.add(workflow::configure, settings);
    client.signalWithStart(request);
  }

  private static String summary(RetentionSettings settings) {
    String tasks =
        settings.keepsTasksForever()
            ? "keeps finished tasks"
            : "deletes finished tasks " + settings.keepTasks() + " after they ended";
    return "Retention: " + tasks + ", every " + settings.interval();
  }
}
