package dev.taskpilot.app;

import dev.taskpilot.workflows.client.RetentionStarts;
import dev.taskpilot.workflows.retention.RetentionSettings;
import dev.taskpilot.workflows.retention.RetentionWorkflow;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.temporal.client.WorkflowClient;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the retention workflow, or sends the running one this process's settings, when a process
 * that serves the API ({@code dev}, {@code api}) starts. In the background, retried until the
 * engine answers, so a process still starts (and reports readiness DOWN) while Temporal is away.
 * The settings are checked first: a bad value stops the start.
 */
@Singleton
@Requires(env = {"api", "dev"})
class RetentionStart {
  private static final Logger log = LoggerFactory.getLogger(RetentionStart.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration LAST_RETRY = Duration.ofMinutes(1);

  private final WorkflowClient client;
  private final RetentionSettings settings;
  private Thread starter;

  RetentionStart(WorkflowClient client, RetentionConfig config) {
    this.client = client;
    this.settings = config.settings();
  }

  @EventListener
  synchronized void onStartup(StartupEvent event) {
    if (starter == null) {
      starter = Thread.ofVirtual().name("retention-start").start(this::ensureUntilDone);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (starter != null) {
      starter.interrupt();
    }
  }

  private void ensureUntilDone() {
    Duration wait = FIRST_RETRY;
    boolean warned = false;
    while (!Thread.currentThread().isInterrupted()) {
      try {
        RetentionStarts.ensure(client, settings);
        log.info(
            "retention workflow {}: {}, every {}, {} per batch",
            RetentionWorkflow.WORKFLOW_ID,
            settings.keepsTasksForever()
                ? "finished tasks kept for ever"
                : "finished tasks deleted " + settings.keepTasks() + " after they ended",
            settings.interval(),
            settings.batchSize());
        return;
      } catch (RuntimeException e) {
        if (!warned) {
          log.warn("could not start the retention workflow yet (retrying): {}", e.toString());
          warned = true;
        }
      }
      try {
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
    }
  }
}
