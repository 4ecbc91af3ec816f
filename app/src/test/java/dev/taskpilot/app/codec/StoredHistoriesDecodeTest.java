package dev.taskpilot.app.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.taskpilot.store.crypto.EncryptionKeys;
import dev.taskpilot.workflows.retention.RetentionWorkflowImpl;
import dev.taskpilot.workflows.schedule.ScheduleWorkflowImpl;
import dev.taskpilot.workflows.task.TaskWorkflowImpl;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stored history (recorded before payloads were encrypted) replays through the encrypting
 * data converter the roles use: the codec passes its plain payloads through.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StoredHistoriesDecodeTest {
  private TestWorkflowEnvironment environment;

  @BeforeAll
  void start() {
    PayloadEncryption codec =
        new PayloadEncryption(
            EncryptionKeys.of(EncryptionKeys.parse(EncryptionKeys.generate(), "k"), List.of()));
    environment =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(
                            new CodecDataConverter(
                                DefaultDataConverter.newDefaultInstance(), List.of(codec), true))
                        .build())
                .build());
  }

  @AfterAll
  void stop() {
    environment.close();
  }

  List<Path> storedHistories() throws IOException {
    String home = System.getProperty("taskpilot.home");
    assertThat(home).as("system property taskpilot.home (set by surefire)").isNotBlank();
    try (Stream<Path> files =
        Files.list(Path.of(home, "workflows", "src", "test", "resources", "histories"))) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
    }
  }

  @Test
  void shouldFindTheStoredHistories() throws IOException {
    assertThat(storedHistories()).hasSizeGreaterThanOrEqualTo(17);
  }

  @ParameterizedTest
  @MethodSource("storedHistories")
  void shouldReplayAStoredHistoryWhenPayloadsGoThroughTheCodec(Path file) throws IOException {
    // given
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
    String name = file.getFileName().toString();
    Class<?> implementation =
        name.startsWith("schedule-")
            ? ScheduleWorkflowImpl.class
            : name.startsWith("retention-") ? RetentionWorkflowImpl.class : TaskWorkflowImpl.class;

    // a worker of its own (a factory holds one worker per task queue) on the encrypting client
    String queue =
        history
            .getEvents()
            .getFirst()
            .getWorkflowExecutionStartedEventAttributes()
            .getTaskQueue()
            .getName();
    Worker worker = WorkerFactory.newInstance(environment.getWorkflowClient()).newWorker(queue);
    worker.registerWorkflowImplementationTypes(implementation);

    // when / then
    assertThatCode(() -> WorkflowReplayer.replayWorkflowExecution(history, worker))
        .doesNotThrowAnyException();
  }
}
