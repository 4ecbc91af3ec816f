package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.OutputLineRecord;
import dev.taskpilot.store.OutputLineRepository;
import dev.taskpilot.store.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET …/output} answers a page capped in bytes, read in small batches, and says where the
 * next page starts and whether there is one: a client walks a long output without any answer
 * holding all of it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskOutputPagesTest {
  private static final int PAGE_BYTES = 100;
  private static RunningTaskpilot taskpilot;

  @BeforeAll
  static void start() throws Exception {
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-output-"),
            TestDatabase.freshDatasourceProperties(),
            Map.of("taskpilot.api.output-page-bytes", Integer.toString(PAGE_BYTES)));
  }

  @AfterAll
  static void stop() {
    taskpilot.close();
  }

  @Test
  void shouldWalkTheWholeOutputInPagesOfAtMostThePageBytesWhenItIsLong() {
    // given: a waiting task with 1,200 lines (more than two batches), one longer than a page, and
    // lines of two-byte characters
    String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
    String id =
        taskpilot
            .create("{\"prompt\": \"later\", \"notBefore\": \"" + tomorrow + "\"}")
            .path("id")
            .asText();
    List<String> texts =
        IntStream.rangeClosed(1, 1200)
            .mapToObj(
                n ->
                    n == 600
                        ? "x".repeat(3 * PAGE_BYTES)
                        : n % 7 == 0 ? "é".repeat(20) : "line " + n)
            .toList();
    List<OutputLineRecord> lines = new ArrayList<>();
    for (int n = 1; n <= texts.size(); n++) {
      lines.add(new OutputLineRecord(null, id, n, 1, texts.get(n - 1), Instant.now()));
    }
    taskpilot.runtime().context().getBean(OutputLineRepository.class).saveAll(lines);

    // when
    List<String> walked = new ArrayList<>();
    long after = 0;
    int pages = 0;
    boolean more = true;
    while (more) {
      HttpResponse<String> page = taskpilot.get("/api/v1/tasks/" + id + "/output?after=" + after);
      assertThat(page.statusCode()).isEqualTo(200);
      byte[] body = page.body().getBytes(StandardCharsets.UTF_8);
      List<String> pageLines = page.body().lines().toList();
      // then: within the cap, unless one line alone is longer
      assertThat(body.length <= PAGE_BYTES || pageLines.size() == 1)
          .as("page after %d: %d bytes in %d lines", after, body.length, pageLines.size())
          .isTrue();
      walked.addAll(pageLines);
      after = Long.parseLong(page.headers().firstValue("X-Last-Line").orElseThrow());
      more = Boolean.parseBoolean(page.headers().firstValue("X-More-Output").orElseThrow());
      pages++;
    }

    // then: every line once, in order, and the end says so
    assertThat(walked).containsExactlyElementsOf(texts);
    assertThat(after).isEqualTo(1200);
    assertThat(pages).isGreaterThan(100);
    HttpResponse<String> end = taskpilot.get("/api/v1/tasks/" + id + "/output?after=1200");
    assertThat(end.body()).isEmpty();
    assertThat(end.headers().firstValue("X-Last-Line")).hasValue("1200");
    assertThat(end.headers().firstValue("X-More-Output")).hasValue("false");
  }
}
