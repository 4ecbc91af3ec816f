package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.AgentProfile;
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
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts agent processes in a session and process group of their own ({@code setsid}, which execs
 * in place, so the group id is the process id) and, where {@code setpriv} can, with a parent-death
 * signal so the leader dies with the worker even when the JVM is killed outright. The parent-death
 * signal fires when the starting thread ends, so a run starts and waits on one thread. A profile
 * with {@link AgentSandbox#BUBBLEWRAP} runs inside {@code bwrap} (see {@link Bubblewrap}), or does
 * not start when this machine cannot make the sandbox; one with {@link AgentSandbox#AUTO} runs
 * inside it where it can, else unconfined, which is logged loudly once.
 */
final class ChildLauncher {
  private static final List<String> SYSTEM_DIRS = List.of("/usr/bin", "/bin");
  private static final Logger LOG = LoggerFactory.getLogger(ChildLauncher.class);
  private static final AtomicBoolean WARNED = new AtomicBoolean();

  private final List<String> prefix;
  private final Optional<Path> kill;
  private final Optional<Path> bwrap;
  private final Optional<Path> socat;

  ChildLauncher(List<String> prefix, Optional<Path> kill, Optional<Path> bwrap) {
    this(prefix, kill, bwrap, find("socat"));
  }

  ChildLauncher(
      List<String> prefix, Optional<Path> kill, Optional<Path> bwrap, Optional<Path> socat) {
    this.prefix = List.copyOf(prefix);
    this.kill = kill;
    this.bwrap = bwrap;
    this.socat = socat;
  }

  /**
   * Finds {@code setsid}, {@code setpriv}, {@code kill}, {@code bwrap} and {@code socat} on this
   * system.
   */
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
    return new ChildLauncher(prefix, kill, path, socat);
  }

  /** This launcher with {@code socat} at {@code path}, or without it when empty. */
  ChildLauncher withSocat(Optional<Path> path) {
    return new ChildLauncher(prefix, kill, bwrap, path);
  }

  /**
   * Why this machine cannot make the sandbox of a profile, empty when it can: {@code bwrap} must be
   * installed and work, and {@code socat} be installed when the profile allows hosts.
   */
  Optional<String> sandboxProblem(boolean networked) {
    if (bwrap.isEmpty()) {
      return Optional.of("bwrap is not installed (apt-get install bubblewrap)");
    }
    Optional<String> problem = Bubblewrap.problem(bwrap.get());
    if (problem.isPresent()) {
      return problem;
    }
    if (networked && socat.isEmpty()) {
      return Optional.of(
          "socat is not installed (apt-get install socat); it carries the allowed hosts'"
              + " traffic into the sandbox");
    }
    return Optional.empty();
  }

  /** Whether {@code spec} runs inside {@code bwrap}: its profile's sandbox, resolved here. */
  boolean sandboxed(AgentProcessSpec spec) {
    return switch (spec.sandbox()) {
      case NONE -> false;
      case BUBBLEWRAP -> true;
      case AUTO -> sandboxProblem(!spec.allowedHosts().isEmpty()).isEmpty();
    };
  }

  /**
   * Logs, once per JVM and loudly, which profiles of {@code profiles} with {@link
   * AgentSandbox#AUTO} run unconfined on this machine and why; nothing when all are confined.
   *
   * @return the warning, when there is one
   */
  Optional<String> warnIfUnconfined(List<AgentProfile> profiles) {
    Map<String, String> unconfined = new TreeMap<>();
    for (AgentProfile profile : profiles) {
      if (profile.sandbox() == AgentSandbox.AUTO) {
        sandboxProblem(!profile.hosts().isEmpty())
            .ifPresent(problem -> unconfined.put(profile.name(), problem));
      }
    }
    if (unconfined.isEmpty()) {
      return Optional.empty();
    }
    String warning =
        "NO AGENT SANDBOX: agent profile(s) "
            + unconfined.keySet()
            + " (sandbox: auto) run UNCONFINED, able to read the worker's files (~/.ssh, the data"
            + " directory) and to reach its network (PostgreSQL, Temporal, the API), because "
            + String.join("; ", new java.util.LinkedHashSet<>(unconfined.values()))
            + ". Install bubblewrap and socat, or set taskpilot.agents.<name>.sandbox: none to"
            + " accept this.";
    if (WARNED.compareAndSet(false, true)) {
      LOG.warn("*** {} ***", warning);
    }
    return Optional.of(warning);
  }

  /** Whether started processes lead a process group of their own, whose id is their pid. */
  boolean ownGroup() {
    return kill.isPresent();
  }

  /** Why the program of {@code spec} cannot be run, empty when it can. */
  Optional<String> checkProgram(AgentProcessSpec spec) {
    if (spec.sandbox() == AgentSandbox.BUBBLEWRAP) {
      Optional<String> problem = sandboxProblem(!spec.allowedHosts().isEmpty());
      if (problem.isPresent()) {
        return Optional.of(
            "sandbox: bubblewrap is configured for profile "
                + spec.profile()
                + " but "
                + problem.get());
      }
    }
    String program = spec.command().getFirst();
    return program(spec).isPresent()
        ? Optional.empty()
        : Optional.of(
            program.contains("/")
                ? "agent program " + program + " does not exist or is not executable"
                : "agent program " + program + " was not found on the agent's PATH");
  }

  /** Where the program of {@code spec} is: as written, or found on the agent's PATH. */
  static Optional<Path> program(AgentProcessSpec spec) {
    String program = spec.command().getFirst();
    if (program.contains("/")) {
      Path path = spec.workingDirectory().resolve(program);
      return isExecutable(path) ? Optional.of(path.toAbsolutePath().normalize()) : Optional.empty();
    }
    String searchPath = spec.environment().getOrDefault("PATH", String.join(":", SYSTEM_DIRS));
    return Stream.of(searchPath.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, program))
        .filter(ChildLauncher::isExecutable)
        .findFirst()
        .map(path -> path.toAbsolutePath().normalize());
  }

  /**
   * The programs a sandbox needs to see besides the system: the agent's own, and {@code sh} and
   * {@code socat} for the bridge when networked, unless they lie under {@code /usr} or in the
   * workspace anyway.
   */
  List<Path> sandboxPrograms(AgentProcessSpec spec, boolean networked) {
    List<Path> programs = new ArrayList<>();
    program(spec).ifPresent(programs::add);
    if (networked) {
      shell().ifPresent(programs::add);
      socat.ifPresent(programs::add);
    }
    Path workspace = spec.workingDirectory().toAbsolutePath().normalize();
    return programs.stream()
        .filter(path -> !Bubblewrap.isSystem(path) && !path.startsWith(workspace))
        .distinct()
        .toList();
  }

  /** {@code sh}, for the bridge script. */
  static Optional<Path> shell() {
    return find("sh");
  }

  /** Starts the process unconfined, with exactly the environment of {@code spec}. */
  Process start(AgentProcessSpec spec) throws IOException {
    return start(spec, null);
  }

  /**
   * Starts the process, stderr merged into stdout: inside the sandbox {@code box} describes, or
   * unconfined when it is null, with exactly the environment of {@code spec} (plus the sandbox's
   * home, temporary directory and proxy).
   */
  Process start(AgentProcessSpec spec, SandboxRun box) throws IOException {
    List<String> agent = new ArrayList<>(spec.command());
    if (spec.promptMode() == PromptMode.ARGUMENT) {
      agent.add(spec.prompt());
    }
    List<String> argv = new ArrayList<>(prefix);
    Map<String, String> environment = spec.environment();
    if (box != null) {
      Bubblewrap.Layout layout =
          new Bubblewrap.Layout(
              bwrap.orElseThrow(),
              box.home(),
              box.readOnly(),
              box.proxyDirectory(),
              shell().orElse(Path.of("/bin/sh")),
              socat);
      argv.addAll(Bubblewrap.wrap(layout, spec, agent));
      environment = Bubblewrap.environment(layout, spec);
    } else {
      argv.addAll(agent);
    }
    ProcessBuilder builder =
        new ProcessBuilder(argv)
            .directory(spec.workingDirectory().toFile())
            .redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(environment);
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
