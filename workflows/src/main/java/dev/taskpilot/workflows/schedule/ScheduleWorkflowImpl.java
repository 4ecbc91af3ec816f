package dev.taskpilot.workflows.schedule;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.ProjectionWriter;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/** A schedule on Temporal's deterministic APIs: durable timers, Updates, continue-as-new. */
public class ScheduleWorkflowImpl implements ScheduleWorkflow {
  private static final Logger log = Workflow.getLogger(ScheduleWorkflowImpl.class);

  /** Fires handled by one run before it continues as new. */
  static final int FIRES_PER_RUN = 100;

  /** History events one run may grow to before it continues as new (Temporal's limit: 51,200). */
  static final int HISTORY_LIMIT = 5_000;

  /**
   * How often a buffered fire asks whether the previous run has ended. The task workflow does not
   * tell its schedule, and Temporal gives no way to await another workflow that is not a child.
   */
  static final Duration RUN_END_POLL = Duration.ofSeconds(5);

  private final ScheduleActivities activities =
      Workflow.newActivityStub(ScheduleActivities.class, ScheduleActivityOptions.DEFAULT);
  private final ScheduleActivities cancelling =
      Workflow.newActivityStub(ScheduleActivities.class, ScheduleActivityOptions.CANCEL);

  private final ScheduleCursor cursor;
  private final ProjectionWriter<ScheduleState> projection;
  // Counts commands, so a sleep wakes when one arrives.
  private long changes;
  private int firesThisRun;

  @WorkflowInit
  public ScheduleWorkflowImpl(ScheduleInput input) {
    cursor = ScheduleCursor.of(input);
    projection =
        new ProjectionWriter<>(
            input.version(), version -> cursor.snapshot(version, now()), activities::record);
  }

