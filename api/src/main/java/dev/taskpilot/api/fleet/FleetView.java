package dev.taskpilot.api.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The worker fleet and the agent slot queues: {@code GET /api/v1/fleet}.
 *
 * @param workers the registered workers, by identity
 * @param profiles every configured agent profile and every other agent with claims, by name
 */
@Serdeable
public record FleetView(List<Worker> workers, List<Profile> profiles) {

  /**
   * One worker.
   *
   * @param identity its Temporal identity
   * @param taskQueue the task queue its workflows come from (it polls the activity queues too)
   * @param alive whether it was seen within three heartbeat intervals
   * @param draining whether it is stopping: finishing its runs, taking no new ones
   * @param agentSlots how many agent runs it takes at a time
   * @param agents the agent profiles it runs and their fleet-wide slot capacity, as it is
   *     configured
   * @param running the granted slots whose agent runs on it, oldest first
   */
  @Serdeable
  public record Worker(
      String identity,
      String host,
      long pid,
      String taskQueue,
      Instant startedAt,
      Instant lastSeen,
      boolean alive,
      boolean draining,
      int agentSlots,
      Map<String, Integer> agents,
      List<Run> running) {}

  /**
   * An agent run holding a slot.
   *
   * @param since when its slot was granted (null for a grant older than the fleet view)
   */
  @Serdeable
  public record Run(
      String taskId,
      String agent,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant since) {}

  /**
   * The slot queue of one agent profile.
   *
   * @param capacity how many runs of it the fleet runs at a time
   * @param running granted slots (including runs whose worker has not yet named itself)
   * @param waiting claims waiting for a slot
   * @param oldestWaitingSince when the longest wait began; null when nothing waits
   */
  @Serdeable
  public record Profile(
      String agent,
      int capacity,
      long running,
      long waiting,
      @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable Instant oldestWaitingSince) {}
}
