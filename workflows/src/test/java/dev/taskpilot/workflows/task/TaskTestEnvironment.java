package dev.taskpilot.workflows.task;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeast;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskpilot.workflows.TaskQueues;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.WorkflowIds;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.secrets.SecretActivities;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotClaim;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.activities.summary.SummaryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.mockito.ArgumentCaptor;

/**
 * A time-skipping Temporal test environment running {@link TaskWorkflowImpl} with mocked
 * activities, each on the task queue the production worker uses.
 */
final class TaskTestEnvironment implements AutoCloseable {
  final TestWorkflowEnvironment temporal;
  final PlanningActivities planning = mockActivity(PlanningActivities.class);
  final AgentActivities agent = mockActivity(AgentActivities.class);
  final SummaryActivities summaries = mockActivity(SummaryActivities.class);
  final PublishActivities publishing = mockActivity(PublishActivities.class);
  final NotifyActivities notifying = mockActivity(NotifyActivities.class);
  final ProjectionActivities projection = mockActivity(ProjectionActivities.class);
  final SlotActivities slots = mockActivity(SlotActivities.class);
  final SecretActivities secrets = mockActivity(SecretActivities.class);
  private AgentActivities agentImplementation = agent;

  TaskTestEnvironment() {
    this(TestEnvironmentOptions.getDefaultInstance());
  }

