package dev.taskpilot.activities.schedule;

import dev.taskpilot.workflows.TaskQueues;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import jakarta.inject.Singleton;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts and cancels the task workflows schedules own. */
@Singleton
public class ScheduledTaskEngine {
  private static final Logger log = LoggerFactory.getLogger(ScheduledTaskEngine.class);

  private final WorkflowClient client;

  public ScheduledTaskEngine(WorkflowClient client) {
    this.client = client;
  }

  /** Starts the task's workflow, as the API does; one that was started already is success. */
  public void start(TaskInput input) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(WorkflowIds.task(input.taskId()))
            .setTaskQueue(TaskQueues.WORKFLOWS)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .setMemo(Map.of("title", input.title()))
            .setStaticSummary(input.title())
            .build();
    try {
      WorkflowClient.start(client.newWorkflowStub(TaskWorkflow.class, options)::run, input);
    } catch (WorkflowExecutionAlreadyStarted e) {
      log.info("task {} was already started", input.taskId());
    }
  }

  /** Cancels a task and waits for its end; a task that ended or cannot be cancelled is left. */
  public void cancel(String taskId, String reason) {
    try {
      client.newWorkflowStub(TaskWorkflow.class, WorkflowIds.task(taskId)).cancel(reason);
    } catch (WorkflowUpdateException | WorkflowNotFoundException e) {
      log.info("task {} was not cancelled: {}", taskId, e.getMessage());
    }
  }
}
