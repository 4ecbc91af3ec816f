package dev.taskpilot.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/** The LLM call ledger. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface LlmCallRepository extends GenericRepository<LlmCallRecord, Long> {

  LlmCallRecord save(LlmCallRecord call);

  /** What a task's LLM calls cost so far, 0 when nothing is known. */
  @io.micronaut.data.annotation.Query(
      "SELECT COALESCE(SUM(cost_usd), 0) FROM llm_calls WHERE task_id = :taskId")
  java.math.BigDecimal costOfTask(String taskId);

  /** A task's calls, oldest first. */
  List<LlmCallRecord> findByTaskIdOrderById(String taskId);

  /** An owner's calls of a purpose (for example the chat's), oldest first. */
  List<LlmCallRecord> findByOwnerAndPurposeOrderById(String owner, String purpose);
}
