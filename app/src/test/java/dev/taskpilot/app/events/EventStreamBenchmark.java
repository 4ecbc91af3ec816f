package dev.taskpilot.app.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.app.events.SseConnection.SseEvent;
import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Benchmark, not a test (excluded from the suite; run by {@code bench/sse-latency.sh}): the delay
 * from an agent printing a line to that line arriving at a client of {@code GET
 * /api/v1/tasks/{id}/events}. The agent prints its own wall-clock time in nanoseconds, one line
 * every 20 ms (plus the time {@code date} takes); the client takes the difference to its clock when
 * the {@code output} event arrives. Both run on this machine, so the clocks are the same.
 *
 * <p>To show where the time goes, a side thread also polls PostgreSQL every 2 ms for the task's
 * lines and notes when each first became visible: print -> stored is the runner's batching, stored
 * -> client is the event stream's share (poll interval, queries, write).
 *
 * <p>System properties: {@code bench.lines} (300), {@code bench.tasks} (2, after one warm-up task),
 * {@code bench.poll-interval} (unset: the default {@code taskpilot.api.events-poll-interval}).
 */
// Generous for the default bench.* sizes; -Djunit.jupiter.execution.timeout.mode=disabled lifts it.
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EventStreamBenchmark {
  private static final int LINES = Integer.getInteger("bench.lines", 300);
  private static final int TASKS = Integer.getInteger("bench.tasks", 2);
  private static final String POLL_INTERVAL = System.getProperty("bench.poll-interval", "");

  /** Per-line delays, in nanoseconds. */
  private record Delays(List<Long> endToEnd, List<Long> toStore, List<Long> storeToClient) {
    Delays() {
      this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  @Test
  void measureOutputLatency() throws Exception {
    String script = "for i in $(seq " + LINES + "); do echo \"$(date +%s%N)\"; sleep 0.02; done";
    Map<String, Object> config = new HashMap<>();
    config.put("taskpilot.agents.stamp.command", List.of("bash", "-c", script));
    config.put("taskpilot.agents.stamp.prompt", "argument");
    if (!POLL_INTERVAL.isBlank()) {
      config.put("taskpilot.api.events-poll-interval", POLL_INTERVAL);
    }
    Delays delays = new Delays();
    try (EventsTaskpilot taskpilot = EventsTaskpilot.dev(1, config)) {
      run(taskpilot, new Delays()); // warm-up, not counted
      for (int i = 0; i < TASKS; i++) {
        run(taskpilot, delays);
      }
    }
    System.out.printf(
        "%nSSE output latency, %d tasks x %d lines (a line every ~20 ms), poll interval %s:%n",
        TASKS, LINES, POLL_INTERVAL.isBlank() ? "default (100ms)" : POLL_INTERVAL);
    print("agent print -> SSE client", delays.endToEnd());
    print("  print -> stored (runner)", delays.toStore());
    print("  stored -> SSE client", delays.storeToClient());
  }

  private static void run(EventsTaskpilot taskpilot, Delays delays) throws Exception {
    String id = taskpilot.create("{\"prompt\": \"stamps\", \"agent\": \"stamp\"}");
    Map<Long, Long> storedAt = new ConcurrentHashMap<>(); // line -> epoch nanos first seen
    AtomicBoolean watching = new AtomicBoolean(true);
    Thread watcher = Thread.ofPlatform().start(() -> watch(taskpilot, id, storedAt, watching));
    List<long[]> arrivals = new ArrayList<>(); // {line, printed, arrived} (epoch nanos)
    try (SseConnection sse =
        SseConnection.open(
            taskpilot.http(),
            taskpilot.uri("/api/v1/tasks/" + id + "/events"),
            taskpilot.token(),
            null)) {
      SseEvent event;
      while ((event = sse.nextEvent()) != null) {
        long now = epochNanos();
        if ("output".equals(event.name())) {
          var data = EventsTaskpilot.json(event.data());
          long printed = Long.parseLong(data.path("text").asText().strip());
          arrivals.add(new long[] {data.path("line").asLong(), printed, now});
        }
      }
    } finally {
      watching.set(false);
      watcher.join();
    }
    assertThat(arrivals).hasSize(LINES);
    for (long[] line : arrivals) {
      delays.endToEnd().add(line[2] - line[1]);
      Long stored = storedAt.get(line[0]);
      if (stored != null) {
        delays.toStore().add(stored - line[1]);
        delays.storeToClient().add(line[2] - stored);
      }
    }
  }

  private static void watch(
      EventsTaskpilot taskpilot, String id, Map<Long, Long> storedAt, AtomicBoolean watching) {
    OutputLineRepository lines = taskpilot.runtime().context().getBean(OutputLineRepository.class);
    long last = 0;
    while (watching.get()) {
      for (OutputLineRecord line : lines.findAfter(id, last, 1000)) {
        storedAt.putIfAbsent(line.lineNo(), epochNanos());
        last = line.lineNo();
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private static void print(String label, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    System.out.printf(
        "  %-28s n=%4d  p50 %4d ms  p90 %4d ms  p99 %4d ms  max %4d ms%n",
        label,
        sorted.size(),
        percentile(sorted, 50),
        percentile(sorted, 90),
        percentile(sorted, 99),
        sorted.getLast() / 1_000_000);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index)) / 1_000_000;
  }
}
