package dev.taskpilot.activities.output;

import java.util.List;

/** Where agent output lines are stored while a run goes on. */
public interface AgentOutputSink {

  /** The highest line number stored for the task, 0 when it has none yet. */
  long lastLineNumber(String taskId);

  /**
   * Stores a batch of lines, in order, all or none. Called from one thread at a time per run.
   * Storing a batch again (after a failure that may or may not have committed) stores no line
   * twice. A failure to reach the database is waited out by the caller; any other stops the run and
   * fails the activity attempt, so it is retried.
   */
  void append(String taskId, int attempt, List<OutputLine> lines);
}
