package dev.taskpilot.workflows.schedule;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Schedule activities in memory: every start call is kept with the test clock's time, a started run
 * lasts {@link #runLength} unless cancelled, skipped fires are kept with their reasons.
 */
final class FakeScheduleActivities implements ScheduleActivities {
  /** A start call and the environment's time when it arrived. */
  record Start(ScheduledStart request, Instant at) {}

  /** A fire time that started nothing. */
  record Skip(Instant fireTime, SkipReason reason) {}

  private final Supplier<Instant> clock;
  private final List<Start> startCalls = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> runEnds = new ConcurrentHashMap<>();
  private final List<Skip> skips = new CopyOnWriteArrayList<>();
  private final List<String> cancels = new CopyOnWriteArrayList<>();
  private final List<ScheduleState> states = new CopyOnWriteArrayList<>();
  volatile Duration runLength = Duration.ZERO;
  // A task id whose start is refused for good, as when the schedule's row is gone.
  volatile String refusedTaskId;

  FakeScheduleActivities(Supplier<Instant> clock) {
    this.clock = clock;
  }

  @Override
  public void start(ScheduledStart start) {
    if (start.taskId().equals(refusedTaskId)) {
      throw ApplicationFailure.newNonRetryableFailure("refused", "INVALID_STATE");
    }
    Instant now = clock.get();
    startCalls.add(new Start(start, now));
    runEnds.putIfAbsent(start.taskId(), now.plus(runLength));
  }

  @Override
  public void recordSkipped(String scheduleId, List<Instant> fireTimes, SkipReason reason) {
    fireTimes.forEach(fire -> skips.add(new Skip(fire, reason)));
  }

  @Override
  public int recordMissed(MissedFires missed) {
    CronSchedule cron = CronSchedule.parse(missed.cron(), missed.timeZone());
    int count = 0;
    for (Instant fire = cron.next(missed.after());
        fire != null && fire.isBefore(missed.before());
        fire = cron.next(fire)) {
      skips.add(new Skip(fire, SkipReason.MISSED));
      count++;
    }
    return count;
  }

  @Override
  public boolean isActive(String taskId) {
    Instant end = runEnds.get(taskId);
    return end != null && clock.get().isBefore(end);
  }

  @Override
  public void cancel(String taskId, String reason) {
    cancels.add(taskId);
    runEnds.put(taskId, clock.get());
  }

  @Override
  public void record(ScheduleState state) {
    states.add(state);
  }

  /** Every start call in order, repeats included. */
  List<Start> startCalls() {
    return List.copyOf(startCalls);
  }

  /** The fire times of the cron (not manual) starts, in call order. */
  List<Instant> startedFireTimes() {
    return startCalls.stream()
        .filter(start -> !start.request().manual())
        .map(start -> start.request().fireTime())
        .toList();
  }

  List<String> startedTaskIds() {
    return startCalls.stream().map(start -> start.request().taskId()).toList();
  }

  List<Instant> skipped(SkipReason reason) {
    return skips.stream().filter(skip -> skip.reason() == reason).map(Skip::fireTime).toList();
  }

  List<String> cancels() {
    return List.copyOf(cancels);
  }

  /** The states written, newest version last. */
  List<ScheduleState> states() {
    List<ScheduleState> sorted = new ArrayList<>(states);
    sorted.sort((a, b) -> Long.compare(a.version(), b.version()));
    return sorted;
  }
}
