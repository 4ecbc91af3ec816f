package dev.taskpilot.workflows.task;

import dev.taskpilot.workflows.TaskStatus;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.activities.summary.SummaryRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Keeps what the agent produced with its summary, and publishes it once to each target, through the
 * activity type (and so the retry schedule) of the target's type. Workflow code only.
 */
final class ResultPublisher {
  private static final Logger log = Workflow.getLogger(ResultPublisher.class);

  private final SummaryActivities summaries =
      Workflow.newActivityStub(SummaryActivities.class, ActivityDefaults.SUMMARISE);
  private final PublishActivities publishing =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH);
  private final PublishActivities fileTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_FILE);
  private final PublishActivities webhookTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_WEBHOOK);
  private final PublishActivities gitTargets =
      Workflow.newActivityStub(PublishActivities.class, ActivityDefaults.PUBLISH_GIT);
  private final TaskContext task;

  ResultPublisher(TaskContext task) {
    this.task = task;
  }

  /** Keeps the run's result text and its summary (the trimmed text when nobody could write one). */
  void keep(String text) {
    TaskProgress progress = task.progress;
    progress.resultText = text;
    progress.result = new ResultInfo(trimmed(text), List.of(), text);
    // Histories from before the summariser existed replay without it.
    if (Workflow.getVersion("summarise-result", Workflow.DEFAULT_VERSION, 1) >= 1) {
      TaskInput input = task.input;
      try {
        String summary =
            summaries.summarise(
                new SummaryRequest(
                    input.taskId(), input.owner(), input.title(), input.prompt(), text));
        if (summary != null && !summary.isBlank()) {
          progress.result = new ResultInfo(trimmed(summary), List.of(), text);
        }
      } catch (ActivityFailure e) {
        log.warn("summarising task {} failed: {}", input.taskId(), e.getMessage());
      }
    }
  }

  /** Takes back the result a task had kept before it was restarted from PostgreSQL. */
  void restore(ResultInfo kept) {
    TaskProgress progress = task.progress;
    progress.resultText = kept == null ? "" : kept.text() != null ? kept.text() : kept.summary();
    progress.result =
        new ResultInfo(kept == null ? "" : kept.summary(), List.of(), progress.resultText);
  }

  void publish() {
    task.record(TaskStatus.PUBLISHING, null);
    TaskProgress progress = task.progress;
    List<Publication> delivered = new ArrayList<>();
    boolean perType = Workflow.getVersion("publish-per-type", Workflow.DEFAULT_VERSION, 1) >= 1;
    for (PublishTarget target : task.input.publish()) {
      PublishRequest request =
          new PublishRequest(
              task.input.taskId(),
              task.input.title(),
              progress.result.summary(),
              progress.resultText,
              target);
      delivered.add(perType ? publishTo(request) : publishing.publish(request));
    }
    progress.result =
        new ResultInfo(progress.result.summary(), List.copyOf(delivered), progress.resultText);
  }

  private Publication publishTo(PublishRequest request) {
    return switch (request.target()) {
      case PublishTarget.File file -> fileTargets.publishFile(request);
      case PublishTarget.Webhook webhook -> webhookTargets.publishWebhook(request);
      case PublishTarget.Git git -> gitTargets.publishGit(request);
    };
  }

  /** The text without surrounding blanks, its last {@code MAX_SUMMARY_LENGTH} characters. */
  private static String trimmed(String text) {
    if (text == null) {
      return "";
    }
    String stripped = text.strip();
    int max = SummaryActivities.MAX_SUMMARY_LENGTH;
    return stripped.length() <= max ? stripped : stripped.substring(stripped.length() - max);
  }
}
