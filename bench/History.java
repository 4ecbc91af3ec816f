/*
 * Prints the history length of a workflow on a Temporal frontend: the latest run's event count,
 * its run id and status, and, walking back through continue-as-new (each run's start event names
 * the run it continued), how many runs there were and their events in all. The in-memory test
 * server cannot list workflows, but it can fetch an earlier run's history by its run id.
 *
 *   java -cp app/target/taskpilot.jar bench/History.java WORKFLOW_ID [HOST:PORT] [NAMESPACE]
 *     (defaults 127.0.0.1:$TASKPILOT_DEV_TEMPORAL_PORT, else 127.0.0.1:7233; namespace default)
 *
 * The last line is machine-readable: history_events=N history_bytes=B runs=R total_events=T.
 * Exits 1 when the workflow cannot be described.
 */

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.List;

public class History {
  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: History.java WORKFLOW_ID [HOST:PORT] [NAMESPACE]");
      System.exit(2);
    }
    String workflowId = args[0];
    String port = System.getenv().getOrDefault("TASKPILOT_DEV_TEMPORAL_PORT", "7233");
    String target = args.length > 1 ? args[1] : "127.0.0.1:" + port;
    String namespace = args.length > 2 ? args[2] : "default";
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    int exit = 0;
    try {
      WorkflowClient client =
          WorkflowClient.newInstance(
              stubs, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
      DescribeWorkflowExecutionResponse described =
          stubs
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build());
      var info = described.getWorkflowExecutionInfo();
      String runId = info.getExecution().getRunId();
      List<HistoryEvent> events = client.fetchHistory(workflowId, runId).getEvents();
      long bytes = events.stream().mapToLong(HistoryEvent::getSerializedSize).sum();
      System.out.printf(
          "history: workflow %s latest run %s (%s): %d events, %d bytes%n",
          workflowId, runId, info.getStatus(), events.size(), bytes);

      int runs = 1;
      long total = events.size();
      String previous = continuedFrom(events);
      while (!previous.isEmpty() && runs < 10_000) {
        List<HistoryEvent> earlier = client.fetchHistory(workflowId, previous).getEvents();
        runs++;
        total += earlier.size();
        previous = continuedFrom(earlier);
      }
      System.out.printf(
          "history: %d run(s) through continue-as-new, %d events in all%n", runs, total);
      System.out.printf(
          "history_events=%d history_bytes=%d runs=%d total_events=%d%n",
          events.size(), bytes, runs, total);
    } catch (RuntimeException e) {
      System.err.println("History.java: cannot read workflow " + workflowId + " at " + target + ": " + e);
      exit = 1;
    } finally {
      stubs.shutdownNow();
    }
    System.exit(exit);
  }

  /** The run id the run of these events continued, or "" for a first run. */
  private static String continuedFrom(List<HistoryEvent> events) {
    if (events.isEmpty() || !events.getFirst().hasWorkflowExecutionStartedEventAttributes()) {
      return "";
    }
    return events.getFirst().getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
  }
}
