package dev.taskpilot.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRepository;
import dev.taskpilot.store.NotificationRecord;
import dev.taskpilot.store.NotificationRepository;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The webhook channel against a Slack-style incoming webhook on loopback. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyWebhookTest implements TestPropertyProvider {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern APPROVE_LINK =
      Pattern.compile("/api/v1/approvals/([A-Za-z0-9_-]+)/approve");

  private final LoopbackReceiver slack = new LoopbackReceiver();

  @Inject ChannelSender sender;
  @Inject TaskRepository tasks;
  @Inject ApprovalTokenRepository tokens;
  @Inject NotificationRepository audit;
  @Inject TaskSecrets secrets;

  @Override
  public Map<String, String> getProperties() {
    return NotifyFixtures.properties("https://ntfy.invalid");
  }

  @AfterAll
  void stop() {
    slack.close();
  }

  private NotifyTarget.Webhook channel() {
    return new NotifyTarget.Webhook(slack.url() + "/services/T000/B000/XXXXsecret?x=1", null);
  }

  @Test
  void shouldPostSlackTextWithTitleMessageAndLinkWhenNotifying() throws Exception {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.FAILED, "Nightly \"report\"", "Task failed: exit 2", channel(), null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = slack.last();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.path()).isEqualTo("/services/T000/B000/XXXXsecret");
    assertThat(received.header("Content-Type")).startsWith("application/json");
    JsonNode body = JSON.readTree(received.body());
    assertThat(body.size()).isEqualTo(1);
    assertThat(body.path("text").asText())
        .isEqualTo(
            "Nightly \"report\": Task failed: exit 2 "
                + NotifyFixtures.PUBLIC_URL
                + "/#/tasks/"
                + task);
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("SENT");
    assertThat(row.channel()).isEqualTo("webhook:" + slack.url() + "/services/***");
  }

  @Test
  void shouldAppendApproveAndRejectLinksWhenAwaitingApproval() throws Exception {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task,
            NotifyEvent.AWAITING_APPROVAL,
            "Deploy",
            "Approval needed before publishing",
            channel(),
            1);
    // when
    sender.send(notification, 1, false);
    // then
    String text = JSON.readTree(slack.last().body()).path("text").asText();
    Matcher approve = APPROVE_LINK.matcher(text);
    assertThat(approve.find()).as(text).isTrue();
    String token = approve.group(1);
    assertThat(text)
        .contains(NotifyFixtures.PUBLIC_URL + "/api/v1/approvals/" + token + "/approve")
        .contains(NotifyFixtures.PUBLIC_URL + "/api/v1/approvals/" + token + "/reject");
    var stored = tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow();
    assertThat(stored.taskId()).isEqualTo(task);
    assertThat(stored.gate()).isEqualTo(1);
  }

  @Test
  void shouldSendToTheStoredUrlWhenTheWorkflowCarriesOnlyItsShownForm() throws Exception {
    // given: the API keeps a chat webhook's URL out of the workflow, under the channel's key
    String task = NotifyFixtures.newTask(tasks);
    String url = slack.url() + "/services/T111/B111/storedSecret";
    var channel = new NotifyTarget.Webhook(slack.url() + "/services/…#0123456789ab", null, true);
    secrets.put(task, channel.key(), url, Instant.now());
    var notification =
        new ChannelNotification(
            task, NotifyEvent.SUCCEEDED, "Report", "Task succeeded", channel, null);

    // when
    sender.send(notification, 1, false);

    // then
    assertThat(slack.last().path()).isEqualTo("/services/T111/B111/storedSecret");
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("SENT");
    assertThat(row.channel()).doesNotContain("storedSecret");
  }

  @Test
  void shouldGiveUpWhenTheStoredUrlIsMissing() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var channel = new NotifyTarget.Webhook(slack.url() + "/services/…#ba9876543210", null, true);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.SUCCEEDED, "Report", "Task succeeded", channel, null);

    // when / then
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> sender.send(notification, 1, false))
        .isInstanceOf(io.temporal.failure.ApplicationFailure.class);
    assertThat(audit.findByTaskIdOrderById(task).getFirst().outcome()).isEqualTo("GAVE_UP");
  }
}
