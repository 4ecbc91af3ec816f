package dev.taskpilot.workflows.activities.publish;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Delivers task results to their targets, exactly once per (task, target): every attempt goes
 * through the publish ledger, a DELIVERED target is never sent again, and an attempt whose outcome
 * is UNKNOWN is reconciled with the target before anything is resent. One activity type per target
 * type, so each has its own declared retry schedule.
 */
@ActivityInterface
public interface PublishActivities {

  /**
   * Delivers a result to any target type; the activity of histories from before the per-type
   * activities. Raises non-retryable {@code PUBLISH_FAILED} when the target can never take it.
   */
  @ActivityMethod(name = "PublishResult")
  Publication publish(PublishRequest request);

  /** Writes the result to a file target. */
  @ActivityMethod(name = "PublishFile")
  Publication publishFile(PublishRequest request);

  /** POSTs the result to a webhook target; 4xx other than 408/429 fail for good. */
  @ActivityMethod(name = "PublishWebhook")
  Publication publishWebhook(PublishRequest request);

  /** Commits the task's worktree changes and pushes them to a git target. */
  @ActivityMethod(name = "PublishGit")
  Publication publishGit(PublishRequest request);
}
