package dev.taskpilot.activities.agent.process;

import static dev.taskpilot.activities.agent.process.AgentFixtures.FAST;
import static dev.taskpilot.activities.agent.process.AgentFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the runner starts sandboxed profiles, and what it says when it cannot. */
class AgentProcessRunnerSandboxTest {
  private static final String CONFIGURED =
      "sandbox: bubblewrap is configured for profile boxed but ";
  private static final String MISSING =
      CONFIGURED + "bwrap is not installed (apt-get install bubblewrap)";

  @TempDir Path workspace;
  @TempDir Path scratch;
  private Path runDirectory;

  private final InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();

  @BeforeEach
  void requireSandbox() throws IOException {
    // The agents' homes go next to it, so into the temporary directory too.
    runDirectory = Files.createDirectories(scratch.resolve("agents"));
    assertThat(ChildLauncher.detect().sandboxProblem(true))
        .as("the build needs bubblewrap and socat (apt-get install bubblewrap socat)")
        .isEmpty();
  }

  @Test
  void shouldConfineAgentAndKillItAsTreeWhenProfileKeepsDefaultSandbox() throws Exception {
    // given: a probe of what the agent can see and change, then a background child
    Path hostTmpMarker = Files.createTempFile(Path.of("/tmp"), "taskpilot-sandbox-", ".probe");
    String script =
        String.join(
            "\n",
            "echo pid $$",
            "test -e " + hostTmpMarker + " && echo host tmp || echo private tmp",
            "touch /usr/taskpilot-sandbox-probe 2>/dev/null && echo system writable"
                + " || echo system read-only",
            "touch made-inside && echo workspace writable",
            "touch ~/in-home && echo home writable at $HOME",
            "echo root: $(ls -A /)",
            "env | grep -v -e ^PWD= -e ^SHLVL= -e ^_= | sort | sed 's/^/env /'",
            "sleep 300 & echo ready; wait");
    AgentProcessSpec spec = boxed(List.of("bash", "-c", script), AgentSandbox.AUTO);
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST.withRunDirectory(runDirectory));
    AtomicLong group = new AtomicLong();

    // when
    AgentProcessResult result;
    try {
      result = runner.run(spec, () -> ready(group), progress -> {});
    } finally {
      Files.delete(hostTmpMarker);
    }

