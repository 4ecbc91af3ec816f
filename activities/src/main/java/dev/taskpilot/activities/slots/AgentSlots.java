package dev.taskpilot.activities.slots;

import dev.taskpilot.store.AgentSlotRepository;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Grants and keeps agent run slots in PostgreSQL, one decision at a time across the fleet. */
@Singleton
public class AgentSlots {
  private final AgentSlotRepository slots;
  private final SlotsConfig config;

  public AgentSlots(AgentSlotRepository slots, SlotsConfig config) {
    this.slots = slots;
    this.config = config;
  }

  /**
   * Claims a slot, or renews the waiting claim. True when the task holds the slot now.
   *
   * @param workspaceKey the workspace the run needs alone, or null when runs there are isolated
   */
  @Transactional
  public boolean tryAcquire(String taskId, String agent, String workspaceKey, int priority) {
    Instant now = Instant.now();
    slots.lock();
    slots.deleteExpired(now);
    slots.claim(taskId, agent, workspaceKey, priority, now, now.plus(config.lease()));
    if ("RUNNING".equals(slots.state(taskId))) {
      return true;
    }
    boolean free =
        slots.countRunning(agent) < config.maxRunsOf(agent)
            && (workspaceKey == null || slots.countRunningOnWorkspace(workspaceKey) == 0)
            && slots.countWaitingAhead(agent, taskId, priority) == 0;
    if (free) {
      slots.markRunning(taskId, now.plus(config.lease()));
    }
    return free;
  }

  /** Keeps a held slot alive while its run goes on. */
  public void renew(String taskId) {
    slots.renew(taskId, Instant.now().plus(config.lease()));
  }

  /** Gives a slot (or a waiting claim) back. */
  public void release(String taskId) {
    slots.release(taskId);
  }
}
