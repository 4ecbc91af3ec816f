package dev.taskpilot.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Delivers task results to their targets. */
@ActivityInterface
public interface PublishActivities {

  /**
   * Delivers a result to one target. Idempotent per (task, target): delivering the same content
   * again leaves the target as it was. Raises non-retryable {@code PUBLISH_FAILED} when the target
   * can never take it (for example a path outside the file root).
   */
  @ActivityMethod(name = "PublishResult")
  Publication publish(PublishRequest request);
}
