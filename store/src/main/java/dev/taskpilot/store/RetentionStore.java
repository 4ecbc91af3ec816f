package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;

/**
 * Deletes what outlived its retention, one bounded batch per transaction, so a sweep never holds
 * locks for long: at most {@code limit} finished tasks (with all their rows) and {@code limit} rows
 * of each other kind. A caller repeats batches until one comes back {@link
 * RetentionCounts#complete() complete}. Active tasks, standing context and live schedules (with
 * their manual runs and secrets) are never touched.
 */
@Singleton
public class RetentionStore {
  /**
   * Output lines deleted per task of the batch size in one transaction: a batch of tasks whose
   * output is larger has its output deleted over several batches first (a task may hold up to the
   * output cap, 32 MB), and the task rows in the batch after.
   */
  public static final int OUTPUT_LINES_PER_TASK = 100;

  private final RetentionRepository rows;

  public RetentionStore(RetentionRepository rows) {
    this.rows = rows;
  }

  /**
   * Deletes one batch.
   *
   * @param endedBefore finished tasks that ended before this go with all their rows, and so do the
   *     rows tied to no task older than it (the chat's LLM calls, idle chat conversations, skipped
   *     schedule fire times, schedules deleted before it); null keeps them all
   * @param secretsEndedBefore secrets of finished tasks that ended before this are purged, for
   *     tasks whose workflow ended without purging them (those started before it did)
   * @param limit the batch size
   */
  @Transactional
  public RetentionCounts deleteBatch(
      @Nullable Instant endedBefore, Instant secretsEndedBefore, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the batch size must be positive: " + limit);
    }
    List<String> withSecrets = rows.findEndedWithSecrets(secretsEndedBefore, limit);
    if (!withSecrets.isEmpty()) {
      rows.deleteSecretsOfTasks(withSecrets);
    }
    boolean secretsDone = withSecrets.size() < limit;
    if (endedBefore == null) {
      return new RetentionCounts(0, 0, 0, withSecrets.size(), 0, 0, 0, 0, secretsDone);
    }
    List<String> ended = rows.findEnded(endedBefore, limit);
    int tasks = 0;
    int taskLlmCalls = 0;
    long outputLines = 0;
    boolean outputLeft = false;
    if (!ended.isEmpty()) {
      int outputLimit = limit * OUTPUT_LINES_PER_TASK;
      outputLines = rows.deleteOutput(ended, outputLimit);
      outputLeft = outputLines >= outputLimit;
      if (!outputLeft) {
        taskLlmCalls = rows.deleteLlmCallsOfTasks(ended);
        rows.deleteSlotsOfTasks(ended);
        rows.deleteCronRunsOfTasks(ended);
        tasks = rows.deleteTasks(ended);
      }
    }
    int untiedLlmCalls = rows.deleteUntiedLlmCalls(endedBefore, limit);
    int conversations = rows.deleteIdleConversations(endedBefore, limit);
    int skippedRuns = rows.deleteSkippedRuns(endedBefore, limit);
    int schedules = rows.deleteDeletedSchedules(endedBefore, limit);
    boolean complete =
        secretsDone
            && ended.size() < limit
            && !outputLeft
            && untiedLlmCalls < limit
            && conversations < limit
            && skippedRuns < limit
            && schedules < limit;
    return new RetentionCounts(
        tasks,
        outputLines,
        taskLlmCalls,
        withSecrets.size(),
        untiedLlmCalls,
        conversations,
        skippedRuns,
        schedules,
        complete);
  }
}
