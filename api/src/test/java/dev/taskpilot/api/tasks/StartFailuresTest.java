package dev.taskpilot.api.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowServiceException;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Which failed starts surely did not start the workflow, so a create may take its row back. */
class StartFailuresTest {

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {
        "UNAVAILABLE",
        "INVALID_ARGUMENT",
        "NOT_FOUND",
        "PERMISSION_DENIED",
        "UNAUTHENTICATED",
        "RESOURCE_EXHAUSTED",
        "FAILED_PRECONDITION",
        "OUT_OF_RANGE",
        "UNIMPLEMENTED"
      })
  void shouldCountAStartAsNotStartedWhenTheEngineRefusedOrWasNotReached(Status.Code code) {
    assertThat(TaskEngine.surelyNotStarted(asTheClientThrowsIt(code))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = Status.Code.class,
      names = {"DEADLINE_EXCEEDED", "UNKNOWN", "CANCELLED", "INTERNAL", "ABORTED", "DATA_LOSS"})
  void shouldCountAStartAsUnclearWhenTheEngineMayHaveTakenIt(Status.Code code) {
    assertThat(TaskEngine.surelyNotStarted(asTheClientThrowsIt(code))).isFalse();
  }

  @Test
  void shouldCountAStartAsUnclearWhenTheFailureIsNoGrpcStatus() {
    // the client's retryer turns a cancelled call into a CancellationException
    assertThat(TaskEngine.surelyNotStarted(new CancellationException("cancelled"))).isFalse();
    assertThat(TaskEngine.surelyNotStarted(new IllegalStateException("odd"))).isFalse();
  }

  /** A start failure as WorkflowClient.start throws it: the gRPC status inside. */
  private static RuntimeException asTheClientThrowsIt(Status.Code code) {
    return new WorkflowServiceException(
        WorkflowExecution.newBuilder().setWorkflowId("task-x").build(),
        "TaskWorkflow",
        new StatusRuntimeException(Status.fromCode(code)));
  }
}
