package dev.taskpilot.workflows.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The request id set in the client's MDC reaches the activities of the workflow it starts, and the
 * interceptor puts the activity's ids in its MDC and takes them away when it ends.
 */
class CorrelationIdsInterceptorTest {
  private static final String QUEUE = "correlation-ids";

  /** MDC snapshots: in the activity, and around the interceptor's execution (outside it). */
  static final List<Map<String, String>> IN_ACTIVITY = new CopyOnWriteArrayList<>();

  static final List<Map<String, String>> AFTER_EXECUTION = new CopyOnWriteArrayList<>();

  @ActivityInterface
  public interface Probe {
    @ActivityMethod(name = "Probe")
    void probe();
  }

  public static class ProbeImpl implements Probe {
    @Override
    public void probe() {
      IN_ACTIVITY.add(snapshot());
    }
  }

  @WorkflowInterface
  public interface TaskLike {
    @WorkflowMethod(name = "Task")
    void run();
  }

  @WorkflowInterface
  public interface Other {
    @WorkflowMethod(name = "Other")
    void run();
  }

  public static class TaskLikeImpl implements TaskLike {
    @Override
    public void run() {
      probe().probe();
    }
  }

  public static class OtherImpl implements Other {
    @Override
    public void run() {
      probe().probe();
    }
  }

  private static Probe probe() {
    return Workflow.newActivityStub(
        Probe.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  }

  private static Map<String, String> snapshot() {
    Map<String, String> copy = MDC.getCopyOfContextMap();
    return copy == null ? Map.of() : new HashMap<>(copy);
  }

  /** Outside the interceptor under test (the last one wraps the others). */
  static class Outside extends WorkerInterceptorBase {
    @Override
    public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
      return new ActivityInboundCallsInterceptorBase(next) {
        @Override
        public ActivityOutput execute(ActivityInput input) {
          try {
            return super.execute(input);
          } finally {
            AFTER_EXECUTION.add(snapshot());
          }
        }
      };
    }
  }

  private TestWorkflowEnvironment environment;

  @BeforeEach
  void start() {
    IN_ACTIVITY.clear();
    AFTER_EXECUTION.clear();
    environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setContextPropagators(
                            List.of(
                                new RequestIdPropagator(DefaultDataConverter.STANDARD_INSTANCE)))
                        .build())
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new CorrelationIdsInterceptor(), new Outside())
                        .build())
                .build());
    Worker worker = environment.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(TaskLikeImpl.class, OtherImpl.class);
    worker.registerActivitiesImplementations(new ProbeImpl());
    environment.start();
  }

  @AfterEach
  void stop() {
    MDC.clear();
    environment.close();
  }

  @Test
  void shouldPutTheIdsInTheActivitysMdcAndRemoveThemAfterWhenATaskRunsIt() {
    // given: a request id in the MDC of the thread that starts the workflow
    MDC.put(LogIds.REQUEST_ID, "req-7");
    TaskLike task =
        environment
            .getWorkflowClient()
            .newWorkflowStub(
                TaskLike.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("task-7").build());

    // when
    task.run();

    // then
    assertThat(IN_ACTIVITY).hasSize(1);
    assertThat(IN_ACTIVITY.getFirst())
        .containsEntry(LogIds.REQUEST_ID, "req-7")
        .containsEntry(LogIds.TASK_ID, "task-7")
        .containsEntry(LogIds.WORKFLOW_ID, "task-7")
        .containsEntry(LogIds.ACTIVITY_TYPE, "Probe")
        .containsEntry(LogIds.ATTEMPT, "1")
        .containsKey(LogIds.RUN_ID);
    assertThat(IN_ACTIVITY.getFirst().get(LogIds.RUN_ID)).isNotBlank();
    assertThat(AFTER_EXECUTION).hasSize(1);
    assertThat(AFTER_EXECUTION.getFirst())
        .doesNotContainKeys(LogIds.ACTIVITY_KEYS.toArray(String[]::new));
  }

  @Test
  void shouldSetNoTaskIdOrRequestIdWhenAnotherWorkflowRunsWithoutARequest() {
    // given
    MDC.remove(LogIds.REQUEST_ID);
    Other other =
        environment
            .getWorkflowClient()
            .newWorkflowStub(
                Other.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("other-1").build());

    // when
    other.run();

    // then
    assertThat(IN_ACTIVITY).hasSize(1);
    assertThat(IN_ACTIVITY.getFirst())
        .containsEntry(LogIds.WORKFLOW_ID, "other-1")
        .containsEntry(LogIds.ACTIVITY_TYPE, "Probe")
        .doesNotContainKeys(LogIds.TASK_ID, LogIds.REQUEST_ID);
  }
}