  @Override
  public ScheduleState run(ScheduleInput input) {
    projection.write();
    while (!cursor.deleted) {
      startBufferedWhenFree();
      if (!cursor.paused) {
        fireDue();
      }
      if (cursor.deleted) {
        break;
      }
      if (timeToContinueAsNew()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        if (!cursor.deleted) {
          Workflow.continueAsNew(cursor.carried(projection.version()));
        }
        break;
      }
      sleepUntilNextFire();
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    return state();
  }

  /**
   * Handles every fire time up to now, oldest first: those older than the catch-up window are
   * recorded as missed in one call, the others fire.
   */
  private void fireDue() {
    Instant now = now();
    Instant earliest = now.minus(cursor.spec.effectiveCatchup());
    Instant first = cursor.cron.next(cursor.handledUntil);
    if (first != null && first.isBefore(earliest)) {
      int missed =
          activities.recordMissed(
              new MissedFires(
                  cursor.scheduleId,
                  cursor.spec.cron(),
                  cursor.spec.timeZone(),
                  cursor.handledUntil,
                  earliest));
      log.warn(
          "schedule {}: {} fire time(s) before {} missed", cursor.scheduleId, missed, earliest);
      // A fire exactly at the window's start is still on time.
      cursor.handledUntil(earliest.minusMillis(1));
      projection.write();
    }
    for (Instant fire = cursor.cron.next(cursor.handledUntil);
        fire != null && !fire.isAfter(now) && !cursor.deleted && !cursor.paused;
        fire = cursor.cron.next(cursor.handledUntil)) {
      fire(fire);
      cursor.fired(fire);
      projection.write();
      if (timeToContinueAsNew()) {
        return;
      }
    }
  }

  /** One cron fire, under the overlap policy. */
  private void fire(Instant fire) {
    switch (cursor.spec.overlap()) {
      case ALLOW_ALL -> start(fire);
      case SKIP -> {
        if (previousRunActive()) {
          skip(fire);
        } else {
          start(fire);
        }
      }
      case BUFFER_ONE -> {
        if (cursor.bufferedFire == null && !previousRunActive()) {
          start(fire);
        } else if (cursor.bufferedFire == null) {
          cursor.bufferedFire = fire;
          firesThisRun++;
        } else {
          skip(fire);
        }
      }
      case CANCEL_OTHER -> {
        if (previousRunActive()) {
          cancelling.cancel(
              cursor.lastTaskId,
              "cancelled by schedule " + cursor.scheduleId + ": a newer run started");
        }
        start(fire);
      }
    }
  }

  private void startBufferedWhenFree() {
    if (cursor.bufferedFire != null && !previousRunActive()) {
      Instant fire = cursor.bufferedFire;
      start(fire);
      cursor.bufferedFire = null;
      projection.write();
    }
  }

  private boolean previousRunActive() {
    return cursor.lastTaskId != null && activities.isActive(cursor.lastTaskId);
  }

  private void start(Instant fire) {
    String taskId = ScheduleIds.task(cursor.scheduleId, fire);
    firesThisRun++;
    try {
      activities.start(new ScheduledStart(cursor.scheduleId, taskId, fire, false));
      cursor.lastTaskId = taskId;
    } catch (ActivityFailure e) {
      // Retries are unlimited, so only a permanent refusal (the schedule's row is gone) gets
      // here; one fire must not end the schedule.
      log.error("schedule {}: starting {} failed: {}", cursor.scheduleId, taskId, e.getMessage());
      activities.recordSkipped(cursor.scheduleId, List.of(fire), SkipReason.START_FAILED);
    }
  }

  private void skip(Instant fire) {
    activities.recordSkipped(cursor.scheduleId, List.of(fire), SkipReason.OVERLAP);
    firesThisRun++;
  }

  /** Sleeps until the next fire time, a command, or (while a fire is buffered) the next poll. */
  private void sleepUntilNextFire() {
    long seen = changes;
    Instant next = cursor.paused ? null : cursor.cron.next(cursor.handledUntil);
    Duration wait = next == null ? null : Duration.between(now(), next);
    if (cursor.bufferedFire != null && (wait == null || wait.compareTo(RUN_END_POLL) > 0)) {
      wait = RUN_END_POLL;
    }
    if (wait == null) {
      Workflow.await(() -> changes != seen);
    } else if (wait.isPositive()) {
      Workflow.await(wait, () -> changes != seen);
    }
  }

  private boolean timeToContinueAsNew() {
    WorkflowInfo info = Workflow.getInfo();
    return firesThisRun >= FIRES_PER_RUN
        || info.getHistoryLength() > HISTORY_LIMIT
        || info.isContinueAsNewSuggested();
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  // ---- queries and updates ----

  @Override
  public ScheduleState state() {
    return projection.current();
  }

  @Override
  public ScheduleState update(ScheduleSpec newSpec, boolean newPaused) {
    boolean resumed = cursor.paused && !newPaused;
    if (!newSpec.equals(cursor.spec) || resumed) {
      // Fire times of the new spec (or from the pause) before now are not caught up.
      cursor.handledUntil(now());
    }
    cursor.respecify(newSpec);
    cursor.paused = newPaused;
    changes++;
    return projection.settled();
  }

  @Override
  public void validateUpdate(ScheduleSpec newSpec, boolean newPaused) {
    requireLive("update");
    if (newSpec == null) {
      throw invalidArgument("a spec is required");
    }
    try {
      newSpec.validated();
    } catch (IllegalArgumentException e) {
      throw invalidArgument(e.getMessage());
    }
  }

  @Override
  public ScheduleState pause() {
    cursor.paused = true;
    changes++;
    return projection.settled();
  }

  @Override
  public void validatePause() {
    requireLive("pause");
  }

  @Override
  public ScheduleState resume() {
    if (cursor.paused) {
      cursor.paused = false;
      cursor.handledUntil(now());
    }
    changes++;
    return projection.settled();
  }

  @Override
  public void validateResume() {
    requireLive("resume");
  }

  @Override
  public String trigger() {
    String taskId = ScheduleIds.manualTask(cursor.scheduleId, ++cursor.triggers);
    activities.start(new ScheduledStart(cursor.scheduleId, taskId, now(), true));
    cursor.lastTaskId = taskId;
    projection.settled();
    return taskId;
  }

  @Override
  public void validateTrigger() {
    requireLive("trigger");
  }

  @Override
  public ScheduleState delete() {
    cursor.deleted = true;
    changes++;
    if (cursor.bufferedFire != null) {
      activities.recordSkipped(cursor.scheduleId, List.of(cursor.bufferedFire), SkipReason.DELETED);
      cursor.bufferedFire = null;
    }
    return projection.settled();
  }

  @Override
  public void validateDelete() {
    requireLive("delete");
  }

  private void requireLive(String command) {
    if (cursor.deleted) {
      throw ApplicationFailure.newNonRetryableFailure(
          command + " does not apply to a deleted schedule", ErrorType.INVALID_STATE.name());
    }
  }

  private static ApplicationFailure invalidArgument(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.VALIDATION_FAILED.name());
  }
}
