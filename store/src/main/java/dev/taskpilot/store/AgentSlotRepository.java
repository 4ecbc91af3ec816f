package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The queue of claims on agent run slots; see V3__agent_slots.sql and V6__agent_slot_queue.sql.
 * Grant decisions run inside one transaction that holds {@link #lock()}.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AgentSlotRepository extends GenericRepository<AgentSlotRecord, String> {

  /**
   * Serialises grant decisions across the fleet until the transaction ends (a transaction-scoped
   * advisory lock); readers are not blocked.
   */
  @Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7365846)) AS locked")
  int lock();

  @Query("DELETE FROM agent_slots WHERE lease_until < :now")
  int deleteExpired(Instant now);

  /**
   * Adds a waiting claim, or updates the priority and claim number of an existing one and renews
   * its lease: {@code waitingUntil} while it waits, {@code runningUntil} once granted. The claim
   * keeps its place by the task's creation time.
   */
  @Query(
      """
      INSERT INTO agent_slots (task_id, agent, workspace_key, priority, submitted_at, state,
                               lease_until, claim, waiting_since)
      VALUES (:taskId, :agent, :workspaceKey, :priority,
              COALESCE((SELECT created_at FROM tasks WHERE id = :taskId), :now), 'WAITING',
              :waitingUntil, :claim, :now)
      ON CONFLICT (task_id) DO UPDATE
         SET priority = EXCLUDED.priority,
             claim = EXCLUDED.claim,
             lease_until = CASE WHEN agent_slots.state = 'WAITING'
                                THEN CAST(:waitingUntil AS TIMESTAMPTZ)
                                ELSE CAST(:runningUntil AS TIMESTAMPTZ) END
      """)
  int claim(
      String taskId,
      String agent,
      @Nullable String workspaceKey,
      int priority,
      int claim,
      Instant now,
      Instant waitingUntil,
      Instant runningUntil);

  @Query("SELECT state FROM agent_slots WHERE task_id = :taskId")
  @Nullable
  String state(String taskId);

  /** The agents that have waiting claims. */
  @Query("SELECT DISTINCT agent FROM agent_slots WHERE state = 'WAITING'")
  List<String> waitingAgents();

  /** How many claims wait for a slot, all agents together (the slot wait depth metric). */
  @Query("SELECT COUNT(*) FROM agent_slots WHERE state = 'WAITING'")
  long countWaiting();

  @Query("SELECT COUNT(*) FROM agent_slots WHERE agent = :agent AND state = 'RUNNING'")
  long countRunning(String agent);

  /**
   * The waiting claim to grant next among the given agents: highest priority, then oldest, whose
   * plain workspace (if any) no running claim holds.
   */
  @Query(
      """
      SELECT w.* FROM agent_slots w
       WHERE w.state = 'WAITING' AND w.agent IN (:agents)
         AND (w.workspace_key IS NULL OR NOT EXISTS
              (SELECT 1 FROM agent_slots r
                WHERE r.state = 'RUNNING' AND r.workspace_key = w.workspace_key))
       ORDER BY w.priority DESC, w.submitted_at, w.task_id
       LIMIT 1
      """)
  Optional<AgentSlotRecord> nextGrantable(Collection<String> agents);

  /** Grants a claim; the worker that runs it names itself with its first renewal. */
  @Query(
      """
      UPDATE agent_slots SET state = 'RUNNING', lease_until = :leaseUntil, granted_at = :now,
                             holder = NULL
       WHERE task_id = :taskId
      """)
  int markRunning(String taskId, Instant leaseUntil, Instant now);

  /**
   * Renews a granted claim's lease and records the worker running it (a null {@code holder} keeps
   * the one recorded).
   */
  @Query(
      """
      UPDATE agent_slots SET lease_until = :leaseUntil, holder = COALESCE(:holder, holder)
       WHERE task_id = :taskId AND state = 'RUNNING'
      """)
  int renew(String taskId, Instant leaseUntil, @Nullable String holder);

  @Query("DELETE FROM agent_slots WHERE task_id = :taskId")
  int release(String taskId);

  /** Removes the claim only while it is still the given one (a grant nobody took up). */
  @Query("DELETE FROM agent_slots WHERE task_id = :taskId AND claim = :claim")
  int releaseClaim(String taskId, int claim);
}
