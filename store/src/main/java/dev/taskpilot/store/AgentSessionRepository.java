package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.Optional;

/** The agent session each task's run has reached. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface AgentSessionRepository extends GenericRepository<AgentSessionRecord, String> {

  /** Records the session the task's agent runs in now. */
  @Query(
      """
      INSERT INTO agent_sessions (task_id, session_id, updated_at)
      VALUES (:taskId, :sessionId, :updatedAt)
      ON CONFLICT (task_id) DO UPDATE
         SET session_id = EXCLUDED.session_id, updated_at = EXCLUDED.updated_at
      """)
  int remember(String taskId, String sessionId, Instant updatedAt);

  Optional<AgentSessionRecord> findById(String taskId);
}
