package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.process.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentProcessRunnerSandboxTest {
  private static final String CONFIGURED =
      "sandbox: bubblewrap is configured for profile boxed but ";
  private static final String MISSING =
      CONFIGURED + "bwrap is not installed (apt-get install bubblewrap)";

  @TempDir Path workspace;
  @TempDir Path runDirectory;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();

  @Test
  void shouldConfineAgentWhenBubblewrapIsInstalledAndSayWhyNotWhenItIsNot() throws Exception {
    // given: a probe of what the agent can see and change, then a background child
    Path hostTmpMarker = Files.createTempFile(Path.of("/tmp"), "taskpilot-sandbox-", ".probe");
    String script =
        String.join(
            "\n",
            "echo pid $$",
            "test -e " + hostTmpMarker + " && echo host tmp || echo private tmp",
            "touch /usr/taskpilot-sandbox-probe 2>/dev/null && echo root writable"
                + " || echo root read-only",
            "touch made-inside && echo workspace writable",
            "env | grep -v -e ^PWD= -e ^SHLVL= -e ^_= | sort | sed 's/^/env /'",
            "sleep 300 & echo ready; wait");
    AgentProcessSpec spec = boxed(List.of("bash", "-c", script));
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST.withRunDirectory(runDirectory));
    Optional<Path> bwrap = ChildLauncher.find("bwrap");
    Optional<String> unusable = bwrap.flatMap(Bubblewrap::problem);
    AtomicLong group = new AtomicLong();

    // when
    AgentProcessResult result;
    try {
      result = runner.run(spec, () -> ready(group), progress -> {});
    } finally {
      Files.delete(hostTmpMarker);
    }

    // then
    if (bwrap.isEmpty()) {
      assertThat(result.outcome()).isEqualTo(new StartFailed(MISSING));
      assertThat(sink.texts("b1")).isEmpty();
    } else if (unusable.isPresent()) {
      assertThat(result.outcome())
          .isEqualTo(new StartFailed(CONFIGURED + unusable.get()))
          .asString()
          .contains("bwrap cannot");
      assertThat(sink.texts("b1")).isEmpty();
    } else {
      assertThat(result.outcome()).isEqualTo(new Cancelled(AgentProcessRunner.CANCELLED));
      List<String> lines = sink.texts("b1");
      assertThat(lines)
          .as("own PID namespace, private /tmp, read-only root, writable workspace")
          .startsWith("pid 2", "private tmp", "root read-only", "workspace writable");
      assertThat(workspace.resolve("made-inside")).exists();
      List<String> expectedEnvironment =
          spec.environment().entrySet().stream()
              .map(variable -> "env " + variable.getKey() + "=" + variable.getValue())
              .sorted()
              .toList();
      assertThat(lines.stream().filter(line -> line.startsWith("env ")).toList())
          .isEqualTo(expectedEnvironment);
      assertThat(group.get()).isPositive();
      assertThat(ProcStat.groupRunning(group.get()))
          .as("the sandbox is killed as a tree")
          .isFalse();
    }
  }

  @Test
  void shouldFailToStartWithClearMessageWhenBubblewrapIsMissing() {
    // given
    ChildLauncher withoutBwrap = ChildLauncher.detect().withBubblewrap(Optional.empty());
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST, withoutBwrap);

    // when
    AgentProcessResult result = runner.run(boxed(List.of("true")), () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new StartFailed(MISSING));
    assertThat(sink.texts("b1")).isEmpty();
  }

  @Test
  void shouldFailToStartWithBwrapErrorWhenBubblewrapCannotCreateSandbox() throws Exception {
    // given: a bwrap that fails like one without permission to create namespaces
    Path fake = workspace.resolve("bwrap");
    Files.writeString(
        fake, "#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
    ChildLauncher failing = ChildLauncher.detect().withBubblewrap(Optional.of(fake));
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST, failing);

    // when
    AgentProcessResult result = runner.run(boxed(List.of("true")), () -> false, progress -> {});

    // then
    assertThat(result.outcome())
        .isEqualTo(
            new StartFailed(
                CONFIGURED
                    + "bwrap cannot create a sandbox here:"
                    + " bwrap: No permissions to create new namespace"));
  }

  private AgentProcessSpec boxed(List<String> command) {
    AgentProfile profile =
        new AgentProfile("boxed", command, null, null, null, null, null, AgentSandbox.BUBBLEWRAP);
    return spec("b1", command, PromptMode.STDIN, "", workspace, Duration.ofSeconds(20))
        .withProfile(profile);
  }

  /** Whether the probe is done; then notes the recorded process group. */
  private boolean ready(AtomicLong group) {
    if (!sink.texts("b1").contains("ready")) {
      return false;
    }
    try {
      Path record = new RunDirectory(runDirectory).files().getFirst();
      group.set(RunDirectory.read(record).orElseThrow().pgid());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return true;
  }
}
