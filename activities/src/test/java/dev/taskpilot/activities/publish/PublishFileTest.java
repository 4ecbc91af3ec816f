package dev.taskpilot.activities.publish;

import static dev.taskpilot.activities.publish.PublishFixtures.applicationFailure;
import static dev.taskpilot.activities.publish.PublishFixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.store.PublicationAttemptRecord;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationWithAttempts;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The file target through the ledger on PostgreSQL, alone and with many concurrent attempts. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishFileTest implements TestPropertyProvider {
  private static final int CALLERS = 8;

  private final PublishFixtures fixtures = new PublishFixtures();

  @Inject PublishLedger ledger;
  @Inject FilePublisher files;
  @Inject PublicationRepository publications;
  @Inject TaskRepository tasks;

  @Override
  public Map<String, String> getProperties() {
    return fixtures.properties();
  }

  @AfterAll
  void cleanUp() throws IOException {
    fixtures.delete();
  }

  private static PublishRequest request(String taskId, String path) {
    return new PublishRequest(
        taskId, "Release notes", "short", "line one\n".repeat(2_000), new PublishTarget.File(path));
  }

  private Publication publish(PublishRequest request, int attempt) {
    return ledger.publish(request, (PublishTarget.File) request.target(), attempt, files);
  }

  private PublicationWithAttempts ledgerOf(String taskId) {
    return publications.findByTask(taskId).getFirst();
  }

  @Test
  void shouldWriteOneWholeFileWhenManyAttemptsPublishAtOnce() throws Exception {
    // given
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, "notes/" + taskId + ".md");
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    List<Future<Publication>> calls = new ArrayList<>();
    // when
    try {
      for (int caller = 1; caller <= CALLERS; caller++) {
        int attempt = caller;
        calls.add(
            pool.submit(
                () -> {
                  start.await();
                  return publish(request, attempt);
                }));
      }
      start.countDown();
      List<Publication> results = new ArrayList<>();
      for (Future<Publication> call : calls) {
        results.add(call.get());
      }
      // then
      Path file = Path.of(URI.create(results.getFirst().location()));
      assertThat(results).extracting(Publication::location).containsOnly(file.toUri().toString());
      assertThat(Files.readString(file)).isEqualTo(FilePublisher.render(request));
      try (Stream<Path> siblings = Files.list(file.getParent())) {
        assertThat(siblings).containsExactly(file);
      }
      PublicationWithAttempts row = ledgerOf(taskId);
      assertThat(row.publication().status()).isEqualTo("DELIVERED");
      Map<Integer, List<PublicationAttemptRecord>> byCaller =
          row.attempts().stream().collect(Collectors.groupingBy(PublicationAttemptRecord::attempt));
      assertThat(byCaller.keySet())
          .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, CALLERS).boxed().toList());
      assertThat(byCaller.values())
          .allSatisfy(
              mine -> assertThat(mine.getLast().outcome()).isIn("DELIVERED", "ALREADY_DELIVERED"));
      // Every claim of the row made exactly one send, and none of them failed under contention.
      assertThat(steps(row.attempts()).stream().filter(s -> s.startsWith("SEND/")))
          .hasSize(row.publication().attempts())
          .containsOnly("SEND/DELIVERED");
      assertThat(row.publication().contentHash())
          .isEqualTo(TargetPublisher.sha256(Files.readAllBytes(file)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldReconcileAnUnknownSendWithoutWritingAgainWhenTheFileIsThere() throws Exception {
    // given: a write that landed, then the ledger lost track of it
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, taskId + ".md");
    Path file = Path.of(URI.create(publish(request, 1).location()));
    Object inode = Files.getAttribute(file, "unix:ino");
    fixtures.execute("UPDATE publications SET status = 'UNKNOWN' WHERE task_id = ?", taskId);
    // when
    Publication again = publish(request, 2);
    // then
    assertThat(again.location()).isEqualTo(file.toUri().toString());
    assertThat(Files.getAttribute(file, "unix:ino"))
        .as("the file was not replaced")
        .isEqualTo(inode);
    PublicationWithAttempts row = ledgerOf(taskId);
    assertThat(row.publication().status()).isEqualTo("DELIVERED");
    assertThat(steps(row.attempts())).containsExactly("SEND/DELIVERED", "RECONCILE/DELIVERED");
  }

  @Test
  void shouldWriteAgainWhenTheFileDoesNotHoldWhatTheLedgerRecorded() throws Exception {
    // given
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, taskId + ".md");
    Path file = Path.of(URI.create(publish(request, 1).location()));
    Files.writeString(file, "half a fi");
    fixtures.execute("UPDATE publications SET status = 'SENDING' WHERE task_id = ?", taskId);
    // when
    publish(request, 2);
    // then
    assertThat(Files.readString(file)).isEqualTo(FilePublisher.render(request));
    assertThat(steps(ledgerOf(taskId).attempts()))
        .containsExactly("SEND/DELIVERED", "RECONCILE/NOT_DELIVERED", "SEND/DELIVERED");
  }

  @Test
  void shouldRefuseAPathThatLeavesTheFileRoot() {
    // given
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, "../outside-" + taskId + ".md");
    // when
    ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
    // then
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
    assertThat(fixtures.root().resolve("outside-" + taskId + ".md")).doesNotExist();
    PublicationWithAttempts row = ledgerOf(taskId);
    assertThat(row.publication().status()).isEqualTo("FAILED");
    assertThat(steps(row.attempts())).containsExactly("SEND/FAILED");
  }
}
