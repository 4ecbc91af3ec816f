package dev.taskpilot.activities.agent;

import dev.taskpilot.activities.agent.RunOutcome.Cancelled;
import dev.taskpilot.activities.agent.RunOutcome.Exited;
import dev.taskpilot.activities.agent.RunOutcome.StartFailed;
import dev.taskpilot.activities.agent.RunOutcome.TimedOut;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one agent process to its end: no shell, an allow-listed environment, its own process group,
 * output stored as it arrives, and the whole tree killed on timeout, cancellation, interruption or
 * JVM shutdown. The process is started and waited for on the calling thread.
 */
@Singleton
public class AgentProcessRunner {
  /** Why a run was cancelled when the JVM shuts down. */
  public static final String SHUTDOWN = "worker shutting down";

  /** Why a run was cancelled when its thread was interrupted. */
  public static final String INTERRUPTED = "interrupted";

  /** Why a run was cancelled when its cancellation check said so. */
  public static final String CANCELLED = "cancelled";

  private static final Logger LOG = LoggerFactory.getLogger(AgentProcessRunner.class);
  private static final long POLL_MILLIS = 50;

  private final AgentOutputSink sink;
  private final AgentRunnerSettings settings;
  private final ChildLauncher launcher;

  @Inject
  public AgentProcessRunner(AgentOutputSink sink) {
    this(sink, AgentRunnerSettings.DEFAULTS);
  }

  public AgentProcessRunner(AgentOutputSink sink, AgentRunnerSettings settings) {
    this.sink = sink;
    this.settings = settings;
    this.launcher = ChildLauncher.detect();
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
    if (problem.isPresent()) {
      return notStarted(problem.get(), startedAt);
    }
    long firstNumber = sink.lastLineNumber(spec.taskId()) + 1;
    Process process;
    try {
      process = launcher.start(spec);
    } catch (IOException e) {
      return notStarted(
          "cannot start " + spec.command().getFirst() + ": " + e.getMessage(), startedAt);
    }
    LOG.info(
        "Agent {} for task {} (attempt {}) started as pid {}",
        spec.command().getFirst(),
        spec.taskId(),
        spec.attempt(),
        process.pid());
    ProcessTree tree = launcher.tree(process, settings.killGrace());
    OutputPump pump = new OutputPump(process.getInputStream(), sink, spec, firstNumber, settings);
    pump.start();
    feedPrompt(process, spec);
    AtomicBoolean shuttingDown = new AtomicBoolean();
    Thread hook =
        Thread.ofPlatform()
            .name("agent-shutdown-" + spec.taskId())
            .unstarted(
                () -> {
                  shuttingDown.set(true);
                  tree.terminate();
                });
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      RunOutcome outcome = supervise(spec, process, tree, pump, shuttingDown, cancelled, progress);
      drain(tree, pump);
      pump.close();
      LOG.info("Agent for task {} (attempt {}) ended: {}", spec.taskId(), spec.attempt(), outcome);
      if (outcome instanceof Cancelled(String reason) && reason.equals(INTERRUPTED)) {
        Thread.currentThread().interrupt();
      }
      return new AgentProcessResult(
          outcome, startedAt, Instant.now(), pump.lines(), pump.lastLine(), pump.tail());
    } catch (RuntimeException | Error e) {
      tree.terminate();
      pump.abandon();
      throw e;
    } finally {
      removeHook(hook);
    }
  }

  private RunOutcome supervise(
      AgentProcessSpec spec,
      Process process,
      ProcessTree tree,
      OutputPump pump,
      AtomicBoolean shuttingDown,
      BooleanSupplier cancelled,
      Consumer<AgentProgress> progress) {
    long start = System.nanoTime();
    long interval = settings.progressInterval().toNanos();
    long nextProgress = start + interval;
    try {
      while (!process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        pump.flushIfDue();
        long now = System.nanoTime();
        if (shuttingDown.get()) {
          return new Cancelled(SHUTDOWN);
        }
        if (cancelled.getAsBoolean()) {
          tree.terminate();
          return new Cancelled(CANCELLED);
        }
        if (now - start >= spec.timeout().toNanos()) {
          tree.terminate();
          return new TimedOut(spec.timeout());
        }
        if (now - nextProgress >= 0) {
          progress.accept(pump.progress());
          nextProgress = now + interval;
        }
      }
      return shuttingDown.get() ? new Cancelled(SHUTDOWN) : new Exited(process.exitValue());
    } catch (InterruptedException e) {
      tree.terminate();
      return new Cancelled(INTERRUPTED);
    }
  }

  /**
   * Ends whatever the agent left running in its group (background jobs would otherwise outlive the
   * run) and waits for the last of the output.
   */
  private void drain(ProcessTree tree, OutputPump pump) {
    tree.terminate();
    if (!pump.awaitEnd(settings.killGrace().plus(settings.flushInterval()))) {
      LOG.warn("Output of agent pid {} is still open after it ended; giving up on it", tree.pid());
    }
  }

  private void feedPrompt(Process process, AgentProcessSpec spec) {
    OutputStream stdin = process.getOutputStream();
    if (spec.promptMode() != PromptMode.STDIN) {
      write(stdin, new byte[0]);
      return;
    }
    byte[] prompt = spec.prompt().getBytes(StandardCharsets.UTF_8);
    // A separate thread: an agent that does not read its input must not block the run.
    Thread.ofPlatform()
        .daemon()
        .name("agent-input-" + spec.taskId())
        .start(() -> write(stdin, prompt));
  }

  private static void write(OutputStream stdin, byte[] bytes) {
    try (stdin) {
      stdin.write(bytes);
    } catch (IOException e) {
      // The agent closed its input or exited early; it did not want the rest.
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
