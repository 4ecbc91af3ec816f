package dev.taskpilot.workflows.task;

import static dev.taskpilot.workflows.task.TestTasks.task;

import dev.taskpilot.workflows.TaskStatus;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The stored task histories under {@code src/test/resources/histories/}, and the scenarios that
 * recorded them.
 */
enum TaskHistories {
  /** Scheduled ahead, priority set, run now, approved before the run, published: SUCCEEDED. */
  APPROVED_RUN_NOW_WITH_PRIORITY(
      "task-approved-run-now-priority.json", TaskHistories::approvedRunNowWithPriority),

  /** Paused, rescheduled, resumed, then cancelled while waiting: CANCELLED. */
  PAUSED_RESCHEDULED_CANCELLED(
      "task-paused-rescheduled-cancelled.json", TaskHistories::pausedRescheduledCancelled),

  /** The first scenario again, recorded after the summariser was added (its version marker). */
  APPROVED_RUN_NOW_WITH_PRIORITY_SUMMARISED(
      "task-approved-run-now-priority-summarised.json", TaskHistories::approvedRunNowWithPriority);

  private final String fileName;
  private final Consumer<TaskTestEnvironment> scenario;

  TaskHistories(String file, Consumer<TaskTestEnvironment> scenario) {
    this.fileName = file;
    this.scenario = scenario;
  }

  private static void approvedRunNowWithPriority(TaskTestEnvironment env) {
    TaskWorkflow workflow =
        env.start(
            task()
                .notBefore(env.now().plus(Duration.ofHours(3)))
                .approveBeforeRun(true)
                .publish(TestTasks.file("release/notes.md"))
                .build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    workflow.setPriority(8);
    workflow.runNow();
    workflow.approve("go ahead", null);
    env.result(TestTasks.TASK_ID);
  }

  private static void pausedRescheduledCancelled(TaskTestEnvironment env) {
    TaskWorkflow workflow =
        env.start(task().notBefore(env.now().plus(Duration.ofHours(3))).build());
    env.awaitStatus(TaskStatus.SCHEDULED);
    workflow.pause();
    workflow.reschedule(env.now().plus(Duration.ofHours(6)));
    workflow.resume();
    env.sleep(Duration.ofHours(1));
    workflow.cancel("superseded");
    env.result(TestTasks.TASK_ID);
  }

  /** The file name under {@code histories/}. */
  String file() {
    return fileName;
  }

  /** The classpath resource replayers read. */
  String resource() {
    return "histories/" + fileName;
  }

  /** Drives a task through the scenario in a fresh environment. */
  void play(TaskTestEnvironment env) {
    scenario.accept(env);
  }
}
