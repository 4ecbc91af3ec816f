package dev.taskpilot.activities.publish;

import static dev.taskpilot.activities.publish.PublishFixtures.applicationFailure;
import static dev.taskpilot.activities.publish.PublishFixtures.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.store.PublicationRepository;
import dev.taskpilot.store.PublicationWithAttempts;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.workflows.activities.publish.Publication;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The webhook target against real receivers on loopback, through the ledger on PostgreSQL. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublishWebhookTest implements TestPropertyProvider {
  private static final String SECRET = "receiver-secret";

  private final PublishFixtures fixtures = new PublishFixtures();

  @Inject PublishLedger ledger;
  @Inject WebhookPublisher webhooks;
  @Inject PublicationRepository publications;
  @Inject TaskSecrets secrets;
  @Inject TaskRepository tasks;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(fixtures.properties());
    // Short, so the hanging receiver is given up on quickly; no test measures it.
    properties.put("taskpilot.publish.webhook.timeout", "2s");
    return properties;
  }

  @AfterAll
  void cleanUp() throws IOException {
    fixtures.delete();
  }

  private static PublishRequest request(String taskId, PublishTarget target) {
    return new PublishRequest(taskId, "Fix the build", "It builds again.", "All green.", target);
  }

  private Publication publish(PublishRequest request, int attempt) {
    return ledger.publish(request, (PublishTarget.Webhook) request.target(), attempt, webhooks);
  }

  private PublicationWithAttempts ledgerOf(String taskId) {
    return publications.findByTask(taskId).getFirst();
  }

  @Test
  void shouldSignTheRawBodyAndNeverSendAgainWhenDelivered() throws Exception {
    // given
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      String taskId = PublishFixtures.task(tasks);
      PublishTarget.Webhook target = new PublishTarget.Webhook(receiver.url(), true);
      secrets.put(taskId, target.key(), SECRET, Instant.now());
      PublishRequest request = request(taskId, target);
      // when
      Publication first = publish(request, 1);
      Publication again = publish(request, 2);
      // then
      assertThat(receiver.posts()).hasSize(1);
      WebhookReceiver.Post post = receiver.posts().getFirst();
      assertThat(post.signatureValid()).isTrue();
      assertThat(WebhookReceiver.verify("another-secret", post.body(), post.signature())).isFalse();
      assertThat(post.idempotencyKey())
          .isEqualTo(PublishLedger.idempotencyKey(taskId, target.key()))
          .isEqualTo(ledgerOf(taskId).publication().idempotencyKey());
      JsonNode body = new ObjectMapper().readTree(post.body());
      assertThat(body.get("taskId").asText()).isEqualTo(taskId);
      assertThat(body.get("title").asText()).isEqualTo("Fix the build");
      assertThat(body.get("summary").asText()).isEqualTo("It builds again.");
      assertThat(body.get("result").asText()).isEqualTo("All green.");
      assertThat(body.at("/links/task").asText())
          .isEqualTo("https://taskpilot.example/api/v1/tasks/" + taskId);
      assertThat(first.location()).isEqualTo(receiver.url().replace("?token=query-secret", ""));
      assertThat(again).isEqualTo(first);
      PublicationWithAttempts ledgerRow = ledgerOf(taskId);
      assertThat(ledgerRow.publication().status()).isEqualTo("DELIVERED");
      assertThat(ledgerRow.publication().location()).doesNotContain("query-secret");
      assertThat(steps(ledgerRow.attempts()))
          .containsExactly("SEND/DELIVERED", "SKIP/ALREADY_DELIVERED");
      assertThat(ledgerRow.attempts().getFirst().httpStatus()).isEqualTo(200);
    }
  }

  @Test
  void shouldFailForGoodWhenTheReceiverFindsTheSignatureWrong() throws Exception {
    // given: the receiver knows another secret than the one stored for the task
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      String taskId = PublishFixtures.task(tasks);
      PublishTarget.Webhook target = new PublishTarget.Webhook(receiver.url(), true);
      secrets.put(taskId, target.key(), "a-stale-secret", Instant.now());
      // when
      ApplicationFailure failure =
          applicationFailure(catchThrowable(() -> publish(request(taskId, target), 1)));
      // then
      assertThat(receiver.posts())
          .singleElement()
          .satisfies(p -> assertThat(p.signatureValid()).isFalse());
      assertThat(receiver.effectiveDeliveries()).isZero();
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
      assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
      assertThat(ledgerOf(taskId).attempts().getFirst().httpStatus()).isEqualTo(401);
    }
  }

  @Test
  void shouldSendTheSameBytesAndKeyUntilTheReceiverAccepts() throws Exception {
    // given
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET, 503, 503)) {
      String taskId = PublishFixtures.task(tasks);
      PublishTarget.Webhook target = new PublishTarget.Webhook(receiver.url(), true);
      secrets.put(taskId, target.key(), SECRET, Instant.now());
      PublishRequest request = request(taskId, target);
      // when
      ApplicationFailure first = applicationFailure(catchThrowable(() -> publish(request, 1)));
      ApplicationFailure second = applicationFailure(catchThrowable(() -> publish(request, 2)));
      Publication third = publish(request, 3);
      // then
      assertThat(first.isNonRetryable()).isFalse();
      assertThat(second.isNonRetryable()).isFalse();
      assertThat(third.location()).doesNotContain("query-secret");
      assertThat(receiver.posts()).hasSize(3);
      assertThat(receiver.distinctKeys()).isEqualTo(1);
      assertThat(receiver.effectiveDeliveries()).isEqualTo(1);
      assertThat(receiver.posts()).allSatisfy(p -> assertThat(p.signatureValid()).isTrue());
      assertThat(receiver.posts().stream().map(WebhookReceiver.Post::text).distinct()).hasSize(1);
      PublicationWithAttempts row = ledgerOf(taskId);
      assertThat(steps(row.attempts()))
          .containsExactly("SEND/FAILED", "SEND/FAILED", "SEND/DELIVERED");
      assertThat(row.attempts()).extracting(a -> a.httpStatus()).containsExactly(503, 503, 200);
      assertThat(row.attempts()).extracting(a -> a.attempt()).containsExactly(1, 2, 3);
      assertThat(row.publication().attempts()).isEqualTo(3);
    }
  }

  @Test
  void shouldResendWithTheSameKeyWhenTheFirstSendMayHaveArrived() throws Exception {
    // given: the receiver takes the first delivery but answers only after the client gave up
    try (WebhookReceiver receiver = WebhookReceiver.start(null, WebhookReceiver.HANG)) {
      String taskId = PublishFixtures.task(tasks);
      PublishRequest request = request(taskId, new PublishTarget.Webhook(receiver.url(), false));
      // when
      ApplicationFailure timedOut = applicationFailure(catchThrowable(() -> publish(request, 1)));
      String afterTimeout = ledgerOf(taskId).publication().status();
      receiver.release();
      Publication delivered = publish(request, 2);
      // then
      assertThat(timedOut.isNonRetryable()).isFalse();
      assertThat(afterTimeout).isEqualTo("UNKNOWN");
      assertThat(delivered.location()).startsWith("http://127.0.0.1:");
      assertThat(receiver.posts()).hasSize(2);
      assertThat(receiver.distinctKeys()).isEqualTo(1);
      assertThat(receiver.effectiveDeliveries()).isEqualTo(1);
      PublicationWithAttempts row = ledgerOf(taskId);
      assertThat(row.publication().status()).isEqualTo("DELIVERED");
      assertThat(steps(row.attempts())).containsExactly("SEND/UNKNOWN", "SEND/DELIVERED");
      assertThat(row.attempts().getFirst().error()).doesNotContain("query-secret");
    }
  }

  @Test
  void shouldFailForGoodOnABadRequest() throws Exception {
    // given
    try (WebhookReceiver receiver = WebhookReceiver.start(null, 400)) {
      String taskId = PublishFixtures.task(tasks);
      PublishRequest request = request(taskId, new PublishTarget.Webhook(receiver.url(), false));
      // when
      ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
      // then
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
      assertThat(failure.getOriginalMessage()).contains("HTTP 400").doesNotContain("query-secret");
      PublicationWithAttempts row = ledgerOf(taskId);
      assertThat(row.publication().status()).isEqualTo("FAILED");
      assertThat(row.attempts())
          .singleElement()
          .satisfies(a -> assertThat(a.httpStatus()).isEqualTo(400));
    }
  }

  @Test
  void shouldRetryWhenTheReceiverIsRateLimiting() throws Exception {
    // given
    try (WebhookReceiver receiver = WebhookReceiver.start(null, 429)) {
      String taskId = PublishFixtures.task(tasks);
      PublishRequest request = request(taskId, new PublishTarget.Webhook(receiver.url(), false));
      // when
      ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
      // then
      assertThat(failure.isNonRetryable()).isFalse();
      assertThat(failure.getType()).isEqualTo("PUBLISH_FAILED");
      assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
      assertThat(receiver.effectiveDeliveries()).isZero();
    }
  }

  @Test
  void shouldFailForGoodWhenASignedTargetHasNoSecret() throws Exception {
    // given
    try (WebhookReceiver receiver = WebhookReceiver.start(SECRET)) {
      String taskId = PublishFixtures.task(tasks);
      PublishRequest request = request(taskId, new PublishTarget.Webhook(receiver.url(), true));
      // when
      ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
      // then
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(receiver.posts()).isEmpty();
      assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
    }
  }

  @Test
  void shouldRefuseAnAddressTheGuardDoesNotAllow() throws Exception {
    // given: a receiver on 127.0.0.2, which the allow-list (127.0.0.1/32) does not cover
    try (WebhookReceiver receiver = WebhookReceiver.startOn("127.0.0.2")) {
      String taskId = PublishFixtures.task(tasks);
      PublishRequest request = request(taskId, new PublishTarget.Webhook(receiver.url(), false));
      // when
      ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
      // then
      assertThat(failure.isNonRetryable()).isTrue();
      assertThat(receiver.posts()).isEmpty();
      assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
    }
  }

  @Test
  void shouldRetryWhenNothingListens() throws Exception {
    // given: a port that was free a moment ago
    int port;
    try (ServerSocket socket =
        new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String taskId = PublishFixtures.task(tasks);
    PublishRequest request =
        request(taskId, new PublishTarget.Webhook("http://127.0.0.1:" + port + "/hook", false));
    // when
    ApplicationFailure failure = applicationFailure(catchThrowable(() -> publish(request, 1)));
    // then
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(ledgerOf(taskId).publication().status()).isEqualTo("FAILED");
  }
}
