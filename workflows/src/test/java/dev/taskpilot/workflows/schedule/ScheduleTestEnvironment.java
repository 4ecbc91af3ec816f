package dev.taskpilot.workflows.schedule;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A time-skipping Temporal test environment whose clock starts at a chosen instant, running {@link
 * ScheduleWorkflowImpl} with {@link FakeScheduleActivities} on the production task queue.
 */
final class ScheduleTestEnvironment implements AutoCloseable {
  static final String SCHEDULE_ID = "sch-test";

  final TestWorkflowEnvironment temporal;
  final FakeScheduleActivities activities;

  ScheduleTestEnvironment(Instant start) {
    this(start, WorkerFactoryOptions.getDefaultInstance());
  }

  /** With a workflow cache of 0, every workflow task replays the whole history first. */
  static ScheduleTestEnvironment replayingEveryTask(Instant start) {
    return new ScheduleTestEnvironment(
        start, WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(0).build());
  }

  private ScheduleTestEnvironment(Instant start, WorkerFactoryOptions factoryOptions) {
    temporal =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setInitialTime(start)
                .setWorkerFactoryOptions(factoryOptions)
                .build());
    activities = new FakeScheduleActivities(this::now);
    var worker = temporal.newWorker(ScheduleWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ScheduleWorkflowImpl.class);
    worker.registerActivitiesImplementations(activities);
    temporal.start();
  }

  /** A new schedule created now, as the API creates one. */
  ScheduleWorkflow create(String cron, String zone, OverlapPolicy overlap, boolean paused) {
    return start(
        ScheduleInput.created(
            SCHEDULE_ID, new ScheduleSpec(cron, zone, overlap, null), paused, now()));
  }

  ScheduleWorkflow start(ScheduleInput input) {
    ScheduleWorkflow workflow =
        temporal
            .getWorkflowClient()
            .newWorkflowStub(
                ScheduleWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(ScheduleIds.workflow(input.scheduleId()))
                    .setTaskQueue(ScheduleWorkflow.TASK_QUEUE)
                    .build());
    WorkflowClient.start(workflow::run, input);
    return workflow;
  }

  /** A stub of the running schedule (whichever run it is in). */
  ScheduleWorkflow stub() {
    return temporal
        .getWorkflowClient()
        .newWorkflowStub(ScheduleWorkflow.class, ScheduleIds.workflow(SCHEDULE_ID));
  }

  /** Waits (at most 10 s of real time, skipping time meanwhile) for the schedule's end. */
  ScheduleState result() {
    try {
      return WorkflowStub.fromTyped(stub()).getResult(10, TimeUnit.SECONDS, ScheduleState.class);
    } catch (TimeoutException e) {
      throw new AssertionError("the schedule did not end within 10 s", e);
    }
  }

  Instant now() {
    return Instant.ofEpochMilli(temporal.currentTimeMillis());
  }

  /** Lets time pass; timers fire without waiting. */
  void sleep(Duration duration) {
    temporal.sleep(duration);
  }

  @Override
  public void close() {
    Thread.ofVirtual().name("close-schedule-environment").start(temporal::close);
  }
}
