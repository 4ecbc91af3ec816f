package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A stand-in worker JVM for {@link ProcessReaperTest}: runs an agent whose shell starts two
 * background sleeps, recording its group in the run directory {@code args[0]}, and blocks until
 * killed. It exits by itself when its standard input closes, so it never outlives the test JVM.
 */
public final class OrphaningWorkerMain {
  /** The agent: a leader with two children of its own that the parent-death signal misses. */
  static final List<String> AGENT = List.of("bash", "-c", "sleep 300 & sleep 300 & wait");

  private OrphaningWorkerMain() {}

  public static void main(String[] args) {
    Path runDirectory = Path.of(args[0]);
    Path workspace = Path.of(args[1]);
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try {
                while (System.in.read() != -1) {
                  // Wait for the end of input.
                }
              } catch (IOException e) {
                // Treated as the end.
              }
              System.exit(0);
            });
    AgentRunnerSettings settings = AgentRunnerSettings.DEFAULTS.withRunDirectory(runDirectory);
    AgentProcessRunner runner = new AgentProcessRunner(new InMemoryAgentOutputSink(), settings);
    AgentProcessSpec spec =
        AgentFixtures.spec("orphan", AGENT, PromptMode.STDIN, "", workspace, Duration.ofMinutes(5));
    runner.run(spec, () -> false, progress -> {});
  }
}
