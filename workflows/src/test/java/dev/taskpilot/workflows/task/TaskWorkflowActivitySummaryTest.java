package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.file;
import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every activity a task schedules carries a readable summary, which the Temporal Web UI shows. */
class TaskWorkflowActivitySummaryTest extends TaskWorkflowTestSupport {

  @Test
  void shouldGiveEveryScheduledActivityAReadableSummary() {
    // given
    TaskInput input = task().publish(file("release/notes.md")).build();

    // when
    env.run(input);

    // then
    List<HistoryEvent> scheduled =
        env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID).getEvents().stream()
            .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
            .toList();
    assertThat(scheduled).isNotEmpty();
    assertThat(scheduled)
        .extracting(
            event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName(),
            TaskWorkflowActivitySummaryTest::summary)
        .contains(
            tuple("PlanTask", "plan the task"),
            tuple("RunAgent", "run claude in docs-repo"),
            tuple("SummariseResult", "summarise the result"),
            tuple("PublishFile", "publish the result to a file"));
    assertThat(scheduled).allSatisfy(event -> assertThat(summary(event)).isNotBlank());
  }

  @Test
  void shouldNumberTheAgentRunsFromTheSecondOn() {
    assertThat(ActivityDefaults.agentSummary("claude-code", "shop", 1))
        .isEqualTo("run claude-code in shop");
    assertThat(ActivityDefaults.agentSummary("claude-code", "shop", 2))
        .isEqualTo("run claude-code in shop (run 2)");
    assertThat(ActivityDefaults.agentSummary("codex", null, 3)).isEqualTo("run codex (run 3)");
  }

  private static String summary(HistoryEvent event) {
    if (!event.getUserMetadata().hasSummary()) {
      return "";
    }
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
        event.getUserMetadata().getSummary(), String.class, String.class);
  }
}
