package dev.taskpilot.workflows.schedule;

import io.temporal.workflow.WorkflowInit;

/**
 * A deliberately incompatible schedule workflow for the replay test: it reads every cron as "at
 * minute 15", so its fires (and task ids) differ from the recorded ones.
 */
public class ShiftedScheduleWorkflowImpl extends ScheduleWorkflowImpl {
  @WorkflowInit
  public ShiftedScheduleWorkflowImpl(ScheduleInput input) {
    super(shifted(input));
  }

  private static ScheduleInput shifted(ScheduleInput input) {
    ScheduleSpec spec = input.spec();
    ScheduleSpec shifted =
        new ScheduleSpec("15 * * * *", spec.timeZone(), spec.overlap(), spec.catchupWindow());
    return new ScheduleInput(
        input.scheduleId(),
        shifted,
        input.paused(),
        input.handledUntil(),
        input.lastFireTime(),
        input.lastTaskId(),
        input.bufferedFire(),
        input.triggers(),
        input.version());
  }
}
