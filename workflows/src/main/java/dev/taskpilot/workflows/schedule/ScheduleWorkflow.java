package dev.taskpilot.workflows.schedule;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One schedule: sleeps on a durable timer until its next fire time, starts the task (or skips the
 * fire, following the overlap policy), and catches up on fires it missed while down. Commands are
 * Updates; each returns once the changed state is in PostgreSQL. A deleted schedule refuses every
 * command with {@code INVALID_STATE}.
 */
@WorkflowInterface
public interface ScheduleWorkflow {
  /**
   * The task queue of schedule workflows and their activities: apart from the task workflows, so a
   * burst of fires never waits behind the planning and projection work of the runs it started.
   */
  String TASK_QUEUE = "taskpilot-schedules";

  /** Runs the schedule until it is deleted, continuing as new every so many fires. */
  @WorkflowMethod(name = "Schedule")
  ScheduleState run(ScheduleInput input);

  /** The schedule's live state. */
  @QueryMethod
  ScheduleState state();

  /**
   * Replaces when and how the schedule fires, and whether it is paused. Fire times of the new spec
   * before now are not caught up. Refused ({@code VALIDATION_FAILED}) for an invalid spec.
   */
  @UpdateMethod
  ScheduleState update(ScheduleSpec spec, boolean paused);

  @UpdateValidatorMethod(updateName = "update")
  void validateUpdate(ScheduleSpec spec, boolean paused);

  /** Stops firing until {@link #resume()}; manual triggers still work. Idempotent. */
  @UpdateMethod
  ScheduleState pause();

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause();

  /** Fires again from now on; fire times that came while paused are not caught up. Idempotent. */
  @UpdateMethod
  ScheduleState resume();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  /**
   * Starts a run now, paused or not and whatever the overlap policy, and returns its task id
   * ({@code <schedule-id>-manual-<n>}).
   */
  @UpdateMethod
  String trigger();

  @UpdateValidatorMethod(updateName = "trigger")
  void validateTrigger();

  /** Ends the schedule: no further runs; tasks it started go on. */
  @UpdateMethod
  ScheduleState delete();

  @UpdateValidatorMethod(updateName = "delete")
  void validateDelete();
}
