package dev.taskpilot.workflows.retention;

import java.time.Instant;

/**
 * What one sweep (batches until one came back complete) deleted.
 *
 * @param startedAt when it began; its cutoffs are counted back from here
 * @param endedAt when its last batch returned
 * @param batches how many batches it ran
 * @param tasks finished tasks deleted with all their rows
 * @param outputLines their output lines
 * @param llmCalls LLM calls of those tasks and of no task
 * @param secretsPurged tasks whose leftover secrets were purged
 * @param otherRows idle chat conversations, skipped schedule fire times and deleted schedules
 * @param complete whether everything due was deleted; false when the sweep stopped early (to
 *     continue as new, or after a failure)
 * @param failure why the sweep stopped, when a batch failed for good; null otherwise
 */
public record RetentionSweep(
    Instant startedAt,
    Instant endedAt,
    int batches,
    int tasks,
    long outputLines,
    int llmCalls,
    int secretsPurged,
    int otherRows,
    boolean complete,
    String failure) {

  static RetentionSweep begun(Instant at) {
    return new RetentionSweep(at, at, 0, 0, 0, 0, 0, 0, false, null);
  }

  RetentionSweep plus(RetentionBatch batch, Instant at) {
    return new RetentionSweep(
        startedAt,
        at,
        batches + 1,
        tasks + batch.tasks(),
        outputLines + batch.outputLines(),
        llmCalls + batch.llmCalls(),
        secretsPurged + batch.secretsPurged(),
        otherRows + batch.otherRows(),
        batch.complete(),
        null);
  }

  RetentionSweep failed(String why, Instant at) {
    return new RetentionSweep(
        startedAt, at, batches, tasks, outputLines, llmCalls, secretsPurged, otherRows, false, why);
  }

  /** Whether it deleted anything at all. */
  boolean deletedAnything() {
    return tasks + outputLines + llmCalls + secretsPurged + otherRows > 0;
  }
}
