package dev.taskpilot.workflows.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The retention workflow sweeps at once and then an interval after each sweep, batch after batch
 * until one comes back complete, with the cutoffs of the sweep's start; takes new settings; sweeps
 * on request, never two at once; and keeps its history bounded by continuing as new.
 *
 * <p>The test environment's clock runs on between skips, so instants of the activities' calls are
 * compared with a little slack ({@link #SLACK}); the workflow's own instants exactly.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RetentionWorkflowTest {
  private static final Instant START = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration SLACK = Duration.ofSeconds(30);
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Path RECORDED = Path.of("target", "recorded-histories");
  private static final RetentionSettings HOURLY =
      new RetentionSettings(HOUR, Duration.ofDays(30), Duration.ofDays(1), 500);
  private static final RetentionBatch FULL = new RetentionBatch(500, 9_000, 12, 3, 1, false);
  private static final RetentionBatch SHORT = new RetentionBatch(7, 70, 1, 0, 2, true);

  private final TestWorkflowEnvironment temporal =
      TestWorkflowEnvironment.newInstance(
          TestEnvironmentOptions.newBuilder().setInitialTime(START).build());
  private final FakeRetentionActivities activities = new FakeRetentionActivities(this::now);
  private String firstRunId;

  @AfterEach
  void close() {
    Thread.ofVirtual().name("close-retention-environment").start(temporal::close);
  }

  private RetentionWorkflow start(RetentionSettings settings) {
    var worker = temporal.newWorker(RetentionWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(RetentionWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    temporal.start();
    RetentionWorkflow workflow =
        temporal
            .getWorkflowClient()
            .newWorkflowStub(
                RetentionWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(RetentionWorkflow.WORKFLOW_ID)
                    .setTaskQueue(RetentionWorkflow.TASK_QUEUE)
                    .build());
    firstRunId = WorkflowClient.start(workflow::run, new RetentionInput(settings, null)).getRunId();
    return running();
  }

  /** A stub of the running workflow, whichever run it is in. */
  private RetentionWorkflow running() {
    return temporal
        .getWorkflowClient()
        .newWorkflowStub(RetentionWorkflow.class, RetentionWorkflow.WORKFLOW_ID);
  }

  private Instant now() {
    return Instant.ofEpochMilli(temporal.currentTimeMillis());
  }

  /** Waits, skipping time, until the query shows a sweep that ended. */
  private RetentionState awaitFirstSweep(RetentionWorkflow workflow) {
    RetentionState state = workflow.state();
    while (state.lastSweep() == null) {
      temporal.sleep(Duration.ofSeconds(1));
      state = workflow.state();
    }
    return state;
  }

  private static List<Instant> times(List<FakeRetentionActivities.Call> calls) {
    return calls.stream().map(FakeRetentionActivities.Call::at).toList();
  }

  private static void assertAbout(Instant actual, Instant expected) {
    assertThat(actual).isBetween(expected.minus(SLACK), expected.plus(SLACK));
  }

  @Test
  void shouldSweepAtOnceInBatchesUntilOneComesBackShortWithTheCutoffsOfItsStart() {
    // given
    activities.answer(FULL, FULL, SHORT);

    // when
    RetentionState state = awaitFirstSweep(start(HOURLY));

    // then: three batches with the same cutoffs, summed up
    RetentionSweep sweep = state.lastSweep();
    Instant begun = sweep.startedAt();
    assertAbout(begun, START);
    assertThat(activities.calls())
        .extracting(FakeRetentionActivities.Call::request)
        .containsExactly(
            new RetentionRequest(
                begun.minus(Duration.ofDays(30)), begun.minus(Duration.ofDays(1)), 500),
            new RetentionRequest(
                begun.minus(Duration.ofDays(30)), begun.minus(Duration.ofDays(1)), 500),
            new RetentionRequest(
                begun.minus(Duration.ofDays(30)), begun.minus(Duration.ofDays(1)), 500));
    assertThat(sweep.batches()).isEqualTo(3);
    assertThat(sweep.tasks()).isEqualTo(1_007);
    assertThat(sweep.outputLines()).isEqualTo(18_070);
    assertThat(sweep.llmCalls()).isEqualTo(25);
    assertThat(sweep.secretsPurged()).isEqualTo(6);
    assertThat(sweep.otherRows()).isEqualTo(4);
    assertThat(sweep.complete()).isTrue();
    assertThat(sweep.failure()).isNull();
    assertThat(state.nextSweep()).isEqualTo(sweep.endedAt().plus(HOUR));
  }

  @Test
  void shouldSweepAnIntervalAfterEachSweep() {
    // given
    start(HOURLY);

    // when
    temporal.sleep(Duration.ofHours(3).plusMinutes(30));

    // then: at start, then about an hour apart
    List<Instant> at = times(activities.calls());
    assertThat(at).hasSize(4);
    for (int i = 0; i < at.size(); i++) {
      assertAbout(at.get(i), START.plus(HOUR.multipliedBy(i)));
    }
  }

  @Test
  void shouldBringTheNextSweepForwardWhenTheIntervalShrinksAndUseTheNewAges() {
    // given: a six-hourly sweep that has swept once
    RetentionWorkflow workflow =
        start(
            new RetentionSettings(
                Duration.ofHours(6), Duration.ofDays(30), Duration.ofDays(1), 500));
    awaitFirstSweep(workflow);

    // when: a restarted API process sends new settings
    RetentionSettings changed =
        new RetentionSettings(HOUR, Duration.ofDays(7), Duration.ofHours(2), 100);
    Instant sent = now();
    workflow.configure(changed);
    temporal.sleep(Duration.ofMinutes(90));

    // then: the next sweep an hour after the signal, with the new ages and batch size
    List<FakeRetentionActivities.Call> calls = activities.calls();
    assertThat(calls).hasSize(2);
    assertAbout(calls.get(1).at(), sent.plus(HOUR));
    RetentionState state = workflow.state();
    Instant begun = state.lastSweep().startedAt();
    assertThat(calls.get(1).request())
        .isEqualTo(
            new RetentionRequest(
                begun.minus(Duration.ofDays(7)), begun.minus(Duration.ofHours(2)), 100));
    assertThat(state.settings()).isEqualTo(changed);
  }

  @Test
  void shouldAskToDeleteNoTaskWhenTasksAreKeptForEver() {
    // when
    RetentionState state =
        awaitFirstSweep(start(new RetentionSettings(HOUR, null, Duration.ofDays(1), 500)));

    // then: only the secrets' cutoff
    Instant begun = state.lastSweep().startedAt();
    assertThat(activities.calls().getFirst().request())
        .isEqualTo(new RetentionRequest(null, begun.minus(Duration.ofDays(1)), 500));
  }

  @Test
  void shouldSweepOnRequestAndAnswerWhatThatSweepDeleted() {
    // given: the first sweep is done
    RetentionWorkflow workflow = start(HOURLY);
    awaitFirstSweep(workflow);
    activities.answer(FULL, SHORT);

    // when
    RetentionSweep swept = workflow.sweepNow();

    // then: a second sweep of two batches, long before the hour is up
    assertThat(swept.batches()).isEqualTo(2);
    assertThat(swept.tasks()).isEqualTo(507);
    assertThat(swept.complete()).isTrue();
    assertThat(activities.calls()).hasSize(3);
    assertAbout(swept.startedAt(), START);
    // and the next one an interval after it
    assertThat(workflow.state().nextSweep()).isEqualTo(swept.endedAt().plus(HOUR));
  }

  @Test
  void shouldRunARequestedSweepAfterTheRunningOneNotBesideIt() throws Exception {
    // given: the first sweep's second batch is held
    activities.answer(FULL, FULL, SHORT);
    activities.hold(2);
    RetentionWorkflow workflow = start(HOURLY);
    assertThat(activities.awaitHeld()).as("the second batch began").isTrue();

    // when: a sweep is requested meanwhile
    WorkflowUpdateHandle<RetentionSweep> requested =
        WorkflowStub.fromTyped(workflow)
            .startUpdate("sweepNow", WorkflowUpdateStage.ACCEPTED, RetentionSweep.class);
    activities.release();
    RetentionSweep swept = requested.getResultAsync().get(10, TimeUnit.SECONDS);

    // then: the first sweep's three batches, then the requested sweep's one, never two at once
    List<FakeRetentionActivities.Call> calls = activities.calls();
    assertThat(calls).hasSize(4);
    assertThat(activities.mostAtOnce()).isOne();
    assertThat(swept.batches()).isOne();
    assertThat(swept.startedAt()).isAfterOrEqualTo(calls.get(2).at().minus(SLACK));
  }

  @Test
  void shouldStopTheSweepAndTryAgainAnIntervalLaterWhenABatchFailsForGood() {
    // given
    activities.answer(FULL);
    activities.fail(ApplicationFailure.newNonRetryableFailure("relation missing", "SQL"));

    // when
    RetentionState state = awaitFirstSweep(start(HOURLY));
    temporal.sleep(Duration.ofMinutes(70));

    // then
    RetentionSweep failed = state.lastSweep();
    assertThat(failed.complete()).isFalse();
    assertThat(failed.failure()).contains("relation missing");
    assertThat(failed.tasks()).isEqualTo(500);
    assertThat(state.nextSweep()).isEqualTo(failed.endedAt().plus(HOUR));
    List<Instant> at = times(activities.calls());
    assertThat(at).hasSize(3);
    assertAbout(at.get(2), failed.endedAt().plus(HOUR));
  }

  @Test
  void shouldContinueAsNewAfterItsSweepsCarryingTheSettingsAndTheNextSweep() throws IOException {
    // given
    start(HOURLY);

    // when: past the sweeps of one run
    int sweeps = RetentionWorkflowImpl.SWEEPS_PER_RUN + 2;
    temporal.sleep(HOUR.multipliedBy(sweeps - 1).plusMinutes(30));

    // then: one sweep an hour throughout, none lost or repeated at the hand-over
    List<Instant> at = times(activities.calls());
    assertThat(at).hasSize(sweeps);
    for (int i = 1; i < sweeps; i++) {
      assertThat(Duration.between(at.get(i - 1), at.get(i)))
          .isBetween(HOUR.minus(SLACK), HOUR.plus(SLACK));
    }
    WorkflowClient client = temporal.getWorkflowClient();
    WorkflowExecutionHistory first = client.fetchHistory(RetentionWorkflow.WORKFLOW_ID, firstRunId);
    assertThat(first.getLastEvent().getEventType())
        .isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
    HistoryEvent started =
        client.fetchHistory(RetentionWorkflow.WORKFLOW_ID).getEvents().getFirst();
    RetentionInput carried =
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
            started.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0),
            RetentionInput.class,
            RetentionInput.class);
    assertThat(carried.settings()).isEqualTo(HOURLY);
    assertAbout(carried.nextSweep(), at.get(RetentionWorkflowImpl.SWEEPS_PER_RUN));
    // and the run replays on today's code; the stored copy is replayed by StoredHistoriesTest
    Files.createDirectories(RECORDED);
    Files.writeString(RECORDED.resolve("retention-continued-as-new.json"), first.toJson(true));
    assertThatCode(
            () -> WorkflowReplayer.replayWorkflowExecution(first, RetentionWorkflowImpl.class))
        .doesNotThrowAnyException();
  }
}
