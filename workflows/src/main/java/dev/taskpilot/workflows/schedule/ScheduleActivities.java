package dev.taskpilot.workflows.schedule;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.time.Instant;
import java.util.List;

/** What a schedule workflow does outside itself: start tasks, ask about them, record its state. */
@ActivityInterface
public interface ScheduleActivities {

  /**
   * Starts one scheduled run: in one transaction, stores the task row from the schedule's task
   * template (insert-if-absent, by the start's task id), copies the schedule's secrets to the task
   * and records the run; then starts the task's workflow (workflow id = task id) unless the task
   * has already ended. Idempotent: a retry, a replay or a restart starts no second task. Raises
   * only transient failures (database or engine away), retried until they pass.
   */
  @ActivityMethod(name = "StartScheduledTask")
  void start(ScheduledStart start);

  /**
   * Records fire times that started no task, with the reason. Idempotent (a fire time already
   * recorded is left as it is).
   */
  @ActivityMethod(name = "RecordSkippedFires")
  void recordSkipped(String scheduleId, List<Instant> fireTimes, SkipReason reason);

  /**
   * Records as {@link SkipReason#MISSED} every fire time in the range (at most the newest 10,000),
   * computing them from the cron expression. Idempotent. Returns how many fire times the range
   * held.
   */
  @ActivityMethod(name = "RecordMissedFires")
  int recordMissed(MissedFires missed);

  /**
   * Whether the task is still going: its projected status is not terminal. An unknown task is not.
   * Read-only.
   */
  @ActivityMethod(name = "IsTaskActive")
  boolean isActive(String taskId);

  /**
   * Cancels a task through its {@code cancel} Update and returns once it has ended. A task that has
   * ended already, or can no longer be cancelled (it is publishing), is left as it is.
   */
  @ActivityMethod(name = "CancelScheduledTask")
  void cancel(String taskId, String reason);

  /**
   * Writes the schedule's state into its {@code schedules} row. Idempotent and order-safe: a state
   * whose version is not newer than the stored one changes nothing.
   */
  @ActivityMethod(name = "RecordScheduleState")
  void record(ScheduleState state);
}
