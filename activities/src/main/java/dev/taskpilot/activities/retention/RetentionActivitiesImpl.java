package dev.taskpilot.activities.retention;

import dev.taskpilot.store.RetentionCounts;
import dev.taskpilot.store.RetentionStore;
import dev.taskpilot.workflows.retention.RetentionActivities;
import dev.taskpilot.workflows.retention.RetentionBatch;
import dev.taskpilot.workflows.retention.RetentionRequest;
import jakarta.inject.Singleton;

/** One retention batch, one transaction, on PostgreSQL. */
@Singleton
public class RetentionActivitiesImpl implements RetentionActivities {
  private final RetentionStore store;

  public RetentionActivitiesImpl(RetentionStore store) {
    this.store = store;
  }

  @Override
  public RetentionBatch deleteBatch(RetentionRequest request) {
    RetentionCounts counts =
        store.deleteBatch(request.endedBefore(), request.secretsEndedBefore(), request.batchSize());
    return new RetentionBatch(
        counts.tasks(),
        counts.outputLines(),
        counts.taskLlmCalls() + counts.untiedLlmCalls(),
        counts.secretsPurged(),
        counts.conversations() + counts.skippedRuns() + counts.schedules(),
        counts.complete());
  }
}
