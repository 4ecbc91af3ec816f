package dev.taskpilot.activities.slots;

import dev.taskpilot.store.AgentSlotRecord;
import dev.taskpilot.store.AgentSlotRepository;
import dev.taskpilot.store.DatabaseFailures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet-wide queue of agent run slots in PostgreSQL. Nothing polls it: whatever frees capacity
 * (a release, an expired lease found by a sweep, a new claim that fits) grants the next waiting
 * claims in the same transaction, in priority order and then by age, and returns them so their
 * workflows can be told. Grant decisions are serialised across the fleet by an advisory lock.
 *
 * <p>Every grant records how long its claim waited in the timer {@code taskpilot.slot.wait}
 * (Prometheus {@code taskpilot_slot_wait_seconds}), tagged by {@code profile}; a claim that fits at
 * once records a wait of about zero, so the count is the number of grants.
 */
@Singleton
public class AgentSlots {
  private static final Logger log = LoggerFactory.getLogger(AgentSlots.class);

  private final AgentSlotRepository slots;
  private final SlotsConfig config;
  private final MeterRegistry meters;

  public AgentSlots(AgentSlotRepository slots, SlotsConfig config, MeterRegistry meters) {
    this.slots = slots;
    this.config = config;
    this.meters = meters;
  }

  /**
   * The outcome of a claim.
   *
   * @param held whether the claiming task holds its slot now
   * @param granted other claims granted in the same transaction, whose workflows must be told
   */
  public record Claimed(boolean held, List<SlotGrant> granted) {}

  /**
   * Queues a claim, or updates the priority and renews the lease of the task's existing one, then
   * grants whatever is free.
   *
   * @param workspaceKey the workspace the run needs alone, or null when runs there are isolated
   * @param claim the workflow's number for this claim
   */
  @Transactional
  public Claimed claim(String taskId, String agent, String workspaceKey, int priority, int claim) {
    Instant now = Instant.now();
    slots.lock();
    slots.claim(
        taskId,
        agent,
        workspaceKey,
        priority,
        claim,
        now,
        now.plus(config.waitingLease()),
        now.plus(config.lease()));
    List<SlotGrant> granted = grantFree(now);
    boolean held = granted.removeIf(grant -> grant.taskId().equals(taskId));
    return new Claimed(held || "RUNNING".equals(slots.state(taskId)), granted);
  }

  /** Gives a slot (or a waiting claim) back and grants what that frees. */
  @Transactional
  public List<SlotGrant> release(String taskId) {
    slots.lock();
    slots.release(taskId);
    return grantFree(Instant.now());
  }

  /**
   * Takes back a grant its workflow cannot take up (the workflow is gone), unless the task claimed
   * again since, and grants what that frees.
   */
  @Transactional
  public List<SlotGrant> revoke(SlotGrant grant) {
    slots.lock();
    slots.releaseClaim(grant.taskId(), grant.claim());
    return grantFree(Instant.now());
  }

  /** Forgets claims whose lease ran out (a dead worker's, a grant never taken up) and grants. */
  @Transactional
  public List<SlotGrant> sweep() {
    slots.lock();
    return grantFree(Instant.now());
  }

  /** {@link #renew(String, String)} without naming the worker (the recorded one stays). */
  public boolean renew(String taskId) {
    return renew(taskId, null);
  }

  /**
   * Keeps a held slot alive while its run goes on, and records the worker running it (its Temporal
   * identity; null keeps the recorded one) for the fleet view. Returns false, instead of failing,
   * when PostgreSQL cannot be reached: the run goes on and renews again later (see the agent's
   * lease).
   */
  public boolean renew(String taskId, String holder) {
    try {
      slots.renew(taskId, Instant.now().plus(config.lease()), holder);
      return true;
    } catch (RuntimeException e) {
      if (!DatabaseFailures.isConnectionFailure(e)) {
        throw e;
      }
      log.debug("could not renew the slot lease of task {}: {}", taskId, e.getMessage());
      return false;
    }
  }

  /** How long a granted slot is held without a renewal. */
  public Duration lease() {
    return config.lease();
  }

  /** Under the lock: grants waiting claims, best first, while their agents and workspaces allow. */
  private List<SlotGrant> grantFree(Instant now) {
    slots.deleteExpired(now);
    Map<String, Long> free = new HashMap<>();
    for (String agent : slots.waitingAgents()) {
      long capacity = config.maxRunsOf(agent) - slots.countRunning(agent);
      if (capacity > 0) {
        free.put(agent, capacity);
      }
    }
    List<SlotGrant> granted = new ArrayList<>();
    while (!free.isEmpty()) {
      Optional<AgentSlotRecord> next = slots.nextGrantable(free.keySet());
      if (next.isEmpty()) {
        break;
      }
      AgentSlotRecord claim = next.get();
      slots.markRunning(claim.taskId(), now.plus(config.lease()), now);
      recordWait(claim, now);
      granted.add(new SlotGrant(claim.taskId(), claim.claim()));
      free.computeIfPresent(claim.agent(), (agent, left) -> left > 1 ? left - 1 : null);
    }
    return granted;
  }

  /** How long a granted claim waited, from when it started waiting (or its submission). */
  private void recordWait(AgentSlotRecord claim, Instant now) {
    Instant since = claim.waitingSince() != null ? claim.waitingSince() : claim.submittedAt();
    Duration waited = Duration.between(since, now);
    Timer.builder("taskpilot.slot.wait")
        .description("How long agent runs waited for a slot, by profile (recorded on each grant)")
        .tag("profile", claim.agent())
        .register(meters)
        .record(waited.isNegative() ? Duration.ZERO : waited);
  }
}
