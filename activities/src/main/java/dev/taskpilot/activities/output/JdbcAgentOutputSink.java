package dev.taskpilot.activities.output;

import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import jakarta.inject.Singleton;
import java.util.List;

/** Agent output lines in PostgreSQL, one batch per statement batch. */
@Singleton
public class JdbcAgentOutputSink implements AgentOutputSink {
  private final OutputLineRepository lines;
  private final OutputListeners listeners;

  public JdbcAgentOutputSink(OutputLineRepository lines, OutputListeners listeners) {
    this.lines = lines;
    this.listeners = listeners;
  }

  @Override
  public long lastLineNumber(String taskId) {
    return lines.lastLineNumber(taskId);
  }

  @Override
  public void append(String taskId, int attempt, List<OutputLine> batch) {
    if (batch.isEmpty()) {
      return;
    }
    lines.saveAll(
        batch.stream()
            .map(
                line ->
                    new OutputLineRecord(
                        null, taskId, line.number(), attempt, line.text(), line.at()))
            .toList());
    listeners.publish(taskId, batch);
  }
}
