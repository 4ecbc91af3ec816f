package dev.taskpilot.activities.output;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An output sink in memory, for tests; remembers every line and the size of every batch. */
public final class InMemoryAgentOutputSink implements AgentOutputSink {
  private final Map<String, List<OutputLine>> lines = new HashMap<>();
  private final Map<String, Long> earlier = new HashMap<>();
  private final List<Integer> batchSizes = new ArrayList<>();

  /** Pretends that earlier attempts stored lines up to {@code lastNumber}. */
  public synchronized void assumeEarlierLines(String taskId, long lastNumber) {
    earlier.put(taskId, lastNumber);
  }

  @Override
  public synchronized long lastLineNumber(String taskId) {
    List<OutputLine> stored = lines.getOrDefault(taskId, List.of());
    return stored.isEmpty() ? earlier.getOrDefault(taskId, 0L) : stored.getLast().number();
  }

  @Override
  public synchronized void append(String taskId, int attempt, List<OutputLine> batch) {
    lines.computeIfAbsent(taskId, id -> new ArrayList<>()).addAll(batch);
    batchSizes.add(batch.size());
  }

  public synchronized List<OutputLine> lines(String taskId) {
    return List.copyOf(lines.getOrDefault(taskId, List.of()));
  }

  public synchronized List<String> texts(String taskId) {
    return lines(taskId).stream().map(OutputLine::text).toList();
  }

  public synchronized List<Integer> batchSizes() {
    return List.copyOf(batchSizes);
  }
}
