package dev.taskpilot.store;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/** Agent output lines. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface OutputLineRepository extends GenericRepository<OutputLineRecord, Long> {

  /** Stores a batch of lines in one statement batch. */
  List<OutputLineRecord> saveAll(Iterable<OutputLineRecord> lines);

  /** The highest stored line number of a task, 0 when it has none. */
  @Query("SELECT COALESCE(MAX(line_no), 0) FROM task_output WHERE task_id = :taskId")
  long lastLineNumber(String taskId);

  /**
   * The bytes of a task's stored output, a newline counted per line; -1 once a line with the text
   * {@code marker} (the truncation marker) is stored.
   */
  @Query(
      """
      SELECT CASE WHEN COALESCE(BOOL_OR(text = :marker), FALSE) THEN -1
                  ELSE COALESCE(SUM(octet_length(text) + 1), 0) END
        FROM task_output WHERE task_id = :taskId
      """)
  long storedBytes(String taskId, String marker);

  /** Up to {@code limit} lines after line {@code after}, in order. */
  @Query(
      """
      SELECT * FROM task_output WHERE task_id = :taskId AND line_no > :after
       ORDER BY line_no LIMIT :limit
      """)
  List<OutputLineRecord> findAfter(String taskId, long after, int limit);
}
