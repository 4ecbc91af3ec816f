package dev.taskpilot.activities.schedule;

import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.client.TaskStarts;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import jakarta.inject.Singleton;
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
    if (!TaskStarts.start(client, input)) {
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
