package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskQueues;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.Map;

/**
 * The declared options of every activity kind, each with a summary the Temporal Web UI shows (user
 * metadata; never a title, prompt or secret). Workers may override them per activity type from
 * configuration through {@code WorkflowImplementationOptions}.
 */
public final class ActivityDefaults {

  /** Planning: an LLM call; 429s and 5xx back off 2 s, 4 s, 8 s, ... up to 1 min, 5 attempts. */
  public static final ActivityOptions PLAN =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("plan the task")
          .setStartToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(retry(Duration.ofSeconds(2), 2.0, Duration.ofMinutes(1), 5))
          .build();

  /** Summarising: an LLM call with the same backoff as planning. */
  public static final ActivityOptions SUMMARISE =
      ActivityOptions.newBuilder(PLAN).setSummary("summarise the result").build();

  /**
   * The agent run: heartbeats every few seconds, so a dead worker is noticed within the heartbeat
   * timeout; a crash is retried once. The start-to-close timeout is set per task from its timeout.
   */
  public static final ActivityOptions AGENT =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.AGENTS)
          .setHeartbeatTimeout(Duration.ofSeconds(30))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(retry(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(1), 2))
          .build();

  /**
   * One wait for an agent slot of a workflow started before slots were granted by signal: short,
   * heartbeating, on its own task queue. No cancel interrupts it: the workflow sees a cancel when
   * the call returns, and then gives the claim back.
   */
  public static final ActivityOptions SLOT_ACQUIRE =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SLOTS)
          .setSummary("wait for an agent slot")
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setHeartbeatTimeout(Duration.ofSeconds(20))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0))
          .build();

  /** Releasing an agent slot: quick, retried until it is done. */
  public static final ActivityOptions SLOT_RELEASE =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("release the agent slot")
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0))
          .build();

  /** Publishing: a target that is down is retried 5 min, 15 min, 30 min, 30 min apart. */
  public static final ActivityOptions PUBLISH =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("publish the result")
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(retry(Duration.ofMinutes(5), 3.0, Duration.ofMinutes(30), 5))
          .build();

  /** A file target: local and quick, so a failed write is retried soon. */
  public static final ActivityOptions PUBLISH_FILE =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("publish the result to a file")
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(retry(Duration.ofSeconds(5), 2.0, Duration.ofMinutes(1), 5))
          .build();

  /**
   * A webhook target that is down is retried 5 min, 15 min, 30 min and 30 min later (5 attempts);
   * 4xx answers other than 408 and 429 fail for good. Three minutes allow the 30 s HTTP timeout to
   * apply to a few redirect hops.
   */
  public static final ActivityOptions PUBLISH_WEBHOOK =
      ActivityOptions.newBuilder(PUBLISH)
          .setSummary("publish the result to a webhook")
          .setStartToCloseTimeout(Duration.ofMinutes(3))
          .build();

  /** A git target: the same schedule as a webhook; the push may take longer. */
  public static final ActivityOptions PUBLISH_GIT =
      ActivityOptions.newBuilder(PUBLISH)
          .setSummary("publish the result to git")
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .build();

  /** Notifying: a few quick retries, then the task goes on without it. */
  public static final ActivityOptions NOTIFY =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("notify the server log")
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 3))
          .build();

  /**
   * One notification on one channel: attempts 1 s, 2 s apart with a 15 s limit each, then it is
   * recorded as given up; the task never waits for it.
   */
  public static final ActivityOptions SEND_NOTIFICATION =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("send a notification")
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10), 3))
          .build();

  /** Projection writes: retried until PostgreSQL is back, so no status change is ever lost. */
  public static final ActivityOptions PROJECTION =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.IO)
          .setSummary("record the task's state in PostgreSQL")
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0))
          .build();

  /**
   * Projection writes of tasks started since they became local activities: run by the workflow's
   * own worker inside its workflow task (a marker in the history, no round trip through a task
   * queue), and retried like {@link #PROJECTION} until PostgreSQL is back.
   */
  public static final LocalActivityOptions PROJECTION_LOCAL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(retry(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 0))
          .build();

  /**
   * Slot claims and releases of tasks whose slots are granted by signal: local activities (one
   * short transaction each), run by the workflow's worker within its workflow task, with the
   * options of {@link #PROJECTION_LOCAL}: retried until PostgreSQL answers.
   */
  public static final LocalActivityOptions SLOT_LOCAL =
      LocalActivityOptions.newBuilder(PROJECTION_LOCAL).build();

  /**
   * Purging a task's secrets once it has ended: a local activity (one short statement), retried
   * like {@link #PROJECTION_LOCAL} until PostgreSQL answers.
   */
  public static final LocalActivityOptions SECRETS_LOCAL =
      LocalActivityOptions.newBuilder(PROJECTION_LOCAL).build();

  /**
   * The agent run's summary, e.g. "run claude-code in shop (run 2)": the agent, the workspace and,
   * from the second, which run of this workflow it is. Retry attempts show in the Web UI as such.
   */
  static String agentSummary(String agent, String workspace, int run) {
    return "run "
        + agent
        + (workspace != null ? " in " + workspace : "")
        + (run > 1 ? " (run " + run + ")" : "");
  }

  /** How much longer than the task's own timeout the agent activity may take to wind down. */
  public static final Duration AGENT_GRACE = Duration.ofMinutes(1);

  /** The declared options by activity type name, the names configuration overrides use. */
  public static final Map<String, ActivityOptions> BY_TYPE =
      Map.ofEntries(
          Map.entry("PlanTask", PLAN),
          Map.entry("SummariseResult", SUMMARISE),
          Map.entry("RunAgent", AGENT),
          Map.entry("PublishResult", PUBLISH),
          Map.entry("PublishFile", PUBLISH_FILE),
          Map.entry("PublishWebhook", PUBLISH_WEBHOOK),
          Map.entry("PublishGit", PUBLISH_GIT),
          Map.entry("Notify", NOTIFY),
          Map.entry("SendNotification", SEND_NOTIFICATION),
          Map.entry("RecordTaskState", PROJECTION),
          Map.entry("AcquireAgentSlot", SLOT_ACQUIRE),
          Map.entry("ReleaseAgentSlot", SLOT_RELEASE));

  private ActivityDefaults() {}

  private static RetryOptions retry(
      Duration initial, double coefficient, Duration max, int maximumAttempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(coefficient)
        .setMaximumInterval(max)
        .setMaximumAttempts(maximumAttempts)
        .build();
  }
}
