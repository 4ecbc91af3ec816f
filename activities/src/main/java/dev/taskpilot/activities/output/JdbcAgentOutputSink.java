package dev.taskpilot.activities.output;

import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.OutputLineWriter;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Agent output lines in PostgreSQL, one batch per statement batch, up to a per-task cap ({@code
 * taskpilot.agent.output-cap}, 32 MB): the line that would cross it is replaced by one truncation
 * marker, and later lines of the task are not stored (listeners still hear every line, so a run's
 * session, cost and result are still read from its output). A batch is stored in one transaction,
 * and storing it again stores nothing twice, so a caller may repeat a batch that failed in an
 * outage; listeners hear a batch once it is stored.
 */
@Singleton
public class JdbcAgentOutputSink implements AgentOutputSink {
  /** The marker stored in place of the line that would have crossed the cap. */
  public static final String TRUNCATED = "[taskpilot] OUTPUT TRUNCATED: later lines are not stored";

  private static final int REMEMBERED_TASKS = 1_000;

  private final OutputLineRepository lines;
  private final OutputLineWriter writer;
  private final OutputListeners listeners;
  private final long cap;
  // Bytes stored per task (a newline counted per line), -1 once truncated; read from PostgreSQL
  // when a run starts or a task is not remembered.
  private final Map<String, Long> stored =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > REMEMBERED_TASKS;
        }
      };

  @Inject
  public JdbcAgentOutputSink(
      OutputLineRepository lines,
      OutputLineWriter writer,
      OutputListeners listeners,
      @Value("${taskpilot.agent.output-cap:32MB}") @ReadableBytes long cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("taskpilot.agent.output-cap must be positive: " + cap);
    }
    this.lines = lines;
    this.writer = writer;
    this.listeners = listeners;
    this.cap = cap;
  }

  @Override
  public long lastLineNumber(String taskId) {
    // A run starts: what its task stored so far is read again.
    synchronized (stored) {
      stored.remove(taskId);
    }
    return lines.lastLineNumber(taskId);
  }

  @Override
  public void append(String taskId, int attempt, List<OutputLine> batch) {
    if (batch.isEmpty()) {
      return;
    }
    List<OutputLineRecord> records = new ArrayList<>(batch.size());
    long bytes = storedBytes(taskId);
    for (OutputLine line : batch) {
      if (bytes < 0) {
        break;
      }
      long size = OutputLineRecord.bytes(line.text());
      if (bytes + size > cap) {
        records.add(
            new OutputLineRecord(null, taskId, line.number(), attempt, TRUNCATED, line.at()));
        bytes = -1;
      } else {
        records.add(
            new OutputLineRecord(null, taskId, line.number(), attempt, line.text(), line.at()));
        bytes += size;
      }
    }
    // Idempotent: a batch whose commit was lost in an outage is written again, never twice.
    writer.insert(records);
    synchronized (stored) {
      stored.put(taskId, bytes);
    }
    listeners.publish(taskId, batch);
  }

  private long storedBytes(String taskId) {
    synchronized (stored) {
      Long known = stored.get(taskId);
      if (known != null) {
        return known;
      }
    }
    return lines.storedBytes(taskId, TRUNCATED);
  }
}
