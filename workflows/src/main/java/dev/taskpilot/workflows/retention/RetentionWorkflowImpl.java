package dev.taskpilot.workflows.retention;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * The retention sweep on Temporal's deterministic APIs: a durable timer, batches, continue-as-new.
 */
public class RetentionWorkflowImpl implements RetentionWorkflow {
  private static final Logger log = Workflow.getLogger(RetentionWorkflowImpl.class);

  /** Sweeps of one run before it continues as new. */
  static final int SWEEPS_PER_RUN = 50;

  /**
   * History events one run may grow to before it continues as new (about six per batch; Temporal's
   * limit is 51,200): a sweep that reaches it stops and the next run goes on at once.
   */
  static final int HISTORY_LIMIT = 2_000;

  private final RetentionActivities activities =
      Workflow.newActivityStub(RetentionActivities.class, RetentionActivityOptions.DELETE_BATCH);
  private RetentionSettings settings;
  private Instant nextSweep;
  private RetentionSweep lastSweep;
  private int sweepsThisRun;
  private long sweepsStarted;
  private long sweepsEnded;
  private boolean requested;
  // Counts configure signals, so the sleep wakes when one arrives.
  private long configurations;

  @WorkflowInit
  public RetentionWorkflowImpl(RetentionInput input) {
    settings = input.settings();
    nextSweep = input.nextSweep() != null ? input.nextSweep() : now();
  }

  @Override
  public void run(RetentionInput input) {
    while (true) {
      sleepUntilDue();
      RetentionSweep sweep = sweep();
      boolean stoppedEarly = !sweep.complete() && sweep.failure() == null;
      nextSweep = stoppedEarly ? now() : now().plus(settings.interval());
      sweepsThisRun++;
      if (stoppedEarly || sweepsThisRun >= SWEEPS_PER_RUN || historyIsLong()) {
        // A sweep asked for meanwhile runs first: its Update waits for it.
        Workflow.await(() -> requested || Workflow.isEveryHandlerFinished());
        if (!requested) {
          Workflow.continueAsNew(new RetentionInput(settings, nextSweep));
        }
      }
    }
  }

  private void sleepUntilDue() {
    while (!requested) {
      Duration wait = Duration.between(now(), nextSweep);
      if (!wait.isPositive()) {
        return;
      }
      long seen = configurations;
      Workflow.await(wait, () -> requested || configurations != seen);
    }
  }

  /** Deletes batch after batch with the cutoffs of now, until one comes back complete. */
  private RetentionSweep sweep() {
    sweepsStarted++;
    requested = false;
    Instant start = now();
    RetentionRequest request =
        new RetentionRequest(
            settings.keepsTasksForever() ? null : start.minus(settings.keepTasks()),
            start.minus(settings.keepSecrets()),
            settings.batchSize());
    RetentionSweep sweep = RetentionSweep.begun(start);
    try {
      RetentionBatch batch;
      do {
        batch = activities.deleteBatch(request);
        sweep = sweep.plus(batch, now());
      } while (!batch.complete() && !historyIsLong());
    } catch (ActivityFailure e) {
      String why = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
      log.warn("retention sweep stopped after {} batch(es): {}", sweep.batches(), why);
      sweep = sweep.failed(why, now());
    }
    if (sweep.deletedAnything()) {
      log.info(
          "retention sweep deleted {} finished task(s) ({} output lines), {} LLM call(s), {} other"
              + " row(s); purged the secrets of {} ended task(s)",
          sweep.tasks(),
          sweep.outputLines(),
          sweep.llmCalls(),
          sweep.otherRows(),
          sweep.secretsPurged());
    }
    lastSweep = sweep;
    sweepsEnded++;
    return sweep;
  }

  private static boolean historyIsLong() {
    WorkflowInfo info = Workflow.getInfo();
    return info.getHistoryLength() > HISTORY_LIMIT || info.isContinueAsNewSuggested();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  // ---- signal, update, query ----

  @Override
  public void configure(RetentionSettings changed) {
    if (!changed.interval().equals(settings.interval())) {
      Instant sooner = now().plus(changed.interval());
      if (sooner.isBefore(nextSweep)) {
        nextSweep = sooner;
      }
    }
    settings = changed;
    configurations++;
  }

  @Override
  public RetentionSweep sweepNow() {
    long ticket = sweepsStarted + 1;
    requested = true;
    Workflow.await(() -> sweepsEnded >= ticket);
    return lastSweep;
  }

  @Override
  public RetentionState state() {
    return new RetentionState(settings, nextSweep, lastSweep);
  }
}
