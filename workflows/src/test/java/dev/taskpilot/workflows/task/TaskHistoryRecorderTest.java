package dev.taskpilot.workflows.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records the histories of the replay scenarios with the current workflow code into {@code
 * target/recorded-histories/} on every build. To add a stored history, copy a recorded file into
 * {@code src/test/resources/histories/} under a new name and commit it; never overwrite an old one,
 * so histories of older workflow code keep being replayed.
 */
class TaskHistoryRecorderTest extends TaskWorkflowTestSupport {
  private static final Path HISTORIES = Path.of("target", "recorded-histories");

  @ParameterizedTest
  @EnumSource(TaskHistories.class)
  void shouldRecordACompletedHistoryWhenScenarioPlays(TaskHistories history) throws IOException {
    // given
    history.play(env);

    // when
    String json = env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID).toJson(true);
    Files.createDirectories(HISTORIES);
    Files.writeString(HISTORIES.resolve(history.file()), json);

    // then
    assertThat(json)
        .containsAnyOf(
            "EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED", "EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED");
  }
}
