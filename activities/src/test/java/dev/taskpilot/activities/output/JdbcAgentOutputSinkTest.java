package dev.taskpilot.activities.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.testing.TaskRows;
import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** A task's stored output stops at its cap with one marker; listeners still hear every line. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcAgentOutputSinkTest implements TestPropertyProvider {
  private static final int CAP = 100;

  @Inject JdbcAgentOutputSink sink;
  @Inject OutputLineRepository lines;
  @Inject TaskRepository tasks;
  @Inject OutputListeners listeners;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.agent.output-cap", Integer.toString(CAP));
    properties.put("taskpilot.worker.enabled", "false");
    return properties;
  }

  private String task() {
    return TaskRows.insert(tasks, "RUNNING");
  }

  private static List<OutputLine> numbered(long from, long to) {
    return LongStream.rangeClosed(from, to)
        .mapToObj(n -> new OutputLine(n, "line " + String.format("%04d", n), Instant.now()))
        .toList();
  }

  private List<String> stored(String task) {
    return lines.findAfter(task, 0, 1000).stream().map(OutputLineRecord::text).toList();
  }

  @Test
  void shouldStoreOneMarkerInPlaceOfTheLineThatCrossesTheCapAndNothingAfter() throws Exception {
    // given: lines of 10 bytes with their newline, so ten fit in the cap of 100
    String task = task();
    List<OutputLine> heard = new ArrayList<>();
    sink.lastLineNumber(task);

    // when
    try (AutoCloseable listening = listeners.listen(task, heard::addAll)) {
      sink.append(task, 1, numbered(1, 7));
      sink.append(task, 1, numbered(8, 15));
      sink.append(task, 1, numbered(16, 20));
    }

    // then
    List<String> stored = stored(task);
    assertThat(stored).hasSize(11);
    assertThat(stored.subList(0, 10)).allMatch(text -> text.startsWith("line "));
    assertThat(stored.getLast()).isEqualTo(JdbcAgentOutputSink.TRUNCATED);
    assertThat(lines.lastLineNumber(task)).isEqualTo(11);
    assertThat(heard).as("listeners hear every line").hasSize(20);
  }

  @Test
  void shouldStoreNothingMoreForALaterRunOfATruncatedTask() {
    // given
    String task = task();
    sink.lastLineNumber(task);
    sink.append(task, 1, numbered(1, 12));
    // when: the next attempt starts from what is stored
    long last = sink.lastLineNumber(task);
    sink.append(task, 2, numbered(last + 1, last + 5));
    // then
    assertThat(stored(task)).hasSize(11).last().isEqualTo(JdbcAgentOutputSink.TRUNCATED);
  }

  @Test
  void shouldStoreEveryLineOfAnOutputWithinTheCapAcrossRuns() {
    // given
    String task = task();
    sink.lastLineNumber(task);
    sink.append(task, 1, numbered(1, 4));
    long last = sink.lastLineNumber(task);
    // when
    sink.append(task, 2, numbered(last + 1, last + 6));
    // then: ten lines of 10 bytes are exactly the cap
    assertThat(stored(task)).hasSize(10).noneMatch(JdbcAgentOutputSink.TRUNCATED::equals);
  }
}