    // then
    assertThat(result.outcome()).isEqualTo(new Cancelled(AgentProcessRunner.CANCELLED));
    List<String> lines = sink.texts("b1");
    assertThat(lines)
        .as("own PID namespace, private /tmp, read-only system, writable workspace and home")
        .startsWith(
            "pid 2",
            "private tmp",
            "system read-only",
            "workspace writable",
            "home writable at " + Bubblewrap.HOME);
    assertThat(workspace.resolve("made-inside")).exists();
    assertThat(SandboxHomes.root(runDirectory).resolve("b1/in-home")).exists();
    assertThat(lines).contains("root: " + String.join(" ", expectedRoot()));
    Map<String, String> expectedEnvironment = new TreeMap<>(spec.environment());
    expectedEnvironment.put("HOME", Bubblewrap.HOME);
    expectedEnvironment.put("TMPDIR", "/tmp");
    assertThat(lines.stream().filter(line -> line.startsWith("env ")).toList())
        .as("only the allow-listed environment, with the sandbox's home")
        .isEqualTo(
            expectedEnvironment.entrySet().stream()
                .map(variable -> "env " + variable.getKey() + "=" + variable.getValue())
                .toList());
    assertThat(group.get()).isPositive();
    assertThat(ProcStat.groupRunning(group.get())).as("the sandbox is killed as a tree").isFalse();
  }

  @Test
  void shouldRunUnconfinedWhenProfileOptsOut() {
    // given
    List<String> command = List.of("bash", "-c", "echo home $HOME");
    AgentProcessSpec optedOut =
        spec("b1", command, PromptMode.STDIN, "", workspace)
            .withProfile(profile(command, AgentSandbox.NONE, List.of()));
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST.withRunDirectory(runDirectory));

    // when
    AgentProcessResult result = runner.run(optedOut, () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("b1")).containsExactly("home " + System.getenv("HOME"));
    assertThat(SandboxHomes.root(runDirectory)).doesNotExist();
  }

  @Test
  void shouldFailToStartWithClearMessageWhenBubblewrapIsDemandedButMissing() {
    // given
    ChildLauncher withoutBwrap = ChildLauncher.detect().withBubblewrap(Optional.empty());
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST, withoutBwrap);

    // when
    AgentProcessResult result =
        runner.run(boxed(List.of("true"), AgentSandbox.BUBBLEWRAP), () -> false, progress -> {});

    // then
    assertThat(result.outcome()).isEqualTo(new StartFailed(MISSING));
    assertThat(sink.texts("b1")).isEmpty();
  }

  @Test
  void shouldFailToStartWhenBubblewrapIsDemandedWithHostsButSocatIsMissing() {
    // given
    ChildLauncher withoutSocat = ChildLauncher.detect().withSocat(Optional.empty());
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST, withoutSocat);
    AgentProcessSpec spec =
        spec("b1", List.of("true"), PromptMode.STDIN, "", workspace)
            .withProfile(
                profile(List.of("true"), AgentSandbox.BUBBLEWRAP, List.of("api.anthropic.com")));

    // when
    AgentProcessResult result = runner.run(spec, () -> false, progress -> {});

    // then
    assertThat(result.outcome())
        .isEqualTo(
            new StartFailed(
                CONFIGURED
                    + "socat is not installed (apt-get install socat); it carries the allowed"
                    + " hosts' traffic into the sandbox"));
  }

  @Test
  void shouldRunUnconfinedAndWarnWhenAutoFindsNoBubblewrap() {
    // given
    ChildLauncher withoutBwrap = ChildLauncher.detect().withBubblewrap(Optional.empty());
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST, withoutBwrap);
    AgentProfile auto = profile(List.of("bash", "-c", "echo home $HOME"), null, List.of());
    AgentProfile none = profile(List.of("true"), AgentSandbox.NONE, List.of());

    // when
    Optional<String> warning = withoutBwrap.warnIfUnconfined(List.of(auto, none));
    AgentProcessResult result =
        runner.run(
            spec("b1", auto.command(), PromptMode.STDIN, "", workspace).withProfile(auto),
            () -> false,
            progress -> {});

    // then
    assertThat(warning)
        .hasValueSatisfying(
            text ->
                assertThat(text)
                    .startsWith("NO AGENT SANDBOX: agent profile(s) [boxed] (sandbox: auto) run")
                    .contains("bwrap is not installed (apt-get install bubblewrap)")
                    .contains("sandbox: none"));
    assertThat(ChildLauncher.detect().warnIfUnconfined(List.of(auto, none))).isEmpty();
    assertThat(result.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("b1")).containsExactly("home " + System.getenv("HOME"));
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
    AgentProcessResult result =
        runner.run(boxed(List.of("true"), AgentSandbox.BUBBLEWRAP), () -> false, progress -> {});

    // then
    assertThat(result.outcome())
        .isEqualTo(
            new StartFailed(
                CONFIGURED
                    + "bwrap cannot create a sandbox here:"
                    + " bwrap: No permissions to create new namespace"));
  }

  @Test
  void shouldShowSandboxPathsReadOnlyAndRefuseOnesHoldingSecrets(@TempDir Path tools)
      throws Exception {
    // given
    Path tool = tools.resolve("bin/tool.sh");
    Files.createDirectories(tool.getParent());
    Files.writeString(tool, "echo tool ran; touch " + tool.getParent() + "/x || echo read-only\n");
    AgentProcessRunner runner = new AgentProcessRunner(sink, FAST.withRunDirectory(runDirectory));
    List<String> command = List.of("bash", tool.toString());
    AgentProcessSpec shown =
        spec("b1", command, PromptMode.STDIN, "", workspace)
            .withProfile(
                profile(command, null, List.of())
                    .withSandbox(null, List.of(tools.toString()), null));
    AgentProcessSpec hidden =
        spec("b2", command, PromptMode.STDIN, "", workspace)
            .withProfile(
                profile(command, null, List.of())
                    .withSandbox(null, List.of(runDirectory.getParent().toString()), null));
    AgentProcessSpec missing =
        spec("b3", command, PromptMode.STDIN, "", workspace)
            .withProfile(
                profile(command, null, List.of())
                    .withSandbox(null, List.of(tools.resolve("nowhere").toString()), null));

    // when
    AgentProcessResult shownResult = runner.run(shown, () -> false, progress -> {});
    AgentProcessResult hiddenResult = runner.run(hidden, () -> false, progress -> {});
    AgentProcessResult missingResult = runner.run(missing, () -> false, progress -> {});

    // then
    assertThat(shownResult.outcome()).isEqualTo(new Exited(0));
    assertThat(sink.texts("b1")).contains("tool ran", "read-only");
    assertThat(hiddenResult.outcome())
        .isEqualTo(
            new StartFailed(
                "sandbox-paths entry "
                    + runDirectory.getParent()
                    + " of profile boxed would show its agent "
                    + runDirectory.toRealPath()
                    + ", which no sandbox shows; list narrower paths"));
    assertThat(missingResult.outcome())
        .isEqualTo(
            new StartFailed(
                "sandbox-paths entry "
                    + tools.resolve("nowhere")
                    + " of profile boxed does not exist"));
  }

  @Test
  void shouldPassEnvironmentAsEnvironmentNeverAsArguments() {
    // given
    AgentProcessSpec spec = boxed(List.of("agent"), AgentSandbox.BUBBLEWRAP);
    Map<String, String> environment = new TreeMap<>(spec.environment());
    environment.put("ANTHROPIC_API_KEY", "sk-never-in-argv");
    AgentProcessSpec keyed =
        new AgentProcessSpec(
                "b1",
                1,
                spec.command(),
                PromptMode.STDIN,
                "",
                workspace,
                environment,
                Duration.ofSeconds(5))
            .withProfile(profile(spec.command(), AgentSandbox.BUBBLEWRAP, List.of("a.example")));
    Bubblewrap.Layout layout =
        new Bubblewrap.Layout(
            Path.of("/usr/bin/bwrap"),
            runDirectory,
            List.of(),
            Optional.of(runDirectory),
            Path.of("/bin/sh"),
            Optional.of(Path.of("/usr/bin/socat")));

    // when
    List<String> argv = Bubblewrap.wrap(layout, keyed, keyed.command());
    Map<String, String> inside = Bubblewrap.environment(layout, keyed);

    // then
    assertThat(String.join(" ", argv)).doesNotContain("sk-never-in-argv");
    assertThat(argv)
        .doesNotContain("--setenv", "--clearenv")
        .endsWith("taskpilot-sandbox", "agent");
    assertThat(inside)
        .containsEntry("ANTHROPIC_API_KEY", "sk-never-in-argv")
        .containsEntry("HTTPS_PROXY", "http://" + Bubblewrap.PROXY_ADDRESS)
        .containsEntry("HOME", Bubblewrap.HOME);
  }

  private AgentProcessSpec boxed(List<String> command, AgentSandbox sandbox) {
    return spec("b1", command, PromptMode.STDIN, "", workspace, Duration.ofSeconds(20))
        .withProfile(profile(command, sandbox, List.of()));
  }

  private static AgentProfile profile(
      List<String> command, AgentSandbox sandbox, List<String> hosts) {
    return new AgentProfile("boxed", command, null, null, null, null, null, sandbox)
        .withSandbox(sandbox, List.of(), hosts);
  }

  /**
   * What the sandbox's root holds on this machine: the system links or directories, and its own.
   */
  private static List<String> expectedRoot() throws IOException {
    List<String> names =
        new ArrayList<>(List.of("dev", "etc", "home", "proc", "tmp", "usr", "var"));
    try (Stream<Path> root = Files.list(Path.of("/"))) {
      root.map(path -> path.getFileName().toString())
          .filter(name -> List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32").contains(name))
          .forEach(names::add);
    }
    return names.stream().sorted().toList();
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