  private TaskTestEnvironment(TestEnvironmentOptions options) {
    temporal = TestWorkflowEnvironment.newInstance(options);
    TaskSearchAttributes.REGISTERED.forEach(temporal::registerSearchAttribute);
    when(planning.plan(any()))
        .thenAnswer(call -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), false));
    when(agent.run(any())).thenAnswer(call -> TestTasks.agentResult(now()));
    when(slots.claim(any())).thenReturn(true);
    when(slots.acquire(any())).thenReturn(true);
    // Like the summariser without an LLM: the agent's own result text, trimmed.
    when(summaries.summarise(any()))
        .thenAnswer(call -> call.<SummaryRequest>getArgument(0).resultText().strip());
    org.mockito.stubbing.Answer<Publication> published =
        call -> {
          PublishRequest request = call.getArgument(0);
          String key = request.target().key();
          return new Publication(key, "published/" + key, now());
        };
    when(publishing.publish(any())).thenAnswer(published);
    when(publishing.publishFile(any())).thenAnswer(published);
    when(publishing.publishWebhook(any())).thenAnswer(published);
    when(publishing.publishGit(any())).thenAnswer(published);
  }

  /** An environment whose workers keep update validators' failure types; see the converter. */
  static TaskTestEnvironment withValidatorFailuresUnwrapped() {
    DataConverter converter =
        DefaultDataConverter.newDefaultInstance()
            .withFailureConverter(new UnwrappingFailureConverter());
    return new TaskTestEnvironment(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder().setDataConverter(converter).build())
            .build());
  }

  private static <T> T mockActivity(Class<T> type) {
    return mock(type, withSettings().withoutAnnotations());
  }

  /** Replaces the agent mock with a real implementation; call before starting a task. */
  void useAgent(AgentActivities implementation) {
    agentImplementation = implementation;
  }

  /** Starts a task's workflow and returns its stub; the workers start with the first task. */
  TaskWorkflow start(TaskInput input) {
    startWorkers();
    TaskWorkflow workflow =
        temporal
            .getWorkflowClient()
            .newWorkflowStub(
                TaskWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.task(input.taskId()))
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());
    WorkflowClient.start(workflow::run, input);
    return workflow;
  }

  /** Runs a task to its end, skipping time. */
  TaskState run(TaskInput input) {
    start(input);
    return result(input.taskId());
  }

  /** Waits for the task's end, skipping time meanwhile. */
  TaskState result(String taskId) {
    try {
      return untyped(taskId).getResult(15, TimeUnit.SECONDS, TaskState.class);
    } catch (TimeoutException e) {
      throw new AssertionError("task " + taskId + " did not end within 15 s", e);
    }
  }

  WorkflowStub untyped(String taskId) {
    return temporal.getWorkflowClient().newUntypedWorkflowStub(WorkflowIds.task(taskId));
  }

  /**
   * No slot comes free: every claim answers "not yet" (and a wait of the polling kind does so after
   * a moment, as the real one does), until the test grants one with {@link #grantSlot}.
   */
  void slotsStayTaken() {
    when(slots.claim(any())).thenReturn(false);
    doAnswer(
            call -> {
              Thread.sleep(50);
              return false;
            })
        .when(slots)
        .acquire(any());
  }

  /** The claims made so far, in order. */
  List<SlotClaim> claims() {
    ArgumentCaptor<SlotClaim> claims = ArgumentCaptor.forClass(SlotClaim.class);
    verify(slots, atLeast(0)).claim(claims.capture());
    return claims.getAllValues();
  }

  /** Signals the grant of the task's latest claim, as whoever freed a slot would. */
  void grantSlot(String taskId) {
    untyped(taskId).signal(TaskWorkflow.SLOT_GRANTED, claims().getLast().claim());
  }

  /** Waits until the task shows SCHEDULED with the reason that it waits for a slot. */
  void awaitSlotWait(TaskWorkflow workflow) {
    awaitStatus(TaskStatus.SCHEDULED);
    while (workflow.state().statusReason() == null) {
      sleep(Duration.ofSeconds(1));
    }
  }

  /** Waits (in real time, without skipping) until the task has written this status. */
  void awaitStatus(TaskStatus status) {
    verify(projection, timeout(5_000).atLeastOnce()).record(argThat(s -> s.status() == status));
  }

  /** Every state written to the projection, in the order the writes happened. */
  List<TaskState> recorded() {
    ArgumentCaptor<TaskState> states = ArgumentCaptor.forClass(TaskState.class);
    verify(projection, atLeast(0)).record(states.capture());
    return states.getAllValues();
  }

  /** The statuses written to the projection in order, a status written twice in a row once. */
  List<TaskStatus> recordedStatuses() {
    List<TaskStatus> statuses = new ArrayList<>();
    for (TaskState state : recorded()) {
      if (statuses.isEmpty() || statuses.getLast() != state.status()) {
        statuses.add(state.status());
      }
    }
    return statuses;
  }

  /** The first state written with this status. */
  TaskState firstRecorded(TaskStatus status) {
    return recorded().stream().filter(s -> s.status() == status).findFirst().orElseThrow();
  }

  Instant now() {
    return Instant.ofEpochMilli(temporal.currentTimeMillis());
  }

  /** Lets time pass in the test environment; timers fire without waiting. */
  void sleep(Duration duration) {
    temporal.sleep(duration);
  }

  private void startWorkers() {
    if (temporal.isStarted()) {
      return;
    }
    Worker workflows = temporal.newWorker(TaskQueues.WORKFLOWS);
    workflows.registerWorkflowImplementationTypes(TaskWorkflowImpl.class);
    // Projection writes, slot claims and the secrets' purge are local activities, run by the
    // workflow's own worker.
    workflows.registerActivitiesImplementations(projection, slots, secrets);
    // Heartbeats reach the server at most every 50 ms, so a cancel is noticed quickly.
    WorkerOptions agentOptions =
        WorkerOptions.newBuilder().setMaxHeartbeatThrottleInterval(Duration.ofMillis(50)).build();
    temporal
        .newWorker(TaskQueues.AGENTS, agentOptions)
        .registerActivitiesImplementations(agentImplementation);
    temporal
        .newWorker(TaskQueues.IO)
        .registerActivitiesImplementations(
            planning, summaries, publishing, notifying, projection, slots);
    temporal.newWorker(TaskQueues.SLOTS).registerActivitiesImplementations(slots);
    temporal.start();
  }

  /**
   * Shuts the environment down in the background: worker shutdown waits about 250 ms for its
   * pollers, which would otherwise add up over the suite. Environments share nothing, so the next
   * test need not wait.
   */
  @Override
  public void close() {
    Thread.ofVirtual().name("close-test-environment").start(temporal::close);
  }
}
