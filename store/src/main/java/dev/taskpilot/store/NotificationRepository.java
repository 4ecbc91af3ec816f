package dev.taskpilot.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;

/** The notification audit; see V4__publish_notify_approvals.sql. Rows are only ever added. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface NotificationRepository extends GenericRepository<NotificationRecord, Long> {

  NotificationRecord save(NotificationRecord attempt);

  /** A task's attempts in the order they were made. */
  List<NotificationRecord> findByTaskIdOrderById(String taskId);
}
