package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.PromptMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Agent specs and settings shared by the runner tests. */
public final class AgentFixtures {
  /** Short intervals, so tests see progress and kills quickly. */
  public static final AgentRunnerSettings FAST =
      AgentRunnerSettings.DEFAULTS
          .withProgressInterval(Duration.ofMillis(50))
          .withKillGrace(Duration.ofMillis(500));

  private AgentFixtures() {}

  /** The example agent of this repository. */
  public static Path exampleAgent() {
    Path home = Path.of(System.getProperty("taskpilot.home", ".."));
    Path agent = home.resolve("agents/example-agent.sh").toAbsolutePath().normalize();
    if (!Files.isExecutable(agent)) {
      throw new IllegalStateException("example agent not found at " + agent);
    }
    return agent;
  }

  /** A spec running {@code command} in {@code directory} with the server's basic environment. */
  public static AgentProcessSpec spec(
      String taskId, List<String> command, PromptMode mode, String prompt, Path directory) {
    return spec(taskId, command, mode, prompt, directory, Duration.ofSeconds(20));
  }

  public static AgentProcessSpec spec(
      String taskId,
      List<String> command,
      PromptMode mode,
      String prompt,
      Path directory,
      Duration timeout) {
    Map<String, String> environment =
        new HashMap<>(AgentEnvironment.of(System.getenv(), List.of(), taskId, directory));
    environment.put("EXAMPLE_AGENT_DELAY", "0.05");
    return new AgentProcessSpec(taskId, 1, command, mode, prompt, directory, environment, timeout);
  }

  /**
   * Whether process {@code pid} still runs (a zombie does not), waiting up to two seconds for it to
   * go.
   */
  public static boolean stillAlive(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (ProcessHandle.of(pid).map(ProcessTree::isRunning).orElse(false)) {
        Thread.sleep(20);
      } else {
        return false;
      }
    }
    return true;
  }
}
