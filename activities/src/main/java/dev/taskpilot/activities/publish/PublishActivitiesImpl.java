package dev.taskpilot.activities.publish;

import dev.taskpilot.workflows.activities.Publication;
import dev.taskpilot.workflows.activities.PublishActivities;
import dev.taskpilot.workflows.activities.PublishRequest;
import dev.taskpilot.workflows.activities.PublishTarget;
import jakarta.inject.Singleton;
import java.time.Instant;

/** Dispatches each publish request to the publisher of its target type. */
@Singleton
public class PublishActivitiesImpl implements PublishActivities {
  private final FilePublisher files;

  public PublishActivitiesImpl(FilePublisher files) {
    this.files = files;
  }

  @Override
  public Publication publish(PublishRequest request) {
    return switch (request.target()) {
      case PublishTarget.File file ->
          new Publication(
              file.key(), files.publish(request, file).toUri().toString(), Instant.now());
    };
  }
}
