package dev.taskpilot.workflows.schedule;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** The options of the schedule activities: short database and engine calls. */
public final class ScheduleActivityOptions {
  private static final RetryOptions UNTIL_DONE =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(30))
          .setMaximumAttempts(0)
          .build();

  /** Starting, asking and recording: retried until PostgreSQL and the engine are back. */
  public static final ActivityOptions DEFAULT =
      ActivityOptions.newBuilder()
          .setTaskQueue(ScheduleWorkflow.TASK_QUEUE)
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(UNTIL_DONE)
          .build();

  /** Cancelling a run waits for the task to end, which may take an agent's kill grace. */
  public static final ActivityOptions CANCEL =
      ActivityOptions.newBuilder(DEFAULT).setStartToCloseTimeout(Duration.ofMinutes(2)).build();

  private ScheduleActivityOptions() {}
}
