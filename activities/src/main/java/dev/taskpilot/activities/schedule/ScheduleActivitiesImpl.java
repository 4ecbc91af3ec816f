package dev.taskpilot.activities.schedule;

import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRepository;
import dev.taskpilot.store.ScheduleRunRepository;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.schedule.CronSchedule;
import dev.taskpilot.workflows.schedule.MissedFires;
import dev.taskpilot.workflows.schedule.ScheduleActivities;
import dev.taskpilot.workflows.schedule.ScheduleState;
import dev.taskpilot.workflows.schedule.ScheduledStart;
import dev.taskpilot.workflows.schedule.SkipReason;
import dev.taskpilot.workflows.task.TaskInput;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Schedule activities on PostgreSQL and the workflow engine. */
@Singleton
public class ScheduleActivitiesImpl implements ScheduleActivities {
  private static final Logger log = LoggerFactory.getLogger(ScheduleActivitiesImpl.class);
  static final int MAX_MISSED_RECORDED = 10_000;
  private static final int BATCH = 1_000;

  private final ScheduleRepository schedules;
  private final ScheduleRunRepository runs;
  private final ScheduledTaskStore store;
  private final ScheduledTaskEngine engine;

  public ScheduleActivitiesImpl(
      ScheduleRepository schedules,
      ScheduleRunRepository runs,
      ScheduledTaskStore store,
      ScheduledTaskEngine engine) {
    this.schedules = schedules;
    this.runs = runs;
    this.store = store;
    this.engine = engine;
  }

  @Override
  public void start(ScheduledStart start) {
    ScheduleRecord schedule =
        schedules
            .findById(start.scheduleId())
            .orElseThrow(
                () ->
                    ApplicationFailure.newNonRetryableFailure(
                        "no schedule " + start.scheduleId(), ErrorType.INVALID_STATE.name()));
    boolean inserted = store.store(schedule, start);
    String status = runs.taskStatus(start.taskId());
    if (TaskStatus.valueOf(status).isTerminal()) {
      // Stored and run before (the start is repeated after a restart): never run twice.
      log.info("scheduled task {} has ended already; not started again", start.taskId());
      return;
    }
    TaskInput input = TaskJson.read(runs.taskRequest(start.taskId()), TaskInput.class);
    engine.start(input);
    log.info(
        "schedule {} started task {} (fire time {}{})",
        start.scheduleId(),
        start.taskId(),
        start.fireTime(),
        inserted ? "" : ", stored by an earlier attempt");
  }

  @Override
  public void recordSkipped(String scheduleId, List<Instant> fireTimes, SkipReason reason) {
    for (int from = 0; from < fireTimes.size(); from += BATCH) {
      List<Instant> batch = fireTimes.subList(from, Math.min(fireTimes.size(), from + BATCH));
      runs.recordSkipped(scheduleId, TaskJson.write(batch), reason.name(), Instant.now());
    }
  }

  @Override
  public int recordMissed(MissedFires missed) {
    CronSchedule cron = CronSchedule.parse(missed.cron(), missed.timeZone());
    Deque<Instant> newest = new ArrayDeque<>();
    int count = 0;
    for (Instant fire = cron.next(missed.after());
        fire != null && fire.isBefore(missed.before());
        fire = cron.next(fire)) {
      newest.addLast(fire);
      if (newest.size() > MAX_MISSED_RECORDED) {
        newest.removeFirst();
      }
      count++;
    }
    recordSkipped(missed.scheduleId(), new ArrayList<>(newest), SkipReason.MISSED);
    return count;
  }

  @Override
  public boolean isActive(String taskId) {
    String status = runs.taskStatus(taskId);
    return status != null && !TaskStatus.valueOf(status).isTerminal();
  }

  @Override
  public void cancel(String taskId, String reason) {
    engine.cancel(taskId, reason);
  }

  @Override
  public void record(ScheduleState state) {
    int changed =
        schedules.applyState(
            state.scheduleId(),
            state.version(),
            state.spec().cron(),
            state.spec().timeZone(),
            state.spec().overlap().name(),
            state.spec().catchupWindow().toString(),
            state.paused(),
            state.nextFireTime(),
            state.lastFireTime(),
            state.handledUntil(),
            state.bufferedFire(),
            state.updatedAt());
    if (changed == 0) {
      log.debug(
          "state {} of schedule {} was not newer; skipped", state.version(), state.scheduleId());
    }
  }
}
