package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.planning.PlanRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TaskWorkflowPriorityTest extends TaskWorkflowTestSupport {

  @Test
  void shouldChangePriorityWhenSetWhileScheduled() {
    // given
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);

    // when
    TaskState accepted = workflow.setPriority(9);

    // then
    assertThat(accepted.priority()).isEqualTo(9);
    assertThat(accepted.status()).isEqualTo(TaskStatus.SCHEDULED);
    assertThat(env.result(TestTasks.TASK_ID).priority()).isEqualTo(9);
  }

  @Test
  void shouldKeepTheSetPriorityWhenThePlanArrivesLater() throws InterruptedException {
    // given
    Hold planning = new Hold();
    doAnswer(planning.then(call -> TestTasks.plan(call.<PlanRequest>getArgument(0).now(), false)))
        .when(env.planning)
        .plan(any());
    TaskWorkflow planned = env.start(task().build());
    planning.awaitEntered();

    // when
    TaskState accepted = planned.setPriority(9);
    planning.release();

    // then
    assertThat(accepted.status()).isEqualTo(TaskStatus.PLANNING);
    TaskState end = env.result(TestTasks.TASK_ID);
    assertThat(end.plan().priority()).isEqualTo(TestTasks.PLAN_PRIORITY);
    assertThat(end.priority()).isEqualTo(9);
  }
}
