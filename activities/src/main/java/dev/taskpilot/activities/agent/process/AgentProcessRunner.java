package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.process.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.process.RunOutcome.Exited;
import dev.taskpilot.activities.agent.process.RunOutcome.Stalled;
import dev.taskpilot.activities.agent.process.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.process.RunOutcome.TimedOut;
import dev.taskpilot.activities.agent.profile.AgentProfiles;
import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.net.HostResolver;
import dev.taskpilot.store.DatabaseOutage;
import io.micronaut.context.annotation.Property;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one agent process to its end: no shell, an allow-listed environment, its own process group,
 * output stored as it arrives, and the whole tree killed on timeout, stall, cancellation or
 * interruption; on a worker's drain ({@link AgentDrain}) it may finish within the drain time, and
 * is then stopped and handed over. The process is started and waited for on the calling thread.
 * Each running process group is recorded in the run directory, for {@link ProcessReaper} to end
 * should this JVM be killed outright. A sandboxed run (see {@link Bubblewrap}) gets its task's home
 * ({@link SandboxHomes}) and, when its profile allows hosts, its own proxy ({@link SandboxProxy})
 * for as long as it runs.
 */
@Singleton
public class AgentProcessRunner {
  /** Why a run was stopped when its worker's drain time ran out: another worker goes on. */
  public static final String HANDED_OVER = "handed over: its worker stopped";

  /** Why a run was cancelled when its thread was interrupted. */
  public static final String INTERRUPTED = "interrupted";

