package dev.taskpilot.activities.publish;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;

/**
 * Settings of the {@code git} publish target, under {@code taskpilot.publish.git}.
 *
 * @param authorName the author and committer of the commits it makes; default {@code Taskpilot}
 * @param authorEmail their e-mail; default {@code taskpilot@localhost}
 * @param timeout how long one push or remote query may take; default 2 minutes
 * @see dev.taskpilot.net.GitRemotes which remotes it may push to
 */
@ConfigurationProperties("taskpilot.publish.git")
public record GitPublishConfig(
    @Nullable String authorName, @Nullable String authorEmail, @Nullable Duration timeout) {

  /** Fills in the defaults. */
  public GitPublishConfig {
    authorName = authorName == null || authorName.isBlank() ? "Taskpilot" : authorName;
    authorEmail =
        authorEmail == null || authorEmail.isBlank() ? "taskpilot@localhost" : authorEmail;
    timeout = timeout == null ? Duration.ofMinutes(2) : timeout;
  }
}
