package dev.taskpilot.activities.publish;

import static dev.taskpilot.activities.publish.PublishFixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationWithAttempts;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishActivities;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The activities as Temporal runs them: the attempt comes from the activity context. */
@Timeout(120)
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishActivitiesImplTest implements TestPropertyProvider {
  private final PublishFixtures fixtures = new PublishFixtures();

  @Inject PublishActivitiesImpl implementation;
  @Inject PublicationRepository publications;
  @Inject TaskRepository tasks;

  private TestActivityEnvironment environment;
  private PublishActivities activities;

  @Override
  public Map<String, String> getProperties() {
    return fixtures.properties();
  }

  @BeforeEach
  void register() {
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(implementation);
    activities =
        environment.newActivityStub(
            PublishActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
  }

  @AfterEach
  void close() {
    environment.close();
  }

  @AfterAll
  void cleanUp() throws IOException {
    fixtures.delete();
  }

  private static PublishRequest request(String taskId, PublishTarget target) {
    return new PublishRequest(taskId, "Title", "Summary", "Result", target);
  }

  @Test
  void shouldPublishAFileThroughTheLedgerAsAttemptOne() {
    // given
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, new PublishTarget.File(taskId + ".md"));
    // when
    Publication publication = activities.publishFile(request);
    Publication old = activities.publish(request);
    // then
    assertThat(publication.target()).isEqualTo("file:" + taskId + ".md");
    assertThat(publication.location()).endsWith("/published/" + taskId + ".md");
    assertThat(old).isEqualTo(publication);
    PublicationWithAttempts row = publications.findByTask(taskId).getFirst();
    assertThat(row.publication().targetType()).isEqualTo("file");
    assertThat(steps(row.attempts())).containsExactly("SEND/DELIVERED", "SKIP/ALREADY_DELIVERED");
    assertThat(row.attempts()).extracting(a -> a.attempt()).containsOnly(1);
  }

  @Test
  void shouldRefuseATargetOfAnotherType() {
    // given
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request = request(taskId, new PublishTarget.File(taskId + ".md"));
    // when
    Throwable thrown = catchThrowable(() -> activities.publishWebhook(request));
    // then
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    ApplicationFailure failure = (ApplicationFailure) thrown.getCause();
    assertThat(failure.getType()).isEqualTo("VALIDATION_FAILED");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(publications.findByTask(taskId)).isEmpty();
  }
}
