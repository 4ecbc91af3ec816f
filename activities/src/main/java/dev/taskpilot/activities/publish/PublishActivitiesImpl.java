package dev.taskpilot.activities.publish;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;

/** Publishes through the ledger, each target type with its own publisher. */
@Singleton
public class PublishActivitiesImpl implements PublishActivities {
  private final PublishLedger ledger;
  private final FilePublisher files;
  private final WebhookPublisher webhooks;
  private final GitPublisher git;

  public PublishActivitiesImpl(
      PublishLedger ledger, FilePublisher files, WebhookPublisher webhooks, GitPublisher git) {
    this.ledger = ledger;
    this.files = files;
    this.webhooks = webhooks;
    this.git = git;
  }

  @Override
  public Publication publish(PublishRequest request) {
    return switch (request.target()) {
      case PublishTarget.File file -> ledger.publish(request, file, attempt(), files);
      case PublishTarget.Webhook webhook -> ledger.publish(request, webhook, attempt(), webhooks);
      case PublishTarget.Git remote -> ledger.publish(request, remote, attempt(), git);
    };
  }

  @Override
  public Publication publishFile(PublishRequest request) {
    if (request.target() instanceof PublishTarget.File file) {
      return ledger.publish(request, file, attempt(), files);
    }
    throw wrongTarget("PublishFile", request);
  }

  @Override
  public Publication publishWebhook(PublishRequest request) {
    if (request.target() instanceof PublishTarget.Webhook webhook) {
      return ledger.publish(request, webhook, attempt(), webhooks);
    }
    throw wrongTarget("PublishWebhook", request);
  }

  @Override
  public Publication publishGit(PublishRequest request) {
    if (request.target() instanceof PublishTarget.Git remote) {
      return ledger.publish(request, remote, attempt(), git);
    }
    throw wrongTarget("PublishGit", request);
  }

  /** The activity attempt, from 1 (the test environment reports 0). */
  private static int attempt() {
    return Math.max(1, Activity.getExecutionContext().getInfo().getAttempt());
  }

  private static ApplicationFailure wrongTarget(String activity, PublishRequest request) {
    String type = request.target() == null ? "no" : "a " + request.target().type();
    return ApplicationFailure.newNonRetryableFailure(
        activity + " got " + type + " target", ErrorType.VALIDATION_FAILED.name());
  }
}
