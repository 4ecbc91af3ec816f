package dev.taskpilot.activities.publish;

import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.PublishRequest;
import dev.taskpilot.workflows.activities.PublishTarget;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code file} target: writes the result atomically (a temporary file moved into place), so a
 * reader sees the old file or the whole new one, and a retry rewrites the same content.
 */
@Singleton
public class FilePublisher {
  private final Path root;

  public FilePublisher(PublishConfig config) {
    this.root = config.fileRoot().toAbsolutePath().normalize();
  }

  /** Writes the result and returns the file's absolute path. */
  public Path publish(PublishRequest request, PublishTarget.File target) {
    Path file = resolve(target.path());
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".taskpilot-", ".tmp");
      try {
        Files.writeString(temp, render(request), StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  /** The target file under the root, refusing anything that would leave it. */
  Path resolve(String relative) {
    if (relative == null || relative.isBlank()) {
      throw refuse("the file target needs a path");
    }
    Path candidate = Path.of(relative);
    if (candidate.isAbsolute()) {
      throw refuse("the file target path must be relative to the file root: " + relative);
    }
    Path file = root.resolve(candidate).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw refuse("the file target path leaves the file root: " + relative);
    }
    return file;
  }

  static String render(PublishRequest request) {
    String title = request.title() == null ? request.taskId() : request.title();
    return "# "
        + title
        + "\n\nTask: "
        + request.taskId()
        + "\n\n"
        + (request.resultText() == null ? "" : request.resultText().strip())
        + "\n";
  }

  private static ApplicationFailure refuse(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.PUBLISH_FAILED.name());
  }
}
