package dev.taskpilot.workflows.schedule;

import java.time.Instant;

/**
 * Where a schedule stands: everything one run of its workflow carries over to the next
 * (continue-as-new), and everything its state shows. The one place that maps between the workflow's
 * input, its live fields and its {@link ScheduleState}. Workflow code only.
 */
final class ScheduleCursor {
  final String scheduleId;
  ScheduleSpec spec;
  CronSchedule cron;
  boolean paused;
  boolean deleted;
  Instant handledUntil;
  Instant lastFireTime;
  String lastTaskId;
  Instant bufferedFire;
  long triggers;

  private ScheduleCursor(ScheduleInput input) {
    scheduleId = input.scheduleId();
    respecify(input.spec());
    paused = input.paused();
    handledUntil = input.handledUntil();
    lastFireTime = input.lastFireTime();
    lastTaskId = input.lastTaskId();
    bufferedFire = input.bufferedFire();
    triggers = input.triggers();
  }

  /** The cursor a run starts from. */
  static ScheduleCursor of(ScheduleInput input) {
    return new ScheduleCursor(input);
  }

  /** A new spec; its cron is validated here. */
  void respecify(ScheduleSpec newSpec) {
    spec = newSpec;
    cron = newSpec.validated();
  }

  /** Fire times up to {@code instant} are dealt with; never moves back. */
  void handledUntil(Instant instant) {
    handledUntil = latest(handledUntil, instant);
  }

  /** A fire time came and was dealt with. */
  void fired(Instant fire) {
    handledUntil(fire);
    lastFireTime = latest(lastFireTime, fire);
  }

  /** The next fire time, or null while paused or deleted. */
  Instant nextFire() {
    return paused || deleted ? null : cron.next(handledUntil);
  }

  /** The input the next run continues from. */
  ScheduleInput carried(long version) {
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

  ScheduleState snapshot(long version, Instant at) {
    return new ScheduleState(
        scheduleId,
        version,
        spec,
        paused,
        deleted,
        nextFire(),
        lastFireTime,
        handledUntil,
        lastTaskId,
        bufferedFire,
        triggers,
        at);
  }

  private static Instant latest(Instant a, Instant b) {
    return a == null || b.isAfter(a) ? b : a;
  }
}
