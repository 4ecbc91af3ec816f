package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.AgentProfile;
import dev.taskpilot.activities.agent.profile.AgentSandbox;
import dev.taskpilot.activities.agent.profile.PromptMode;
import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.InMemoryAgentOutputSink;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures the agent runner (not a test; run by {@code bench/agent-runner.sh}): (a) start overhead
 * beyond a raw {@link ProcessBuilder} spawn, (b) cancel-to-dead latency of a process tree, (c)
 * output throughput and peak RSS growth for 1 GiB of output, into memory and, when {@code
 * TASKPILOT_BENCH_JDBC_URL} is set, into PostgreSQL (see {@link BenchmarkJdbcSink}), (d) what the
 * default sandbox adds to a run's start, without and with allowed hosts (proxy and bridge).
 */
public final class AgentRunnerBenchmark {
  private static final int STARTS = Integer.getInteger("bench.starts", 200);
  private static final int CANCELS = Integer.getInteger("bench.cancels", 50);
  private static final long BYTES = Long.getLong("bench.bytes", 1L << 30);
  private static final String TREE = "sleep 300 & sleep 300 & echo ready $$; wait";

  private final Path workspace;

  private AgentRunnerBenchmark(Path workspace) {
    this.workspace = workspace;
  }

  public static void main(String[] args) throws Exception {
    Path workspace = Files.createTempDirectory("taskpilot-bench-");
    AgentRunnerBenchmark bench = new AgentRunnerBenchmark(workspace);
    System.out.printf("agent runner benchmark (java %s, %d cpus)%n", Runtime.version(), cpus());
    try {
      bench.startOverhead();
      bench.sandboxOverhead();
      bench.cancelLatency();
      bench.throughput("memory", new BenchmarkCountingSink());
      String url = System.getenv("TASKPILOT_BENCH_JDBC_URL");
      if (url == null || url.isBlank()) {
        System.out.println("(c) postgresql: skipped, set TASKPILOT_BENCH_JDBC_URL to measure it");
      } else {
        try (BenchmarkJdbcSink sink = BenchmarkJdbcSink.connect(url)) {
          bench.throughput("postgresql", sink);
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(workspace)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  /** (a) Runner start to end of {@code true}, against a raw spawn, alternating, same run. */
  private void startOverhead() throws Exception {
    AgentProcessRunner runner = runner(new BenchmarkCountingSink());
    AgentProcessSpec spec = spec("start", List.of("true"));
    for (int i = 0; i < 20; i++) {
      raw();
      runner.run(spec, () -> false, progress -> {});
    }
    long[] raw = new long[STARTS];
    long[] run = new long[STARTS];
    long[] overhead = new long[STARTS];
    for (int i = 0; i < STARTS; i++) {
      raw[i] = raw();
      long start = System.nanoTime();
      runner.run(spec, () -> false, progress -> {});
      run[i] = System.nanoTime() - start;
      overhead[i] = run[i] - raw[i];
    }
    System.out.printf(
        "(a) start of 'true', %d runs each: raw ProcessBuilder median %.2f ms p99 %.2f ms;"
            + " runner median %.2f ms p99 %.2f ms; overhead (paired differences) median %.2f ms"
            + " p99 %.2f ms (target <= 5 ms median)%n",
        STARTS,
        ms(percentile(raw, 50)),
        ms(percentile(raw, 99)),
        ms(percentile(run, 50)),
        ms(percentile(run, 99)),
        ms(percentile(overhead, 50)),
        ms(percentile(overhead, 99)));
  }

  /**
   * (d) Runner start to end of {@code true}: unconfined, in the default sandbox, and in it with an
   * allowed host (the proxy opened, the bridge listening before {@code true} runs); alternating.
   */
  private void sandboxOverhead() throws Exception {
    ChildLauncher launcher = ChildLauncher.detect();
    Optional<String> problem = launcher.sandboxProblem(true);
    if (problem.isPresent()) {
      System.out.println("(d) sandbox: skipped, " + problem.get());
      return;
    }
    AgentProcessRunner runner = runner(new BenchmarkCountingSink());
    AgentProcessSpec plain = spec("plain", List.of("true"));
    AgentProfile profile =
        new AgentProfile("boxed", List.of("true"), PromptMode.STDIN, "text", List.of(), null);
    AgentProcessSpec boxed =
        spec("boxed", List.of("true"))
            .withProfile(profile.withSandbox(AgentSandbox.BUBBLEWRAP, List.of(), List.of()));
    AgentProcessSpec networked =
        spec("networked", List.of("true"))
            .withProfile(
                profile.withSandbox(AgentSandbox.BUBBLEWRAP, List.of(), List.of("example.com")));
    List<AgentProcessSpec> specs = List.of(plain, boxed, networked);
    for (int i = 0; i < 20; i++) {
      for (AgentProcessSpec spec : specs) {
        runner.run(spec, () -> false, progress -> {});
      }
    }
    long[][] times = new long[specs.size()][STARTS];
    for (int i = 0; i < STARTS; i++) {
      for (int s = 0; s < specs.size(); s++) {
        long start = System.nanoTime();
        AgentProcessResult result = runner.run(specs.get(s), () -> false, progress -> {});
        times[s][i] = System.nanoTime() - start;
        if (!(result.outcome() instanceof RunOutcome.Exited(int code)) || code != 0) {
          throw new IllegalStateException(specs.get(s).taskId() + ": " + result.outcome());
        }
      }
    }
    System.out.printf(
        "(d) start of 'true', %d runs each: unconfined median %.2f ms p99 %.2f ms; sandboxed"
            + " median %.2f ms p99 %.2f ms; sandboxed with allowed hosts median %.2f ms p99 %.2f"
            + " ms%n",
        STARTS,
        ms(percentile(times[0], 50)),
        ms(percentile(times[0], 99)),
        ms(percentile(times[1], 50)),
        ms(percentile(times[1], 99)),
        ms(percentile(times[2], 50)),
        ms(percentile(times[2], 99)));
  }

  private long raw() throws Exception {
    long start = System.nanoTime();
    Process process =
        new ProcessBuilder("true").directory(workspace.toFile()).redirectErrorStream(true).start();
    process.getOutputStream().close();
    try (InputStream output = process.getInputStream()) {
      output.transferTo(OutputStream.nullOutputStream());
    }
    process.waitFor();
    return System.nanoTime() - start;
  }

  /** (b) From the cancellation check saying yes to every process of the tree dead. */
  private void cancelLatency() throws Exception {
    InMemoryAgentOutputSink sink = new InMemoryAgentOutputSink();
    AgentProcessRunner runner = runner(sink);
    long[] latency = new long[CANCELS];
    for (int i = 0; i < CANCELS; i++) {
      String task = "cancel-" + i;
      AtomicLong cancelledAt = new AtomicLong();
      runner.run(
          spec(task, List.of("bash", "-c", TREE)),
          () -> !sink.lines(task).isEmpty() && cancelledAt.compareAndSet(0, System.nanoTime()),
          progress -> {});
      long group = Long.parseLong(sink.texts(task).getFirst().substring("ready ".length()));
      while (ProcStat.groupRunning(group)) {
        Thread.onSpinWait();
      }
      latency[i] = System.nanoTime() - cancelledAt.get();
    }
    System.out.printf(
        "(b) cancel to dead, bash with two background sleeps, %d runs: p50 %.1f ms p99 %.1f ms"
            + " (target <= 1000 ms p99)%n",
        CANCELS, ms(percentile(latency, 50)), ms(percentile(latency, 99)));
  }

  /** (c) {@link #BYTES} of 1000-byte lines through the runner into {@code sink}. */
  private void throughput(String name, BenchmarkCountingSink sink) throws Exception {
    AgentProcessRunner runner = runner(sink);
    String line = "x".repeat(999);
    String command = "yes " + line + " | head -c " + BYTES;
    MemoryWatch memory = MemoryWatch.start();
    long start = System.nanoTime();
    AgentProcessResult result =
        runner.run(
            spec("throughput-" + name, List.of("bash", "-c", command)),
            () -> false,
            progress -> {});
    long elapsed = System.nanoTime() - start;
    MemoryWatch.Peak peak = memory.stop();
    // The last line may lack its line break, which the sink counts all the same.
    if (sink.bytes() != BYTES && sink.bytes() != BYTES + 1) {
      throw new IllegalStateException(name + " sink got " + sink.bytes() + " bytes, not " + BYTES);
    }
    System.out.printf(
        "(c) %s: %d MiB in %,d lines, %d batches, %.1f s, %.0f MB/s (target >= 50);"
            + " peak RSS growth %.1f MiB (VmRSS before %.0f MiB, VmHWM %.0f MiB; target <= 64),"
            + " heap kept after GC %+.1f MiB; outcome %s, max heap %d MiB%n",
        name,
        BYTES >> 20,
        result.lines(),
        sink.batches(),
        elapsed / 1e9,
        BYTES / 1e6 / (elapsed / 1e9),
        peak.growthMiB(),
        peak.beforeMiB(),
        peak.highWaterMiB(),
        peak.heapKeptMiB(),
        result.outcome(),
        Runtime.getRuntime().maxMemory() >> 20);
  }

  private AgentProcessRunner runner(AgentOutputSink sink) throws Exception {
    Path runs = Files.createDirectories(workspace.resolve(".runs"));
    return new AgentProcessRunner(sink, AgentRunnerSettings.DEFAULTS.withRunDirectory(runs));
  }

  private AgentProcessSpec spec(String task, List<String> command) {
    Map<String, String> environment =
        AgentEnvironment.of(System.getenv(), List.of(), task, workspace);
    return new AgentProcessSpec(
        task, 1, command, PromptMode.STDIN, "", workspace, environment, Duration.ofMinutes(30));
  }

  private static long percentile(long[] values, int percent) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static int cpus() {
    return Runtime.getRuntime().availableProcessors();
  }
}
