package dev.taskpilot.activities.slots;

import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.task.TaskWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Signals {@code SlotGranted} to the task's workflow. */
@Singleton
public class TemporalSlotGrantNotice implements SlotGrantNotice {
  private static final Logger log = LoggerFactory.getLogger(TemporalSlotGrantNotice.class);
  private final WorkflowClient client;

  public TemporalSlotGrantNotice(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public boolean tell(SlotGrant grant) {
    try {
      client
          .newUntypedWorkflowStub(WorkflowIds.task(grant.taskId()))
          .signal(TaskWorkflow.SLOT_GRANTED, grant.claim());
      return true;
    } catch (WorkflowNotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      log.warn(
          "could not tell task {} that its agent slot was granted ({}); its grant lapses after"
              + " the slot lease and the task claims again",
          grant.taskId(),
          e.toString());
      return true;
    }
  }
}
