package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts agent processes in a session and process group of their own ({@code setsid}, which execs
 * in place, so the group id is the process id) and, where {@code setpriv} can, with a parent-death
 * signal so the leader dies with the worker even when the JVM is killed outright. The parent-death
 * signal fires when the starting thread ends, so a run starts and waits on one thread. A profile
 * with {@link AgentSandbox#BUBBLEWRAP} runs inside {@code bwrap} (see {@link Bubblewrap}).
 */
final class ChildLauncher {
  private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin");

  private final List<String> prefix;
  private final Optional<Path> kill;
  private final Optional<Path> bwrap;

  ChildLauncher(List<String> prefix, Optional<Path> kill, Optional<Path> bwrap) {
    this.prefix = List.copyOf(prefix);
    this.kill = kill;
    this.bwrap = bwrap;
  }

  /** Finds {@code setsid}, {@code setpriv}, {@code kill} and {@code bwrap} on this system. */
  static ChildLauncher detect() {
    Optional<Path> setsid = find("setsid");
    Optional<Path> kill = find("kill");
    Optional<Path> bwrap = find("bwrap");
    if (setsid.isEmpty() || kill.isEmpty()) {
      return new ChildLauncher(List.of(), Optional.empty(), bwrap);
    }
    List<String> prefix = new ArrayList<>(List.of(setsid.get().toString(), "--"));
    find("setpriv")
        .filter(ChildLauncher::supportsParentDeathSignal)
        .ifPresent(
            setpriv -> prefix.addAll(List.of(setpriv.toString(), "--pdeathsig", "KILL", "--")));
    return new ChildLauncher(prefix, kill, bwrap);
  }

  /** This launcher with {@code bwrap} at {@code path}, or without it when empty. */
  ChildLauncher withBubblewrap(Optional<Path> path) {
    return new ChildLauncher(prefix, kill, path);
  }

  /** Whether started processes lead a process group of their own, whose id is their pid. */
  boolean ownGroup() {
    return kill.isPresent();
  }

  /** Why the program of {@code spec} cannot be run, empty when it can. */
  Optional<String> checkProgram(AgentProcessSpec spec) {
    if (spec.sandbox() == AgentSandbox.BUBBLEWRAP) {
      if (bwrap.isEmpty()) {
        return Optional.of(
            "sandbox: bubblewrap is configured for profile "
                + spec.profile()
                + " but bwrap is not installed (apt-get install bubblewrap)");
      }
      Optional<String> problem = Bubblewrap.problem(bwrap.get());
      if (problem.isPresent()) {
        return Optional.of(
            "sandbox: bubblewrap is configured for profile "
                + spec.profile()
                + " but "
                + problem.get());
      }
    }
    String program = spec.command().getFirst();
    if (program.contains("/")) {
      Path path = spec.workingDirectory().resolve(program);
      return isExecutable(path)
          ? Optional.empty()
          : Optional.of("agent program " + program + " does not exist or is not executable");
    }
    String searchPath = spec.environment().getOrDefault("PATH", String.join(":", SYSTEM_DIRS));
    boolean found =
        Stream.of(searchPath.split(File.pathSeparator))
            .filter(dir -> !dir.isEmpty())
            .anyMatch(dir -> isExecutable(Path.of(dir, program)));
    return found
        ? Optional.empty()
        : Optional.of("agent program " + program + " was not found on the agent's PATH");
  }

  /** Starts the process with exactly the environment of {@code spec}, stderr merged into stdout. */
  Process start(AgentProcessSpec spec) throws IOException {
    List<String> agent = new ArrayList<>(spec.command());
    if (spec.promptMode() == PromptMode.ARGUMENT) {
      agent.add(spec.prompt());
    }
    List<String> argv = new ArrayList<>(prefix);
    if (spec.sandbox() == AgentSandbox.BUBBLEWRAP) {
      argv.addAll(Bubblewrap.wrap(bwrap.orElseThrow(), spec, agent));
    } else {
      argv.addAll(agent);
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(spec.workingDirectory().toFile())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(spec.environment());
    return builder.start();
  }

  ProcessTree tree(Process process, Duration grace) {
    return new ProcessTree(process, kill, grace);
  }

  /** The program {@code name} in the system directories or on the JVM's PATH. */
  static Optional<Path> find(String name) {
    String path = System.getenv("PATH");
    Stream<String> dirs =
        Stream.concat(
            SYSTEM_DIRS.stream(),
            path == null ? Stream.empty() : Stream.of(path.split(File.pathSeparator)));
    return dirs.filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(ChildLauncher::isExecutable)
        .findFirst();
  }

  private static boolean isExecutable(Path path) {
    return Files.isRegularFile(path) && Files.isExecutable(path);
  }

  private static boolean supportsParentDeathSignal(Path setpriv) {
    try {
      Process help =
          new ProcessBuilder(setpriv.toString(), "--help").redirectErrorStream(true).start();
      try (InputStream output = help.getInputStream()) {
        String text = new String(output.readAllBytes(), StandardCharsets.UTF_8);
        return help.waitFor(2, TimeUnit.SECONDS) && text.contains("--pdeathsig");
      }
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
