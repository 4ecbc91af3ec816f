package dev.taskpilot.workflows.schedule;

import dev.taskpilot.workflows.ErrorType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
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

  private String scheduleId;
  private ScheduleSpec spec;
  private CronSchedule cron;
  private boolean paused;
  private boolean deleted;
  private Instant handledUntil;
  private Instant lastFireTime;
  private String lastTaskId;
  private Instant bufferedFire;
  private long triggers;
  private long version;
  private long recordedVersion;
  // Counts commands, so a sleep wakes when one arrives.
  private long changes;
  private int firesThisRun;

  @Override
  public ScheduleState run(ScheduleInput input) {
    scheduleId = input.scheduleId();
    spec = input.spec();
    cron = spec.validated();
    paused = input.paused();
    handledUntil = input.handledUntil();
    lastFireTime = input.lastFireTime();
    lastTaskId = input.lastTaskId();
    bufferedFire = input.bufferedFire();
    triggers = input.triggers();
    version = input.version();
    recordedVersion = version;
    writeState();
    while (!deleted) {
      startBufferedWhenFree();
      if (!paused) {
        fireDue();
      }
      if (deleted) {
        break;
      }
      if (timeToContinueAsNew()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        if (!deleted) {
          Workflow.continueAsNew(carried());
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
    Instant earliest = now.minus(spec.effectiveCatchup());
    Instant first = cron.next(handledUntil);
    if (first != null && first.isBefore(earliest)) {
      int missed =
          activities.recordMissed(
              new MissedFires(scheduleId, spec.cron(), spec.timeZone(), handledUntil, earliest));
      log.warn("schedule {}: {} fire time(s) before {} missed", scheduleId, missed, earliest);
      // A fire exactly at the window's start is still on time.
      handledUntil = latest(handledUntil, earliest.minusMillis(1));
      writeState();
    }
    for (Instant fire = cron.next(handledUntil);
        fire != null && !fire.isAfter(now) && !deleted && !paused;
        fire = cron.next(handledUntil)) {
      fire(fire);
      handledUntil = latest(handledUntil, fire);
      lastFireTime = latest(lastFireTime, fire);
      writeState();
      if (timeToContinueAsNew()) {
        return;
      }
    }
  }

  /** One cron fire, under the overlap policy. */
  private void fire(Instant fire) {
    switch (spec.overlap()) {
      case ALLOW_ALL -> start(fire);
      case SKIP -> {
        if (previousRunActive()) {
          skip(fire);
        } else {
          start(fire);
        }
      }
      case BUFFER_ONE -> {
        if (bufferedFire == null && !previousRunActive()) {
          start(fire);
        } else if (bufferedFire == null) {
          bufferedFire = fire;
          firesThisRun++;
        } else {
          skip(fire);
        }
      }
      case CANCEL_OTHER -> {
        if (previousRunActive()) {
          cancelling.cancel(
              lastTaskId, "cancelled by schedule " + scheduleId + ": a newer run started");
        }
        start(fire);
      }
    }
  }

  private void startBufferedWhenFree() {
    if (bufferedFire != null && !previousRunActive()) {
      Instant fire = bufferedFire;
      start(fire);
      bufferedFire = null;
      writeState();
    }
  }

  private boolean previousRunActive() {
    return lastTaskId != null && activities.isActive(lastTaskId);
  }

  private void start(Instant fire) {
    String taskId = ScheduleIds.task(scheduleId, fire);
    firesThisRun++;
    try {
      activities.start(new ScheduledStart(scheduleId, taskId, fire, false));
      lastTaskId = taskId;
    } catch (ActivityFailure e) {
      // Retries are unlimited, so only a permanent refusal (the schedule's row is gone) gets
      // here; one fire must not end the schedule.
      log.error("schedule {}: starting {} failed: {}", scheduleId, taskId, e.getMessage());
      activities.recordSkipped(scheduleId, List.of(fire), SkipReason.START_FAILED);
    }
  }

  private void skip(Instant fire) {
    activities.recordSkipped(scheduleId, List.of(fire), SkipReason.OVERLAP);
    firesThisRun++;
  }

  /** Sleeps until the next fire time, a command, or (while a fire is buffered) the next poll. */
  private void sleepUntilNextFire() {
    long seen = changes;
    Instant next = paused ? null : cron.next(handledUntil);
    Duration wait = next == null ? null : Duration.between(now(), next);
    if (bufferedFire != null && (wait == null || wait.compareTo(RUN_END_POLL) > 0)) {
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

  private ScheduleInput carried() {
    return new ScheduleInput(
        scheduleId,
        spec,
        paused,
        handledUntil,
        lastFireTime,
        lastTaskId,
        bufferedFire,
        triggers,
        version);
  }

  private void writeState() {
    ScheduleState snapshot = snapshot(++version);
    activities.record(snapshot);
    recordedVersion = Math.max(recordedVersion, snapshot.version());
  }

  /** Returns the state once everything changed so far is in PostgreSQL. */
  private ScheduleState settled() {
    writeState();
    long target = version;
    Workflow.await(() -> recordedVersion >= target);
    return state();
  }

  private ScheduleState snapshot(long atVersion) {
    Instant next = paused || deleted || cron == null ? null : cron.next(handledUntil);
    return new ScheduleState(
        scheduleId,
        atVersion,
        spec,
        paused,
        deleted,
        next,
        lastFireTime,
        handledUntil,
        lastTaskId,
        bufferedFire,
        triggers,
        now());
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }

  // ---- queries and updates ----

  @Override
  public ScheduleState state() {
    return snapshot(version);
  }

  @Override
  public ScheduleState update(ScheduleSpec newSpec, boolean newPaused) {
    boolean resumed = paused && !newPaused;
    if (!newSpec.equals(spec) || resumed) {
      // Fire times of the new spec (or from the pause) before now are not caught up.
      handledUntil = latest(handledUntil, now());
    }
    spec = newSpec;
    cron = newSpec.validated();
    paused = newPaused;
    changes++;
    return settled();
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
    paused = true;
    changes++;
    return settled();
  }

  @Override
  public void validatePause() {
    requireLive("pause");
  }

  @Override
  public ScheduleState resume() {
    if (paused) {
      paused = false;
      handledUntil = latest(handledUntil, now());
    }
    changes++;
    return settled();
  }

  @Override
  public void validateResume() {
    requireLive("resume");
  }

  @Override
  public String trigger() {
    String taskId = ScheduleIds.manualTask(scheduleId, ++triggers);
    activities.start(new ScheduledStart(scheduleId, taskId, now(), true));
    lastTaskId = taskId;
    settled();
    return taskId;
  }

  @Override
  public void validateTrigger() {
    requireLive("trigger");
  }

  @Override
  public ScheduleState delete() {
    deleted = true;
    changes++;
    if (bufferedFire != null) {
      activities.recordSkipped(scheduleId, List.of(bufferedFire), SkipReason.DELETED);
      bufferedFire = null;
    }
    return settled();
  }

  @Override
  public void validateDelete() {
    requireLive("delete");
  }

  private void requireLive(String command) {
    if (deleted) {
      throw ApplicationFailure.newNonRetryableFailure(
          command + " does not apply to a deleted schedule", ErrorType.INVALID_STATE.name());
    }
  }

  private static ApplicationFailure invalidArgument(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.VALIDATION_FAILED.name());
  }
}
