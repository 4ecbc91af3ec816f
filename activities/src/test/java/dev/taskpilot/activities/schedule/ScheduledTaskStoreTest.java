package dev.taskpilot.activities.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.workflows.TaskJson;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.task.TaskInput;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduledTaskStoreTest {

  @Test
  void shouldGiveEachRunItsOwnDefaultGitBranchButKeepANamedOne() {
    // given a template as the API stores it: no task id, a git target without a branch
    TaskInput template =
        new TaskInput(
            null,
            "default",
            "Digest",
            "Summarise",
            "example",
            "shop",
            null,
            null,
            null,
            null,
            null,
            List.of(
                new PublishTarget.Git("git@git.example.org:shop.git", null),
                new PublishTarget.Git("git@git.example.org:docs.git", "digests")),
            null,
            null,
            null,
            null);

    // when
    TaskInput run =
        ScheduledTaskStore.withTaskId(TaskJson.write(template), "sched-1-20261123T090000Z");

    // then
    assertThat(run.taskId()).isEqualTo("sched-1-20261123T090000Z");
    assertThat(run.publish())
        .containsExactly(
            new PublishTarget.Git(
                "git@git.example.org:shop.git", "taskpilot/sched-1-20261123T090000Z"),
            new PublishTarget.Git("git@git.example.org:docs.git", "digests"));
  }
}
