package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.workflows.TaskStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.SearchAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task's workflow carries its status, priority, agent, workspace, owner and labels as search
 * attributes, upserted when one changes. The SDK's test server has no visibility queries
 * (ListWorkflowExecutions), so this reads them with describe and from the history.
 */
class TaskWorkflowSearchAttributesTest extends TaskWorkflowTestSupport {

  @Test
  void shouldCarryTheTasksAttributesWhenItSucceeds() {
    // given
    TaskInput input = task().build();

    // when
    env.run(input);

    // then
    SearchAttributes attributes =
        env.untyped(TestTasks.TASK_ID).describe().getTypedSearchAttributes();
    assertThat(attributes.get(TaskSearchAttributes.STATUS)).isEqualTo("SUCCEEDED");
    assertThat(attributes.get(TaskSearchAttributes.PRIORITY))
        .isEqualTo((long) TestTasks.PLAN_PRIORITY);
    assertThat(attributes.get(TaskSearchAttributes.AGENT)).isEqualTo("claude");
    assertThat(attributes.get(TaskSearchAttributes.WORKSPACE)).isEqualTo("docs-repo");
    assertThat(attributes.get(TaskSearchAttributes.OWNER)).isEqualTo("owner-1");
    assertThat(attributes.get(TaskSearchAttributes.LABELS)).containsExactly("docs");
  }

  @Test
  void shouldUpsertOnlyWhatChangedWhenTheStatusOrPriorityChanges() {
    // given
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);

    // when
    workflow.setPriority(8);
    workflow.runNow();
    env.result(TestTasks.TASK_ID);

    // then
    List<HistoryEvent> upserts =
        env.temporal.getWorkflowClient().fetchHistory(TestTasks.TASK_ID).getEvents().stream()
            .filter(HistoryEvent::hasUpsertWorkflowSearchAttributesEventAttributes)
            .toList();
    List<List<String>> names =
        upserts.stream()
            .map(
                event ->
                    event
                        .getUpsertWorkflowSearchAttributesEventAttributes()
                        .getSearchAttributes()
                        .getIndexedFieldsMap()
                        .keySet()
                        .stream()
                        .sorted()
                        .toList())
            .toList();
    // The first carries everything; each later one only the status or the priority.
    assertThat(names.getFirst())
        .containsExactlyInAnyOrderElementsOf(TaskSearchAttributes.REGISTERED.keySet());
    assertThat(names.subList(1, names.size()))
        .isNotEmpty()
        .allSatisfy(
            changed ->
                assertThat(changed)
                    .isSubsetOf("TaskpilotStatus", "TaskpilotPriority")
                    .isNotEmpty());
    assertThat(names.subList(1, names.size())).contains(List.of("TaskpilotPriority"));
    SearchAttributes attributes =
        env.untyped(TestTasks.TASK_ID).describe().getTypedSearchAttributes();
    assertThat(attributes.get(TaskSearchAttributes.PRIORITY)).isEqualTo(8L);
    assertThat(attributes.get(TaskSearchAttributes.STATUS)).isEqualTo("SUCCEEDED");
  }
}
