package dev.taskpilot.workflows.retention;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** The options of the retention batch: one short transaction each. */
public final class RetentionActivityOptions {

  /**
   * A batch that fails (PostgreSQL away, a lock held long) is retried 10 s, 20 s, 40 s, ... up to 5
   * min apart, 8 attempts in all (about 15 minutes); then the sweep stops and the next one runs an
   * interval later.
   */
  public static final ActivityOptions DELETE_BATCH =
      ActivityOptions.newBuilder()
          .setTaskQueue(RetentionWorkflow.TASK_QUEUE)
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(10))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(5))
                  .setMaximumAttempts(8)
                  .build())
          .build();

  private RetentionActivityOptions() {}
}
