package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Tuning of the agent runner.
 *
 * @param progressInterval how often the progress callback (the heartbeat) is called
 * @param killGrace how long a process tree has between SIGTERM and SIGKILL
 * @param flushBytes the batch size, in UTF-8 bytes of text, that is never exceeded
 * @param flushInterval the longest a read line waits before it is stored
 * @param maxLineBytes the longest line kept; the rest is dropped and marked
 * @param tailLines how many last lines are kept in memory for the result text
 * @param tailChars how many characters of them at most
 * @param bufferBytes how much read output is kept in memory while PostgreSQL cannot store it; when
 *     full, the agent's output is no longer read (it waits on its pipe) until the database is back
 * @param outageWait how long a run waits for PostgreSQL when it cannot go on without it (its first
 *     line number, the last of its output after the agent ended) before its attempt fails
 * @param runDirectory where a record of every running agent's process group is kept, so that a
 *     worker can end the groups a killed worker left behind (see {@link ProcessReaper})
 */
public record AgentRunnerSettings(
    Duration progressInterval,
    Duration killGrace,
    int flushBytes,
    Duration flushInterval,
    int maxLineBytes,
    int tailLines,
    int tailChars,
    long bufferBytes,
    Duration outageWait,
    Path runDirectory) {

  /** The configuration key of {@link #runDirectory()}. */
  public static final String RUN_DIRECTORY_KEY = "taskpilot.agent-runs-dir";

  /** The configuration key of the data directory the run directory defaults to a place in. */
  public static final String DATA_DIRECTORY_KEY = "taskpilot.data-dir";

  /**
   * The production settings: heartbeat every 5 s, 2 s grace, 64 KiB or 100 ms batches, 16 MiB of
   * output kept through an outage of up to 2 min, records in {@link #defaultRunDirectory()}.
   */
  public static final AgentRunnerSettings DEFAULTS =
      new AgentRunnerSettings(
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          64 * 1024,
          Duration.ofMillis(100),
          16_384,
          50,
          4_096,
          16L * 1024 * 1024,
          Duration.ofMinutes(2),
          defaultRunDirectory());

  /** These settings with another progress interval. */
  public AgentRunnerSettings withProgressInterval(Duration interval) {
    return new AgentRunnerSettings(
        interval,
        killGrace,
        flushBytes,
        flushInterval,
        maxLineBytes,
        tailLines,
        tailChars,
        bufferBytes,
        outageWait,
        runDirectory);
  }

  /** These settings with another kill grace. */
  public AgentRunnerSettings withKillGrace(Duration grace) {
    return new AgentRunnerSettings(
        progressInterval,
        grace,
        flushBytes,
        flushInterval,
        maxLineBytes,
        tailLines,
        tailChars,
        bufferBytes,
        outageWait,
        runDirectory);
  }

  /** These settings with another run directory. */
  public AgentRunnerSettings withRunDirectory(Path directory) {
    return new AgentRunnerSettings(
        progressInterval,
        killGrace,
        flushBytes,
        flushInterval,
        maxLineBytes,
        tailLines,
        tailChars,
        bufferBytes,
        outageWait,
        directory);
  }

  /** These settings with another output buffer and outage wait. */
  public AgentRunnerSettings withOutageBuffer(long bytes, Duration wait) {
    return new AgentRunnerSettings(
        progressInterval,
        killGrace,
        flushBytes,
        flushInterval,
        maxLineBytes,
        tailLines,
        tailChars,
        bytes,
        wait,
        runDirectory);
  }

  /**
   * The run directory from configuration: {@code configured} when set, else {@code run/agents}
   * under {@code dataDirectory} when that is set, else {@link #defaultRunDirectory()}.
   */
  public static Path runDirectory(String configured, String dataDirectory) {
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured.trim());
    }
    if (dataDirectory != null && !dataDirectory.isBlank()) {
      return Path.of(dataDirectory.trim(), "run", "agents");
    }
    return defaultRunDirectory();
  }

  /** {@code ${java.io.tmpdir}/taskpilot-agents-<uid>}: one per user, as tmp is shared. */
  public static Path defaultRunDirectory() {
    String user;
    try {
      user = String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      user = System.getProperty("user.name", "unknown");
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "taskpilot-agents-" + user);
  }
}
