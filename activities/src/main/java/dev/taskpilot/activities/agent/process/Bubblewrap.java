package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code bwrap} command line of a sandboxed agent: the whole file system read-only, fresh
 * {@code /dev}, {@code /proc} and {@code /tmp}, the workspace writable and the working directory,
 * its own PID namespace (so everything in it dies with it), and only the allow-listed environment.
 */
final class Bubblewrap {
  /** The options every sandbox gets, up to the workspace. */
  private static final List<String> BASE =
      List.of(
          "--die-with-parent",
          "--unshare-pid",
          "--ro-bind",
          "/",
          "/",
          "--dev",
          "/dev",
          "--proc",
          "/proc",
          "--tmpfs",
          "/tmp");

  private static final Map<Path, Optional<String>> TRIALS = new ConcurrentHashMap<>();

  private Bubblewrap() {}

  /**
   * Why {@code bwrap} cannot make a sandbox on this machine (where user namespaces are not allowed,
   * in a container without the privilege, ...), empty when it can. Tried once per JVM; a trial that
   * was interrupted or timed out is tried again next time.
   */
  static Optional<String> problem(Path bwrap) {
    Optional<String> known = TRIALS.get(bwrap);
    if (known != null) {
      return known;
    }
    Trial trial = trial(bwrap);
    if (trial.lasting()) {
      TRIALS.put(bwrap, trial.problem());
    }
    return trial.problem();
  }

  private record Trial(Optional<String> problem, boolean lasting) {}

  private static Trial trial(Path bwrap) {
    List<String> command = new ArrayList<>(List.of(bwrap.toString()));
    command.addAll(BASE);
    command.addAll(List.of("--", "true"));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Trial(Optional.of("bwrap did not finish a trial run within 5 s"), false);
      }
      String output;
      try (InputStream stream = process.getInputStream()) {
        output = new String(stream.readNBytes(2_000), StandardCharsets.UTF_8).strip();
      }
      return process.exitValue() == 0
          ? new Trial(Optional.empty(), true)
          : new Trial(Optional.of("bwrap cannot create a sandbox here: " + output), true);
    } catch (IOException e) {
      return new Trial(Optional.of("bwrap cannot be run: " + e.getMessage()), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Trial(Optional.of("interrupted while trying bwrap"), false);
    }
  }

  /** {@code bwrap} with its options, then {@code argv}. */
  static List<String> wrap(Path bwrap, AgentProcessSpec spec, List<String> argv) {
    String workspace = spec.workingDirectory().toAbsolutePath().toString();
    List<String> command = new ArrayList<>(List.of(bwrap.toString()));
    command.addAll(BASE);
    command.addAll(List.of("--bind", workspace, workspace, "--chdir", workspace, "--clearenv"));
    for (Map.Entry<String, String> variable : new TreeMap<>(spec.environment()).entrySet()) {
      command.addAll(List.of("--setenv", variable.getKey(), variable.getValue()));
    }
    command.add("--");
    command.addAll(argv);
    return command;
  }
}
