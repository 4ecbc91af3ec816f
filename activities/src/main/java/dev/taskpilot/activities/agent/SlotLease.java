package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.slots.AgentSlots;
import java.time.Duration;

/**
 * A running agent's hold on its slot. Renewals that cannot reach PostgreSQL are tolerated; but once
 * none has gone through for most of the lease, the lease may run out and the slot (and a plain
 * workspace) be granted to another task, so the run counts its lease as lost and stops its agent
 * before that can happen. Two agents so never share a plain workspace, even across an outage.
 */
final class SlotLease {
  private final AgentSlots slots;
  private final String taskId;
  private final String holder;
  private final long fenceNanos;
  private volatile long renewedAt = System.nanoTime();
  private volatile boolean failing;

  SlotLease(AgentSlots slots, String taskId) {
    this(slots, taskId, null);
  }

  /**
   * @param holder the identity of the worker running the agent, recorded with each renewal (null:
   *     not known)
   */
  SlotLease(AgentSlots slots, String taskId, String holder) {
    this.slots = slots;
    this.taskId = taskId;
    this.holder = holder;
    Duration lease = slots.lease();
    // Stop a sixth of the lease (at least 5 s) before it could run out.
    long margin = Math.max(lease.toNanos() / 6, Duration.ofSeconds(5).toNanos());
    this.fenceNanos = Math.max(lease.toNanos() - margin, lease.toNanos() / 2);
  }

  /** Renews the lease; an outage of PostgreSQL only delays it. */
  void renew() {
    if (slots.renew(taskId, holder)) {
      renewedAt = System.nanoTime();
      failing = false;
    } else {
      failing = true;
    }
  }

  /**
   * Whether renewals have failed, none going through for so long that the lease may run out. (Only
   * failures count: a lease configured shorter than the renewal interval is not a lost one.)
   */
  boolean lost() {
    return failing && System.nanoTime() - renewedAt > fenceNanos;
  }
}
