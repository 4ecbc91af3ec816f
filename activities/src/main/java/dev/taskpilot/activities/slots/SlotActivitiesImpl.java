package dev.taskpilot.activities.slots;

import dev.taskpilot.activities.agent.workspace.Workspaces;
import dev.taskpilot.activities.worktree.Worktrees;
import dev.taskpilot.workflows.activities.slots.SlotActivities;
import dev.taskpilot.workflows.activities.slots.SlotClaim;
import dev.taskpilot.workflows.activities.slots.SlotRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Claims and releases agent slots, and tells the workflows whose claims those grant. */
@Singleton
public class SlotActivitiesImpl implements SlotActivities {
  private final AgentSlots slots;
  private final Workspaces workspaces;
  private final SlotsConfig config;
  private final SlotGrantNotice notice;

  public SlotActivitiesImpl(
      AgentSlots slots, Workspaces workspaces, SlotsConfig config, SlotGrantNotice notice) {
    this.slots = slots;
    this.workspaces = workspaces;
    this.config = config;
    this.notice = notice;
  }

  @Override
  public boolean claim(SlotClaim claim) {
    AgentSlots.Claimed claimed =
        slots.claim(
            claim.taskId(),
            claim.agent(),
            exclusiveWorkspace(claim.workspace()),
            claim.priority(),
            claim.claim());
    announce(claimed.granted());
    return claimed.held();
  }

  @Override
  public boolean acquire(SlotRequest request) {
    String workspaceKey = exclusiveWorkspace(request.workspace());
    ActivityExecutionContext context = Activity.getExecutionContext();
    long deadline = System.nanoTime() + request.maxWait().toNanos();
    try {
      while (true) {
        AgentSlots.Claimed claimed =
            slots.claim(request.taskId(), request.agent(), workspaceKey, request.priority(), 0);
        announce(claimed.granted());
        if (claimed.held()) {
          return true;
        }
        if (System.nanoTime() >= deadline) {
          return false;
        }
        context.heartbeat(null);
        Thread.sleep(config.pollInterval().toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for an agent slot", e);
    }
  }

  @Override
  public void release(String taskId) {
    announce(slots.release(taskId));
  }

  /** Frees expired slots and grants them on; what a worker's sweep runs. */
  public void sweep() {
    announce(slots.sweep());
  }

  /**
   * Tells each granted workflow; a grant whose workflow is gone goes back, and what that frees is
   * granted and told in turn.
   */
  void announce(List<SlotGrant> grants) {
    Deque<SlotGrant> pending = new ArrayDeque<>(grants);
    while (!pending.isEmpty()) {
      SlotGrant grant = pending.poll();
      if (!notice.tell(grant)) {
        pending.addAll(slots.revoke(grant));
      }
    }
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
