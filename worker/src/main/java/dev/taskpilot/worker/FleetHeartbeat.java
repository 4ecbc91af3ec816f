package dev.taskpilot.worker;

import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.slots.SlotsConfig;
import dev.taskpilot.store.DatabaseFailures;
import dev.taskpilot.store.FleetConfig;
import dev.taskpilot.store.WorkerRecord;
import dev.taskpilot.store.WorkerRegistry;
import dev.taskpilot.workflows.TaskQueues;
import io.micronaut.context.annotation.Requires;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process's workers in the fleet registry ({@code workers}): their rows are written when
 * they start and every {@code taskpilot.fleet.heartbeat-interval}, marked draining while they stop
 * and deleted on a clean stop. Each heartbeat also deletes the rows of workers silent for {@code
 * taskpilot.fleet.forget-after} (they died). PostgreSQL being away never stops the heartbeat: the
 * failure is logged once and the next beat tries again.
 */
@Singleton
@Requires(property = "taskpilot.worker.enabled", value = "true", defaultValue = "true")
public class FleetHeartbeat {
  private static final Logger log = LoggerFactory.getLogger(FleetHeartbeat.class);

  private final WorkerRegistry registry;
  private final FleetConfig fleet;
  private final WorkerConfig workers;
  private final String profiles;
  private final String host = hostName();
  private final long pid = ProcessHandle.current().pid();
  private final Map<String, WorkerRecord> mine = new LinkedHashMap<>();
  private boolean failing;

  public FleetHeartbeat(
      WorkerRegistry registry,
      FleetConfig fleet,
      WorkerConfig workers,
      AgentProfiles agents,
      SlotsConfig slots,
      JsonMapper json) {
    this.registry = registry;
    this.fleet = fleet;
    this.workers = workers;
    try {
      this.profiles = json.writeValueAsString(slots.maxRunsOf(agents.names()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Registers workers that have just started, at once and then with every beat. */
  public synchronized void started(List<String> identities) {
    Instant now = Instant.now();
    for (String identity : identities) {
      mine.put(
          identity,
          new WorkerRecord(
              identity,
              host,
              pid,
              TaskQueues.WORKFLOWS,
              workers.agentSlots(),
              now,
              now,
              false,
              profiles));
    }
    beat();
  }

  /** Marks this process's workers draining (they stop: no new work, running work finishes). */
  public synchronized void draining() {
    mine.replaceAll(
        (identity, row) ->
            new WorkerRecord(
                row.identity(),
                row.host(),
                row.pid(),
                row.taskQueue(),
                row.agentSlots(),
                row.startedAt(),
                row.lastSeen(),
                true,
                row.profiles()));
    beat();
  }

  /** Deletes the rows of this process's workers: they stopped cleanly. */
  public synchronized void stopped() {
    for (String identity : mine.keySet()) {
      attempt(() -> registry.delete(identity), "delete worker row " + identity);
    }
    mine.clear();
  }

  /** Refreshes this process's rows and forgets long-silent workers. */
  @Scheduled(
      fixedDelay = "${taskpilot.fleet.heartbeat-interval:10s}",
      initialDelay = "${taskpilot.fleet.heartbeat-interval:10s}")
  public synchronized void beat() {
    if (mine.isEmpty()) {
      return;
    }
    Instant now = Instant.now();
    boolean ok =
        attempt(
            () -> {
              for (WorkerRecord row : mine.values()) {
                registry.upsert(
                    new WorkerRecord(
                        row.identity(),
                        row.host(),
                        row.pid(),
                        row.taskQueue(),
                        row.agentSlots(),
                        row.startedAt(),
                        now,
                        row.draining(),
                        row.profiles()));
              }
              int forgotten = registry.deleteUnseenSince(now.minus(fleet.forgetAfter()));
              if (forgotten > 0) {
                log.info("forgot {} worker(s) silent for {}", forgotten, fleet.forgetAfter());
              }
              return forgotten;
            },
            "fleet heartbeat");
    if (ok && failing) {
      log.info("fleet heartbeats work again");
    }
    failing = !ok;
  }

  /**
   * Runs a registry write; a failure is logged once until a beat works again (an outage briefly, a
   * bug with its stack trace), and never thrown: the fleet view is no reason to stop a worker.
   */
  private boolean attempt(IntSupplier write, String what) {
    try {
      write.getAsInt();
      return true;
    } catch (RuntimeException e) {
      if (failing) {
        log.debug("{} failed again: {}", what, e.toString());
      } else if (DatabaseFailures.isConnectionFailure(e)) {
        log.warn("{} failed, PostgreSQL unreachable (retried every beat): {}", what, e.toString());
      } else {
        log.warn("{} failed (retried every beat)", what, e);
      }
      return false;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return System.getenv().getOrDefault("HOSTNAME", "unknown");
    }
  }
}