  /** Why a run was cancelled when its cancellation check said so. */
  public static final String CANCELLED = "cancelled";

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcessRunner.class);
  private static final long POLL_MILLIS = 50;
  private static final long HOOK_SLACK_MILLIS = 2_000;

  private final AgentOutputSink sink;
  private final AgentRunnerSettings settings;
  private final ChildLauncher launcher;
  private final RunDirectory runs;
  private final AgentDrain drain;
  private final SandboxProxy.Network network;
  private final List<Path> hidden;
  private final SandboxHomes homes;

  /**
   * The runner Micronaut creates: the run directory is {@code taskpilot.agent-runs-dir}, else
   * {@code ${taskpilot.data-dir}/run/agents}, else {@code
   * ${java.io.tmpdir}/taskpilot-agents-<uid>}. It warns at once when a profile's {@code sandbox:
   * auto} cannot be had on this machine.
   */
  @Inject
  public AgentProcessRunner(
      AgentOutputSink sink,
      @Property(name = AgentRunnerSettings.RUN_DIRECTORY_KEY) @Nullable String runDirectory,
      @Property(name = AgentRunnerSettings.DATA_DIRECTORY_KEY) @Nullable String dataDirectory,
      AgentDrain drain,
      HostResolver resolver,
      AgentProfiles profiles) {
    this(
        sink,
        AgentRunnerSettings.DEFAULTS.withRunDirectory(
            AgentRunnerSettings.runDirectory(runDirectory, dataDirectory)),
        ChildLauncher.detect(),
        drain,
        SandboxProxy.Network.resolvingWith(resolver),
        dataDirectory == null || dataDirectory.isBlank()
            ? Optional.empty()
            : Optional.of(Path.of(dataDirectory.trim())));
    launcher.warnIfUnconfined(profiles.all());
  }

  public AgentProcessRunner(AgentOutputSink sink) {
    this(sink, AgentRunnerSettings.DEFAULTS);
  }

  public AgentProcessRunner(AgentOutputSink sink, AgentRunnerSettings settings) {
    this(sink, settings, ChildLauncher.detect());
  }

  AgentProcessRunner(AgentOutputSink sink, AgentRunnerSettings settings, ChildLauncher launcher) {
    this(sink, settings, launcher, new AgentDrain(java.time.Duration.ZERO));
  }

  AgentProcessRunner(
      AgentOutputSink sink,
      AgentRunnerSettings settings,
      ChildLauncher launcher,
      AgentDrain drain) {
    this(sink, settings, launcher, drain, SandboxProxy.Network.system(), Optional.empty());
  }

  /**
   * @param network how the proxies of sandboxed runs resolve and reach the allowed hosts
   * @param dataDirectory the data directory, which no sandbox may show (nor {@code ~/.ssh}, the run
   *     directory or the agents' homes)
   */
  AgentProcessRunner(
      AgentOutputSink sink,
      AgentRunnerSettings settings,
      ChildLauncher launcher,
      AgentDrain drain,
      SandboxProxy.Network network,
      Optional<Path> dataDirectory) {
    this.sink = sink;
    this.settings = settings;
    this.launcher = launcher;
    this.runs = new RunDirectory(settings.runDirectory());
    this.drain = drain;
    this.network = network;
    List<Path> secret = new ArrayList<>();
    dataDirectory.ifPresent(secret::add);
    secret.add(settings.runDirectory());
    secret.add(SandboxHomes.root(settings.runDirectory()));
    secret.add(Path.of(System.getProperty("user.home"), ".ssh"));
    this.hidden = secret.stream().map(path -> path.toAbsolutePath().normalize()).toList();
    this.homes = new SandboxHomes(settings.runDirectory());
  }

  AgentRunnerSettings settings() {
    return settings;
  }

  /**
   * Runs {@code spec} until the process ends, the timeout passes or {@code cancelled} says so.
   * Exceptions from the sink, {@code cancelled} or {@code progress} kill the tree and propagate.
   *
   * @param spec what to run
   * @param cancelled polled a few times a second
   * @param progress called every {@link AgentRunnerSettings#progressInterval()}, on this thread
   */
  public AgentProcessResult run(
      AgentProcessSpec spec, BooleanSupplier cancelled, Consumer<AgentProgress> progress) {
    Instant startedAt = Instant.now();
    var problem = launcher.checkProgram(spec);
    boolean sandboxed = problem.isEmpty() && launcher.sandboxed(spec);
    if (sandboxed) {
      problem = sandboxPathsProblem(spec);
    }
    if (problem.isPresent()) {
      return notStarted(problem.get(), startedAt);
    }
    long firstNumber =
        DatabaseOutage.waitOut(
                "read the last output line of task " + spec.taskId(),
                settings.outageWait(),
                () -> sink.lastLineNumber(spec.taskId()),
                () -> progress.accept(new AgentProgress(0, 0, "")))
            + 1;
    SandboxRun box;
    try {
      box = sandboxed ? sandbox(spec) : null;
    } catch (IOException | RuntimeException e) {
      return notStarted("cannot prepare the sandbox: " + e.getMessage(), startedAt);
    }
    try {
      return run(spec, box, firstNumber, startedAt, cancelled, progress);
    } finally {
      if (box != null) {
        box.close();
      }
    }
  }

  private AgentProcessResult run(
      AgentProcessSpec spec,
      SandboxRun box,
      long firstNumber,
      Instant startedAt,
      BooleanSupplier cancelled,
      Consumer<AgentProgress> progress) {
    Process process;
    try {
      process = launcher.start(spec, box);
    } catch (IOException e) {
      return notStarted(
          "cannot start " + spec.command().getFirst() + ": " + e.getMessage(), startedAt);
    }
    Optional<Path> recordFile =
        launcher.ownGroup() ? runs.record(process.pid(), spec.taskId()) : Optional.empty();
    LOG.info(
        "Agent {} for task {} (attempt {}) started as pid {}, {}",
        spec.command().getFirst(),
        spec.taskId(),
        spec.attempt(),
        process.pid(),
        box == null
            ? "unconfined"
            : "in its sandbox, network: "
                + (spec.allowedHosts().isEmpty() ? "none" : spec.allowedHosts().entries()));
    ProcessTree tree = launcher.tree(process, settings.killGrace());
    OutputPump pump = new OutputPump(process.getInputStream(), sink, spec, firstNumber, settings);
    pump.start();
    PromptFeeder.feed(process, spec);
    CountDownLatch ended = new CountDownLatch(1);
    // On JVM shutdown the run gets the drain's time to finish (the run loop hands it over when
    // that is up); the hook kills the tree only if the run loop has not ended it by then.
    Thread hook =
        Thread.ofPlatform()
            .name("agent-shutdown-" + spec.taskId())
            .unstarted(
                () -> {
                  drain.begin();
                  try {
                    ended.await(
                        drain.timeout().plus(settings.killGrace()).toMillis() + HOOK_SLACK_MILLIS,
                        TimeUnit.MILLISECONDS);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  tree.terminate();
                });
    boolean gone = false;
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      RunOutcome outcome = supervise(spec, process, tree, pump, cancelled, progress);
      gone = drain(tree, pump);
      // Waits out an outage of PostgreSQL, heartbeating, until every line read is stored.
      pump.close(() -> progress.accept(pump.progress()));
      LOG.info("Agent for task {} (attempt {}) ended: {}", spec.taskId(), spec.attempt(), outcome);
      if (outcome instanceof Cancelled(String reason) && reason.equals(INTERRUPTED)) {
        Thread.currentThread().interrupt();
      }
      return new AgentProcessResult(
          outcome, startedAt, Instant.now(), pump.lines(), pump.lastLine(), pump.tail());
    } catch (RuntimeException | Error e) {
      gone = tree.terminate();
      pump.abandon();
      throw e;
    } finally {
      ended.countDown();
      removeHook(hook);
      if (recordFile.isPresent()) {
        forget(recordFile.get(), gone, tree.pid());
      }
    }
  }

  /**
   * Why the profile's {@code sandbox-paths} cannot be shown to its agent: one does not exist, or
   * one would show the data directory, the run directory or {@code ~/.ssh} (lying in one, or
   * holding one).
   */
  private Optional<String> sandboxPathsProblem(AgentProcessSpec spec) {
    for (Path path : spec.sandboxPaths()) {
      Path real;
      try {
        real = path.toRealPath();
      } catch (IOException e) {
        return Optional.of(
            "sandbox-paths entry " + path + " of profile " + spec.profile() + " does not exist");
      }
      for (Path secret : hidden) {
        Path target = realIfExists(secret);
        if (real.startsWith(target) || target.startsWith(real)) {
          return Optional.of(
              "sandbox-paths entry "
                  + path
                  + " of profile "
                  + spec.profile()
                  + " would show its agent "
                  + target
                  + ", which no sandbox shows; list narrower paths");
        }
      }
    }
    return Optional.empty();
  }

  private static Path realIfExists(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }

  /** The home, read-only paths and, when the profile allows hosts, the proxy of a sandboxed run. */
  private SandboxRun sandbox(AgentProcessSpec spec) throws IOException {
    Path home = homes.prepare(spec.taskId());
    boolean networked = !spec.allowedHosts().isEmpty();
    List<Path> readOnly = new ArrayList<>(spec.sandboxPaths());
    readOnly.addAll(launcher.sandboxPrograms(spec, networked));
    if (!networked) {
      return new SandboxRun(home, readOnly, Optional.empty(), Optional.empty());
    }
    // In tmp, which no sandbox sees: a socket path must stay under 108 bytes. Private (0700).
    Path directory = Files.createTempDirectory("taskpilot-proxy-");
    try {
      SandboxProxy proxy =
          SandboxProxy.open(
              directory.resolve(Bubblewrap.PROXY_SOCKET),
              spec.allowedHosts(),
              network,
              spec.taskId());
      return new SandboxRun(home, readOnly, Optional.of(directory), Optional.of(proxy));
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(directory);
      throw e;
    }
  }

  private RunOutcome supervise(
      AgentProcessSpec spec,
      Process process,
      ProcessTree tree,
      OutputPump pump,
      BooleanSupplier cancelled,
      Consumer<AgentProgress> progress) {
    long start = System.nanoTime();
    long interval = settings.progressInterval().toNanos();
    long nextProgress = start + interval;
    try {
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        pump.flushIfDue();
        long now = System.nanoTime();
        if (drain.handOverDue()) {
          tree.terminate();
          return new Cancelled(HANDED_OVER);
        }
        if (cancelled.getAsBoolean()) {
          tree.terminate();
          return new Cancelled(CANCELLED);
        }
        if (now - start >= spec.timeout().toNanos()) {
          tree.terminate();
          return new TimedOut(spec.timeout());
        }
        long silent = pump.silentNanos();
        if (silent >= spec.stallTimeout().toNanos()) {
          tree.terminate();
          return new Stalled(Duration.ofMillis(silent / 1_000_000));
        }
        if (now - nextProgress >= 0) {
          progress.accept(pump.progress());
          nextProgress = now + interval;
        }
      }
      return new Exited(process.exitValue());
    } catch (InterruptedException e) {
      tree.terminate();
      return new Cancelled(INTERRUPTED);
    }
  }

  /**
   * Ends whatever the agent left running in its group (background jobs would otherwise outlive the
   * run) and waits for the last of the output.
   */
  private boolean drain(ProcessTree tree, OutputPump pump) {
    boolean gone = tree.terminate();
    if (!pump.awaitEnd(settings.killGrace().plus(settings.flushInterval()))) {
      LOG.warn("Output of agent pid {} is still open after it ended; giving up on it", tree.pid());
    }
    return gone;
  }

  /**
   * Deletes the record of the group led by {@code pid} when nothing of the group runs any more;
   * otherwise the record stays for {@link ProcessReaper} after this JVM is gone.
   */
  private static void forget(Path record, boolean gone, long pid) {
    if (gone) {
      RunDirectory.delete(record);
    } else {
      LOG.warn("Process group {} survived its run; keeping {} for the reaper", pid, record);
    }
  }

  private static AgentProcessResult notStarted(String message, Instant startedAt) {
    LOG.warn("Agent not started: {}", message);
    return new AgentProcessResult(new StartFailed(message), startedAt, Instant.now(), 0, "", "");
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook runs or has run.
    }
  }
}
