package dev.taskpilot.store;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;

/** Claims on agent run slots; see V3__agent_slots.sql. Used inside one transaction per grant. */
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

  /** Adds a waiting claim, or renews the lease (and priority) of an existing one. */
  @Query(
      """
      INSERT INTO agent_slots (task_id, agent, workspace_key, priority, submitted_at, state,
                               lease_until)
      VALUES (:taskId, :agent, :workspaceKey, :priority,
              COALESCE((SELECT created_at FROM tasks WHERE id = :taskId), :now), 'WAITING',
              :leaseUntil)
      ON CONFLICT (task_id) DO UPDATE SET priority = EXCLUDED.priority,
                                          lease_until = EXCLUDED.lease_until
      """)
  int claim(
      String taskId,
      String agent,
      @Nullable String workspaceKey,
      int priority,
      Instant now,
      Instant leaseUntil);

  @Query("SELECT state FROM agent_slots WHERE task_id = :taskId")
  @Nullable
  String state(String taskId);

  @Query("SELECT COUNT(*) FROM agent_slots WHERE agent = :agent AND state = 'RUNNING'")
  long countRunning(String agent);

  @Query(
      """
      SELECT COUNT(*) FROM agent_slots
       WHERE workspace_key = :workspaceKey AND state = 'RUNNING'
      """)
  long countRunningOnWorkspace(String workspaceKey);

  /**
   * Waiting claims that go first: same agent, higher priority or same priority and submitted
   * earlier, and not themselves blocked by a busy workspace.
   */
  @Query(
      """
      SELECT COUNT(*) FROM agent_slots w
       WHERE w.agent = :agent AND w.state = 'WAITING' AND w.task_id <> :taskId
         AND (w.priority > :priority
              OR (w.priority = :priority
                  AND (w.submitted_at, w.task_id) <
                      ((SELECT submitted_at FROM agent_slots WHERE task_id = :taskId), :taskId)))
         AND (w.workspace_key IS NULL OR NOT EXISTS
              (SELECT 1 FROM agent_slots r
                WHERE r.state = 'RUNNING' AND r.workspace_key = w.workspace_key))
      """)
  long countWaitingAhead(String agent, String taskId, int priority);

  @Query(
      "UPDATE agent_slots SET state = 'RUNNING', lease_until = :leaseUntil WHERE task_id = :taskId")
  int markRunning(String taskId, Instant leaseUntil);

  @Query("UPDATE agent_slots SET lease_until = :leaseUntil WHERE task_id = :taskId")
  int renew(String taskId, Instant leaseUntil);

  @Query("DELETE FROM agent_slots WHERE task_id = :taskId")
  int release(String taskId);
}
