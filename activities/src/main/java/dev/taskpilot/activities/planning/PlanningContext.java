package dev.taskpilot.activities.planning;

import dev.taskpilot.store.OwnerContextRepository;
import dev.taskpilot.store.StandingContext;
import dev.taskpilot.store.TaskRecord;
import dev.taskpilot.store.TaskRepository;
import java.time.Instant;
import java.util.List;

/**
 * What the planner knows besides the task: the owner's standing context and the tasks already
 * waiting for a slot, so it does not double-book.
 */
record PlanningContext(StandingContext standing, List<Slot> upcoming) {
  static final int MAX_UPCOMING = 50;

  /** A slot already taken by another task. */
  record Slot(String taskId, String title, Instant start) {}

  static PlanningContext load(
      OwnerContextRepository contexts,
      TaskRepository tasks,
      String owner,
      String taskId,
      Instant now) {
    StandingContext standing =
        contexts.findById(owner).map(StandingContext::of).orElse(StandingContext.NONE);
    List<Slot> upcoming =
        tasks.findUpcoming(owner, now, MAX_UPCOMING).stream()
            .filter(task -> !task.id().equals(taskId))
            .map(PlanningContext::slot)
            .toList();
    return new PlanningContext(standing, upcoming);
  }

  private static Slot slot(TaskRecord task) {
    return new Slot(task.id(), task.title(), task.notBefore());
  }
}
