package dev.taskpilot.worker;

import dev.taskpilot.activities.agent.process.AgentDrain;
import dev.taskpilot.activities.agent.process.ProcessReaper;
import dev.taskpilot.activities.slots.WorkerIdentityInterceptor;
import dev.taskpilot.workflows.TaskQueues;
import dev.taskpilot.workflows.activities.agent.AgentActivities;
import dev.taskpilot.workflows.activities.notify.NotifyActivities;
import dev.taskpilot.workflows.activities.planning.PlanningActivities;
import dev.taskpilot.workflows.activities.projection.ProjectionActivities;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.secrets.SecretActivities;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.logging.CorrelationIdsInterceptor;
import dev.taskpilot.workflows.retention.RetentionActivities;
import dev.taskpilot.workflows.retention.RetentionWorkflowImpl;
import dev.taskpilot.workflows.schedule.ScheduleActivities;
import dev.taskpilot.workflows.schedule.ScheduleWorkflow;
import dev.taskpilot.workflows.schedule.ScheduleWorkflowImpl;
import dev.taskpilot.workflows.task.TaskWorkflowImpl;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.ShutdownEvent;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: registers the task workflow and the activities on their task queues when the
 * application starts, and drains them when it stops.
 */
@Singleton
@Requires(property = "taskpilot.worker.enabled", value = "true", defaultValue = "true")
public class TaskWorkers {
  private static final Logger log = LoggerFactory.getLogger(TaskWorkers.class);
  private static final java.time.Duration HEARTBEAT_THROTTLE = java.time.Duration.ofSeconds(2);
  // Projection writes (local activities) at a time: each holds a database connection briefly.
  private static final int LOCAL_ACTIVITY_SLOTS = 8;
  // After the drain timeout: for handed-over runs to stop their agents and report.
  private static final java.time.Duration HAND_OVER_GRACE = java.time.Duration.ofSeconds(15);

  private final WorkflowClient client;
  private final WorkerConfig config;
  private final ActivityOptionsOverrides overrides;
  private final ProcessReaper reaper;
  private final AgentDrain drain;
  private final Object[] ioActivities;
  private final AgentActivities agentActivities;
  private final SlotActivities slotActivities;
  private final ProjectionActivities projectionActivities;
  private final ScheduleActivities scheduleActivities;
  private final SecretActivities secretActivities;
  private final RetentionActivities retentionActivities;
  private final FleetHeartbeat heartbeat;
  private final List<WorkerFactory> factories = new ArrayList<>();

  public TaskWorkers(
      WorkflowClient client,
      WorkerConfig config,
      ActivityOptionsOverrides overrides,
      ProcessReaper reaper,
      AgentDrain drain,
      PlanningActivities planning,
      SummaryActivities summary,
      AgentActivities agent,
      PublishActivities publish,
      NotifyActivities notify,
      ProjectionActivities projection,
      SlotActivities slots,
      ScheduleActivities schedules,
      SecretActivities secrets,
      RetentionActivities retention,
      FleetHeartbeat heartbeat) {
    this.client = client;
    this.heartbeat = heartbeat;
    this.config = config;
    this.overrides = overrides;
    this.reaper = reaper;
    this.drain = drain;
    this.ioActivities = new Object[] {planning, summary, publish, notify, projection, slots};
    this.scheduleActivities = schedules;
    this.slotActivities = slots;
    this.projectionActivities = projection;
    this.agentActivities = agent;
    this.secretActivities = secrets;
    this.retentionActivities = retention;
  }

  @EventListener
  void onStartup(StartupEvent event) {
    start();
  }

  @EventListener
  void onShutdown(ShutdownEvent event) {
    stop();
  }

