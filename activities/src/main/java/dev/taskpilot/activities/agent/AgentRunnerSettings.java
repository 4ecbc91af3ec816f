package dev.taskpilot.activities.agent;

import java.time.Duration;

/**
 * Tuning of the agent runner.
 *
 * @param progressInterval how often the progress callback (the heartbeat) is called
 * @param killGrace how long a process tree has between SIGTERM and SIGKILL
 * @param flushLines the batch size at which output is stored at once
 * @param flushInterval the longest a read line waits before it is stored
 * @param maxLineBytes the longest line kept; the rest is dropped and marked
 * @param tailLines how many last lines are kept in memory for the result text
 * @param tailChars how many characters of them at most
 */
public record AgentRunnerSettings(
    Duration progressInterval,
    Duration killGrace,
    int flushLines,
    Duration flushInterval,
    int maxLineBytes,
    int tailLines,
    int tailChars) {

  /** The production settings: heartbeat every 5 s, 2 s grace, 200 lines or 250 ms batches. */
  public static final AgentRunnerSettings DEFAULTS =
      new AgentRunnerSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          200,
          Duration.ofMillis(250),
          16_384,
          50,
          4_096);

  /** These settings with another progress interval. */
  public AgentRunnerSettings withProgressInterval(Duration interval) {
    return new AgentRunnerSettings(
        interval, killGrace, flushLines, flushInterval, maxLineBytes, tailLines, tailChars);
  }

  /** These settings with another kill grace. */
  public AgentRunnerSettings withKillGrace(Duration grace) {
    return new AgentRunnerSettings(
        progressInterval, grace, flushLines, flushInterval, maxLineBytes, tailLines, tailChars);
  }
}
