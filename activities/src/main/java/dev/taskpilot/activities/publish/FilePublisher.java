package dev.taskpilot.activities.publish;

import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The {@code file} target: writes the result atomically (a temporary file moved into place), so a
 * reader sees the old file or the whole new one, and a retry rewrites the same bytes. An earlier
 * send arrived when the file holds exactly the bytes the ledger recorded.
 */
@Singleton
public final class FilePublisher implements TargetPublisher<PublishTarget.File> {
  private final Path root;

  public FilePublisher(PublishConfig config) {
    this.root = config.fileRoot().toAbsolutePath().normalize();
  }

  @Override
  public Payload prepare(PublishRequest request, PublishTarget.File target, PublicationRecord row)
      throws DeliveryFailure {
    resolve(target.path());
    byte[] content = render(request).getBytes(StandardCharsets.UTF_8);
    return new Payload(content, TargetPublisher.sha256(content), null, null);
  }

  @Override
  public Reconciliation reconcile(
      PublishRequest request, PublishTarget.File target, PublicationRecord row) {
    try {
      Path file = resolve(target.path());
      if (row.contentHash() != null
          && Files.isRegularFile(file)
          && row.contentHash().equals(TargetPublisher.sha256(Files.readAllBytes(file)))) {
        return Reconciliation.delivered(file.toUri().toString());
      }
      return Reconciliation.notDelivered();
    } catch (DeliveryFailure | IOException e) {
      return Reconciliation.askFailed("could not read the file: " + e.getMessage());
    }
  }

  @Override
  public Delivery send(
      PublishRequest request, PublishTarget.File target, PublicationRecord row, Payload payload)
      throws DeliveryFailure {
    Path file = resolve(target.path());
    try {
      Files.createDirectories(file.getParent());
      // A symbolic link inside the root must not carry the write outside it.
      Files.createDirectories(root);
      if (!file.getParent().toRealPath().startsWith(root.toRealPath())) {
        throw DeliveryFailure.refused(
            "the file target path leaves the file root: " + target.path());
      }
      Path temp = Files.createTempFile(file.getParent(), ".taskpilot-", ".tmp");
      try {
        Files.write(temp, payload.content());
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
      return new Delivery(file.toUri().toString(), null, null);
    } catch (IOException e) {
      // The move is atomic: when it did not happen, the file is not there.
      throw DeliveryFailure.failed("could not write " + target.path() + ": " + e);
    }
  }

  @Override
  public String describe(PublishTarget.File target) {
    return "file " + target.path();
  }

  /** The target file under the root, refusing anything that would leave it. */
  Path resolve(String relative) throws DeliveryFailure {
    if (relative == null || relative.isBlank()) {
      throw DeliveryFailure.refused("the file target needs a path");
    }
    Path candidate;
    try {
      candidate = Path.of(relative);
    } catch (InvalidPathException e) {
      throw DeliveryFailure.refused("the file target path is not a valid path: " + relative);
    }
    if (candidate.isAbsolute()) {
      throw DeliveryFailure.refused(
          "the file target path must be relative to the file root: " + relative);
    }
    Path file = root.resolve(candidate).normalize();
    if (!file.startsWith(root) || file.equals(root)) {
      throw DeliveryFailure.refused("the file target path leaves the file root: " + relative);
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
}
