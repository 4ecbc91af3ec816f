package dev.taskpilot.workflows.retention;

import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The retention sweep: one long-running workflow (id {@value #WORKFLOW_ID}) that sleeps on a
 * durable timer until the next sweep is due, then deletes in batches until a batch comes back
 * short, and continues as new every so often. Sweeps never overlap: a sweep that is due while one
 * runs waits for it. Not a Temporal Schedule: the embedded engine of {@code dev} (the SDK's test
 * server) has no Schedules API.
 */
@WorkflowInterface
public interface RetentionWorkflow {
  /** The one retention workflow of a namespace. */
  String WORKFLOW_ID = "taskpilot-retention";

  /** Housekeeping runs beside the schedules, apart from the task workflows. */
  String TASK_QUEUE = ScheduleWorkflow.TASK_QUEUE;

  /** Sweeps every interval, for ever. */
  @WorkflowMethod(name = "Retention")
  void run(RetentionInput input);

  /**
   * New settings (sent at every start of an API process, with the workflow's start when it is not
   * running). A shorter interval brings the next sweep forward; the new ages apply from the next
   * sweep.
   */
  @SignalMethod
  void configure(RetentionSettings settings);

  /**
   * Sweeps now (after the sweep that runs, if one does) and answers what that sweep deleted. The
   * timer to the next sweep starts again after it.
   */
  @UpdateMethod
  RetentionSweep sweepNow();

  @QueryMethod
  RetentionState state();
}
