package dev.taskpilot.app;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;

/** What dev recovery asks the engine about the workflows PostgreSQL knows. */
final class EngineWorkflows {
  private EngineWorkflows() {}

  /**
   * Whether the engine knows a workflow of this id, running or ended; false only when it answers
   * NOT_FOUND, any other failure is thrown.
   */
  static boolean knows(WorkflowClient client, String workflowId) {
    try {
      client
          .getWorkflowServiceStubs()
          .blockingStub()
          .describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(client.getOptions().getNamespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
