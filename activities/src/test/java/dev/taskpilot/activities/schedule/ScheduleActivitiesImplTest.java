package dev.taskpilot.activities.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doNothing;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.taskpilot.store.ScheduleRecord;
import dev.taskpilot.store.ScheduleRepository;
import dev.taskpilot.store.ScheduleRunRecord;
import dev.taskpilot.store.ScheduleRunRepository;
import dev.taskpilot.store.ScheduleSecrets;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.store.testing.TestDatabase;
import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.schedule.MissedFires;
import dev.taskpilot.workflows.schedule.OverlapPolicy;
import dev.taskpilot.workflows.schedule.ScheduleIds;
import dev.taskpilot.workflows.schedule.ScheduleInput;
import dev.taskpilot.workflows.schedule.ScheduleSpec;
import dev.taskpilot.workflows.schedule.ScheduleState;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import dev.taskpilot.workflows.schedule.ScheduleWorkflowImpl;
import dev.taskpilot.workflows.schedule.ScheduledStart;
import dev.taskpilot.workflows.schedule.SkipReason;
import dev.taskpilot.workflows.task.TaskInput;
import io.micronaut.test.annotation.MockBean;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/** The schedule activities on real PostgreSQL, the task engine mocked. */
@Timeout(120)
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScheduleActivitiesImplTest implements TestPropertyProvider {
  private static final Instant FIRE = Instant.parse("2026-01-05T09:00:00Z");

  @Inject ScheduleActivitiesImpl activities;
  @Inject ScheduledTaskEngine engine;
  @Inject ScheduleRepository schedules;
  @Inject ScheduleRunRepository runs;
  @Inject ScheduleSecrets scheduleSecrets;
  @Inject TaskRepository tasks;
  @Inject TaskSecrets taskSecrets;

  @Override
  public Map<String, String> getProperties() {
    return TestDatabase.freshDatasourceProperties();
  }

  @MockBean(ScheduledTaskEngine.class)
  ScheduledTaskEngine engine() {
    return mock(ScheduledTaskEngine.class);
  }

  @BeforeEach
  void resetEngine() {
    reset(engine);
  }

  private String schedule(String cron) {
    String id = "sch-" + UUID.randomUUID();
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    TaskInput template =
        new TaskInput(
            null,
            "default",
            "Daily digest",
            "Summarise yesterday",
            "example",
            null,
            null,
            null,
            null,
            List.of("digest"),
            null,
            null,
            null,
            Duration.ofMinutes(10),
            null,
            null);
    schedules.save(
        new ScheduleRecord(
            id,
            "default",
            "digest " + id,
            cron,
            "UTC",
            TaskJson.write(template),
            "SKIP",
            "PT1H",
            false,
            null,
            null,
            now,
            null,
            0,
            now,
            now,
            null));
    return id;
  }

  @Test
  void shouldStoreOneTaskWhenStartIsRetriedAfterInserting() {
    // given: back after five minutes of downtime, every-minute fires due at once; the engine is
    // away for the first start attempt, after the task row was stored. Real time, so the retry
    // comes after its one-second backoff.
    String id = schedule("* * * * *");
    doThrow(new IllegalStateException("engine away")).doNothing().when(engine).start(any());
    TestWorkflowEnvironment temporal =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    try {
      var worker = temporal.newWorker(ScheduleWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(ScheduleWorkflowImpl.class);
      worker.registerActivitiesImplementations(activities);
      temporal.start();
      ScheduleWorkflow workflow =
          temporal
              .getWorkflowClient()
              .newWorkflowStub(
                  ScheduleWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(ScheduleIds.workflow(id))
                      .setTaskQueue(ScheduleWorkflow.TASK_QUEUE)
                      .build());
      Instant downSince = Instant.now().minus(Duration.ofMinutes(5));
      Instant fire = downSince.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
      WorkflowClient.start(
          workflow::run,
          ScheduleInput.created(
              id,
              new ScheduleSpec("* * * * *", "UTC", OverlapPolicy.SKIP, null),
              false,
              downSince));

      // when: the oldest fire's start fails once and is retried; the later fires find it running
      ArgumentCaptor<TaskInput> started = ArgumentCaptor.forClass(TaskInput.class);
      verify(engine, timeout(20_000).times(2)).start(started.capture());

      // then: one task, its run recorded once, the workflow started with the same id both times
      String taskId = ScheduleIds.task(id, fire);
      assertThat(started.getAllValues()).extracting(TaskInput::taskId).containsOnly(taskId);
      assertThat(tasks.findById(taskId)).isPresent();
      assertThat(runs.findNewest(id, 10))
          .filteredOn(run -> run.outcome().equals("STARTED"))
          .singleElement()
          .satisfies(
              run -> {
                assertThat(run.taskId()).isEqualTo(taskId);
                assertThat(run.fireTime()).isEqualTo(fire);
              });
    } finally {
      temporal.close();
    }
  }

  @Test
  void shouldStoreTaskFromTemplateWithSecretsWhenStarted() {
    // given
    String id = schedule("0 9 * * *");
    scheduleSecrets.put(id, "webhook:https://hooks.example/x", "s3cret", Instant.now());
    String taskId = ScheduleIds.task(id, FIRE);

    // when
    activities.start(new ScheduledStart(id, taskId, FIRE, false));

    // then
    var task = tasks.findById(taskId).orElseThrow();
    assertThat(task.title()).isEqualTo("Daily digest");
    assertThat(task.status()).isEqualTo("PLANNING");
    assertThat(task.labels()).containsExactly("digest");
    assertThat(TaskJson.read(task.request(), TaskInput.class).taskId()).isEqualTo(taskId);
    assertThat(taskSecrets.find(taskId, "webhook:https://hooks.example/x")).contains("s3cret");
    assertThat(activities.isActive(taskId)).isTrue();
    verify(engine).start(any());
  }

  @Test
  void shouldNotStartAgainWhenTheTaskHasEnded() {
    // given: a run stored and finished, then (after a dev restart) the same fire handled again
    String id = schedule("0 9 * * *");
    String taskId = ScheduleIds.task(id, FIRE);
    activities.start(new ScheduledStart(id, taskId, FIRE, false));
    tasks.applyState(
        taskId, 9, "SUCCEEDED", null, 5, null, null, null, null, null, null, Instant.now());
    reset(engine);

    // when
    activities.start(new ScheduledStart(id, taskId, FIRE, false));

    // then
    verify(engine, never()).start(any());
    assertThat(activities.isActive(taskId)).isFalse();
    assertThat(runs.findNewest(id, 10)).hasSize(1);
  }

  @Test
  void shouldRecordEachMissedFireOnceWhenRecordedTwice() {
    // given
    String id = schedule("0 * * * *");
    MissedFires missed =
        new MissedFires(id, "0 * * * *", "UTC", FIRE, FIRE.plus(Duration.ofMinutes(190)));

    // when
    int first = activities.recordMissed(missed);
    int second = activities.recordMissed(missed);
    activities.recordSkipped(id, List.of(FIRE.plus(Duration.ofHours(1))), SkipReason.OVERLAP);

    // then: 10:00, 11:00, 12:00, newest first, recorded once
    assertThat(first).isEqualTo(3);
    assertThat(second).isEqualTo(3);
    assertThat(runs.findNewest(id, 10))
        .extracting(ScheduleRunRecord::fireTime, ScheduleRunRecord::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FIRE.plus(Duration.ofHours(3)), "MISSED"),
            org.assertj.core.groups.Tuple.tuple(FIRE.plus(Duration.ofHours(2)), "MISSED"),
            org.assertj.core.groups.Tuple.tuple(FIRE.plus(Duration.ofHours(1)), "MISSED"));
  }

  @Test
  void shouldKeepTheNewerStateWhenStatesArriveOutOfOrder() {
    // given
    String id = schedule("0 9 * * *");
    ScheduleSpec spec = new ScheduleSpec("0 9 * * *", "UTC", OverlapPolicy.SKIP, null);
    Instant next = FIRE.plus(Duration.ofDays(1));

    // when
    activities.record(
        new ScheduleState(id, 2, spec, false, false, next, FIRE, FIRE, null, null, 0, FIRE));
    activities.record(
        new ScheduleState(id, 1, spec, true, false, null, null, FIRE, null, null, 0, FIRE));

    // then
    ScheduleRecord row = schedules.findById(id).orElseThrow();
    assertThat(row.stateVersion()).isEqualTo(2);
    assertThat(row.paused()).isFalse();
    assertThat(row.nextFireTime()).isEqualTo(next);
  }

  @Test
  void shouldLeaveAnEndedTaskAloneWhenCancelled() {
    // given
    doNothing().when(engine).cancel(any(), any());
    // when
    activities.cancel("task-x", "newer run");
    // then
    verify(engine).cancel("task-x", "newer run");
  }
}
