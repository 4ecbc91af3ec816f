package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.workflows.TaskStatus;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.internal.worker.WorkflowExecutionException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Pins what a client sees of a refused update on the SDK's default converter. When this fails after
 * an SDK upgrade, temporalio/sdk-java#3001 has landed: drop {@link UnwrappingFailureConverter} and
 * this test.
 */
class UpdateRefusalTypeTest extends TaskWorkflowTestSupport {

  @Test
  void shouldHideTheErrorTypeWhenTheWorkerUsesTheDefaultConverter() {
    // given
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);

    // when / then
    assertThatThrownBy(() -> workflow.approve("ok", null))
        .isInstanceOf(WorkflowUpdateException.class)
        .cause()
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(WorkflowExecutionException.class.getName());
              assertThat(failure.getOriginalMessage())
                  .isEqualTo(TaskUpdate.APPROVE.refusalIn(TaskStatus.SCHEDULED));
            });
  }
}
