package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import java.util.List;

/** A sink for {@link AgentRunnerBenchmark} that only counts. */
class BenchmarkCountingSink implements AgentOutputSink {
  private long lines;
  private long bytes;
  private long batches;

  @Override
  public long lastLineNumber(String taskId) {
    return 0;
  }

  @Override
  public synchronized void append(String taskId, int attempt, List<OutputLine> batch) {
    batches++;
    for (OutputLine line : batch) {
      lines++;
      bytes += line.text().length() + 1;
    }
  }

  /** The bytes of text seen, with a line break for every line (ASCII output assumed). */
  synchronized long bytes() {
    return bytes;
  }

  synchronized long batches() {
    return batches;
  }
}
