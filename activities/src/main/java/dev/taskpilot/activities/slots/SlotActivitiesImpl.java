package dev.taskpilot.activities.slots;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/** Waits for agent slots by polling PostgreSQL, heartbeating so cancellation gets through. */
@Singleton
public class SlotActivitiesImpl implements SlotActivities {
  private final AgentSlots slots;
  private final Workspaces workspaces;
  private final SlotsConfig config;

  public SlotActivitiesImpl(AgentSlots slots, Workspaces workspaces, SlotsConfig config) {
    this.slots = slots;
    this.workspaces = workspaces;
    this.config = config;
  }

  @Override
  public boolean acquire(SlotRequest request) {
    String workspaceKey = exclusiveWorkspace(request.workspace());
    ActivityExecutionContext context = Activity.getExecutionContext();
    long deadline = System.nanoTime() + request.maxWait().toNanos();
    try {
      while (!slots.tryAcquire(
          request.taskId(), request.agent(), workspaceKey, request.priority())) {
        if (System.nanoTime() >= deadline) {
          return false;
        }
        context.heartbeat(null);
        Thread.sleep(config.pollInterval().toMillis());
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an agent slot", e);
    }
  }

  @Override
  public void release(String taskId) {
    slots.release(taskId);
  }

  /**
   * The workspace a run needs for itself: a plain directory is shared by nobody; a git repository
   * is not, since each task works in its own worktree; a task without a workspace has its own.
   */
  String exclusiveWorkspace(String workspace) {
    if (workspace == null) {
      return null;
    }
    Path directory = workspaces.resolve(workspace, null);
    return Worktrees.isRepository(directory) ? null : directory.toString();
  }
}
