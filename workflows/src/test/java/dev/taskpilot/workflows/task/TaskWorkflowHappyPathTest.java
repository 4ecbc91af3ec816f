package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.file;
import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.agent.AgentRunRequest;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.planning.PlanSource;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskWorkflowHappyPathTest extends TaskWorkflowTestSupport {
  private final PublishTarget notes = file("release/notes.md");
  private final PublishTarget archive = file("archive/summary.md");

  @Test
  void shouldPassThroughEveryStatusWhenNothingIntervenes() {
    // given
    TaskInput input = task().publish(notes, archive).build();

    // when
    env.run(input);

    // then
    assertThat(env.recordedStatuses())
        .containsExactly(
            TaskStatus.PLANNING,
            TaskStatus.SCHEDULED,
            TaskStatus.RUNNING,
            TaskStatus.PUBLISHING,
            TaskStatus.SUCCEEDED);
    assertThat(env.recorded()).extracting(TaskState::version).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void shouldHandTheAgentThePlannedInstructionsWhenItRuns() {
    // given
    TaskInput input = task().build();

    // when
    env.run(input);

    // then
    verify(env.agent)
        .run(
            new AgentRunRequest(
                TestTasks.TASK_ID,
                "claude",
                "docs-repo",
                TestTasks.INSTRUCTIONS,
                Duration.ofMinutes(30),
                null,
                null,
                java.math.BigDecimal.ZERO));
  }

  @Test
  void shouldPublishTheAgentResultOnceToEachTargetWhenTheRunSucceeds() {
    // given
    TaskInput input = task().publish(notes, archive).build();

    // when
    env.run(input);

    // then
    for (PublishTarget target : List.of(notes, archive)) {
      verify(env.publishing, times(1))
          .publishFile(
              new PublishRequest(
                  TestTasks.TASK_ID,
                  TestTasks.TITLE,
                  TestTasks.RESULT_SUMMARY,
                  TestTasks.RESULT_TEXT,
                  target));
    }
    verify(env.publishing, times(2)).publishFile(any());
  }

  @Test
  void shouldNotifySucceededWhenTheTaskEnds() {
    // given
    TaskInput input = task().build();

    // when
    env.run(input);

    // then
    verify(env.notifying)
        .send(
            argThat(
                (ChannelNotification n) ->
                    n.event() == NotifyEvent.SUCCEEDED && n.taskId().equals(TestTasks.TASK_ID)));
  }

  @Test
  void shouldReturnRunInfoAndResultWhenTheTaskSucceeds() {
    // given
    TaskInput input = task().publish(notes).build();

    // when
    TaskState state = env.run(input);

    // then
    assertThat(state.status()).isEqualTo(TaskStatus.SUCCEEDED);
    assertThat(state.taskId()).isEqualTo(TestTasks.TASK_ID);
    assertThat(state.priority()).isEqualTo(TestTasks.PLAN_PRIORITY);
    assertThat(state.plan().source()).isEqualTo(PlanSource.LLM);
    assertThat(state.run().attempt()).isEqualTo(1);
    assertThat(state.run().exitCode()).isZero();
    assertThat(state.run().costUsd()).isEqualByComparingTo(TestTasks.COST);
    assertThat(state.run().sessionId()).isEqualTo(TestTasks.SESSION_ID);
    assertThat(state.run().outputLines()).isEqualTo(TestTasks.OUTPUT_LINES);
    assertThat(state.run().endedAt()).isAfter(state.run().startedAt());
    assertThat(state.result().summary()).isEqualTo(TestTasks.RESULT_SUMMARY);
    assertThat(state.result().publications())
        .singleElement()
        .satisfies(p -> assertThat(p.target()).isEqualTo(notes.key()));
    assertThat(state.error()).isNull();
    assertThat(state.gate()).isNull();
  }

  @Test
  void shouldKeepTheUserPriorityWhenTheInputFixesIt() {
    // given
    TaskInput input = task().priority(9).build();

    // when
    TaskState state = env.run(input);

    // then
    assertThat(state.priority()).isEqualTo(9);
  }
}
