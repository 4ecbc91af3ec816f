package dev.taskpilot.workflows.retention;

import java.time.Duration;
import java.util.Objects;

/**
 * What the retention sweep keeps, and how often it runs; from {@code taskpilot.retention.*}.
 *
 * @param interval how often the sweep runs
 * @param keepTasks how long a finished task (with all its rows) is kept after it ended, and the
 *     rows tied to no task after they were written; null keeps them for ever
 * @param keepSecrets how long the secrets of a finished task whose workflow did not purge them (one
 *     started before it did so) are kept after it ended: longer than its final notifications take
 * @param batchSize finished tasks (and rows of each other kind) deleted per transaction
 */
public record RetentionSettings(
    Duration interval, Duration keepTasks, Duration keepSecrets, int batchSize) {

  public RetentionSettings {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(keepSecrets, "keepSecrets");
    if (!interval.isPositive() || !keepSecrets.isPositive()) {
      throw new IllegalArgumentException("the interval and the secrets' age must be positive");
    }
    if (keepTasks != null && !keepTasks.isPositive()) {
      throw new IllegalArgumentException("keepTasks must be positive, or null to keep tasks");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("the batch size must be positive: " + batchSize);
    }
  }

  /** Whether finished tasks are ever deleted. */
  public boolean keepsTasksForever() {
    return keepTasks == null;
  }
}
