package dev.taskpilot.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.taskpilot.workflows.TaskQueues;
import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.agent.AgentRunResult;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.planning.TaskPlan;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.activities.secrets.SecretActivities;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.task.ActivityDefaults;
import dev.taskpilot.workflows.task.TaskInput;
import dev.taskpilot.workflows.task.TaskSearchAttributes;
import dev.taskpilot.workflows.task.TaskState;
import dev.taskpilot.workflows.task.TaskWorkflow;
import dev.taskpilot.workflows.task.TaskWorkflowImpl;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ActivityOptionsOverridesTest {
  private final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();

  {
    TaskSearchAttributes.REGISTERED.forEach(env::registerSearchAttribute);
  }

  @AfterEach
  void close() {
    env.close();
  }

  @Test
  void shouldBindOverridesFromConfigurationKeys() {
    // given
    Map<String, Object> config =
        Map.of(
            "taskpilot.worker.enabled",
            false,
            "taskpilot.activities.publish-webhook.maximum-attempts",
            2,
            "taskpilot.activities.publish-webhook.initial-interval",
            "10s");
    // when
    try (ApplicationContext context = ApplicationContext.run(config)) {
      ActivityOptionsOverrides overrides = context.getBean(ActivityOptionsOverrides.class);
      // then
      var publish = overrides.byType().get("PublishWebhook");
      assertThat(publish.getRetryOptions().getMaximumAttempts()).isEqualTo(2);
      assertThat(publish.getRetryOptions().getInitialInterval()).isEqualTo(Duration.ofSeconds(10));
      assertThat(publish.getRetryOptions().getBackoffCoefficient())
          .isEqualTo(ActivityDefaults.PUBLISH_WEBHOOK.getRetryOptions().getBackoffCoefficient());
      assertThat(publish.getStartToCloseTimeout()).isNull();
    }
  }

  @Test
  void shouldRefuseOverrideOfUnknownActivity() {
    // given
    Map<String, Object> config =
        Map.of(
            "taskpilot.worker.enabled",
            false,
            "taskpilot.activities.publish-reslt.maximum-attempts",
            2);
    // when / then
    try (ApplicationContext context = ApplicationContext.run(config)) {
      assertThatThrownBy(() -> context.getBean(ActivityOptionsOverrides.class))
          .isInstanceOf(BeanInstantiationException.class)
          .hasMessageContaining("publish-reslt")
          .hasMessageContaining("publish-webhook")
          .hasMessageContaining("send-notification");
    }
  }

  @Test
  void shouldRetryPublishAsOftenAsConfiguredWhenOverridden() {
    // given: a target that is always down, and publishing limited to 2 attempts
    ActivityOptionsOverrides overrides =
        new ActivityOptionsOverrides(
            List.of(
                new ActivityOverride(
                    "publish-file", null, null, Duration.ofSeconds(1), 1.0, null, 2)));
    PublishActivities publish = mock(PublishActivities.class, withSettings().withoutAnnotations());
    when(publish.publishFile(any())).thenThrow(new IllegalStateException("target down"));
    register(overrides, publish);
    TaskWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                TaskWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId("task-1")
                    .setTaskQueue(TaskQueues.WORKFLOWS)
                    .build());

    // when
    TaskState end = workflow.run(input());

    // then
    assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
    verify(publish, times(2)).publishFile(any());
  }

  private void register(ActivityOptionsOverrides overrides, PublishActivities publish) {
    Worker workflows = env.newWorker(TaskQueues.WORKFLOWS);
    workflows.registerWorkflowImplementationTypes(
        overrides.workflowOptions(), TaskWorkflowImpl.class);
    ProjectionActivities projection =
        mock(ProjectionActivities.class, withSettings().withoutAnnotations());
    SlotActivities slots = mock(SlotActivities.class, withSettings().withoutAnnotations());
    when(slots.claim(any())).thenReturn(true);
    SecretActivities secrets = mock(SecretActivities.class, withSettings().withoutAnnotations());
    workflows.registerActivitiesImplementations(projection, slots, secrets);
    PlanningActivities planning =
        mock(PlanningActivities.class, withSettings().withoutAnnotations());
    when(planning.plan(any()))
        .thenAnswer(
            call ->
                new TaskPlan(5, Instant.EPOCH, 1, false, null, "do it", "test", PlanSource.USER));
    AgentActivities agent = mock(AgentActivities.class, withSettings().withoutAnnotations());
    when(agent.run(any()))
        .thenReturn(new AgentRunResult(1, 0, Instant.EPOCH, Instant.EPOCH, 1, "done", null, null));
    env.newWorker(TaskQueues.IO)
        .registerActivitiesImplementations(
            planning,
            publish,
            mock(NotifyActivities.class, withSettings().withoutAnnotations()),
            projection,
            mock(SummaryActivities.class, withSettings().withoutAnnotations()),
            slots);
    env.newWorker(TaskQueues.AGENTS).registerActivitiesImplementations(agent);
    env.newWorker(TaskQueues.SLOTS).registerActivitiesImplementations(slots);
    env.start();
  }

  private static TaskInput input() {
    return new TaskInput(
        "task-1",
        "default",
        "title",
        "prompt",
        "example",
        null,
        null,
        null,
        null,
        null,
        null,
        List.of(new PublishTarget.File("out.md")),
        null,
        Duration.ofMinutes(5),
        null,
        null);
  }
}