  /** Starts {@code count} workers; does nothing when already started. */
  public synchronized void start() {
    if (!factories.isEmpty() || config.count() == 0) {
      return;
    }
    drain.reset();
    int reaped = reaper.reapOrphans();
    if (reaped > 0) {
      log.warn("killed {} agent process group(s) left behind by a worker that died", reaped);
    }
    // pid@host, and a suffix of this start: another start in the same process (tests) or a later
    // process that got the same pid has its own rows in the fleet registry.
    String process = ManagementFactory.getRuntimeMXBean().getName();
    String start = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    List<String> identities = new ArrayList<>();
    for (int i = 1; i <= config.count(); i++) {
      String identity = process + "/worker-" + i + "-" + start;
      WorkerFactory factory =
          WorkerFactory.newInstance(
              client,
              WorkerFactoryOptions.newBuilder()
                  .setWorkflowCacheSize(600)
                  // taskId, workflowId, runId, activityType, attempt in each activity's MDC; and
                  // which worker runs an activity (the agent records it as its slot's holder).
                  .setWorkerInterceptors(
                      new CorrelationIdsInterceptor(), new WorkerIdentityInterceptor(identity))
                  .build());
      Worker workflows =
          factory.newWorker(
              TaskQueues.WORKFLOWS,
              WorkerOptions.newBuilder(options(identity, 50))
                  .setMaxConcurrentLocalActivityExecutionSize(LOCAL_ACTIVITY_SLOTS)
                  .build());
      workflows.registerWorkflowImplementationTypes(
          overrides.workflowOptions(), TaskWorkflowImpl.class);
      // Projection writes, slot claims and releases and the secrets' purge are local activities
      // of the task workflow: its worker runs them.
      workflows.registerActivitiesImplementations(
          projectionActivities, slotActivities, secretActivities);
      Worker io = factory.newWorker(TaskQueues.IO, options(identity, config.ioSlots()));
      io.registerActivitiesImplementations(ioActivities);
      Worker agents = factory.newWorker(TaskQueues.AGENTS, options(identity, config.agentSlots()));
      agents.registerActivitiesImplementations(agentActivities);
      Worker slotWaits =
          factory.newWorker(TaskQueues.SLOTS, options(identity, config.slotWaiters()));
      slotWaits.registerActivitiesImplementations(slotActivities);
      Worker schedules =
          factory.newWorker(ScheduleWorkflow.TASK_QUEUE, options(identity, config.ioSlots()));
      // The retention sweep is housekeeping of the same kind, on the same queue.
      schedules.registerWorkflowImplementationTypes(
          ScheduleWorkflowImpl.class, RetentionWorkflowImpl.class);
      schedules.registerActivitiesImplementations(scheduleActivities, retentionActivities);
      factory.start();
      factories.add(factory);
      identities.add(identity);
      log.info(
          "worker {} polling {}, {}, {}",
          identity,
          TaskQueues.WORKFLOWS,
          TaskQueues.IO,
          TaskQueues.AGENTS);
    }
    heartbeat.started(identities);
  }

  /**
   * Stops polling at once and lets running activities finish, up to the drain timeout; agent runs
   * still going then are stopped and handed over (their workflows run them again elsewhere, without
   * using a retry), and the hand-over is reported before this returns.
   */
  public synchronized void stop() {
    if (factories.isEmpty()) {
      return;
    }
    drain.begin();
    heartbeat.draining();
    for (WorkerFactory factory : factories) {
      factory.shutdown();
    }
    long deadline = System.nanoTime() + config.drainTimeout().plus(HAND_OVER_GRACE).toNanos();
    for (WorkerFactory factory : factories) {
      long left = Math.max(0, deadline - System.nanoTime());
      factory.awaitTermination(left, TimeUnit.NANOSECONDS);
    }
    factories.clear();
    heartbeat.stopped();
  }

  private WorkerOptions options(String identity, int activitySlots) {
    return WorkerOptions.newBuilder()
        .setIdentity(identity)
        .setMaxConcurrentActivityExecutionSize(activitySlots)
        .setStickyQueueScheduleToStartTimeout(config.stickyTimeout())
        // Cancellation reaches an activity only through a heartbeat's answer: send them often
        // enough that a cancelled agent is killed within seconds, not the SDK's default 24 s.
        .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        .setDefaultHeartbeatThrottleInterval(HEARTBEAT_THROTTLE)
        // Draining agents go on heartbeating: by default a heartbeat after shutdown() throws
        // ActivityWorkerShutdownException, which would fail the run instead of handing it over,
        // and a drain as long as the heartbeat timeout would let the server time the run out.
        .setAllowActivityHeartbeatDuringShutdown(true)
        .build();
  }
}
