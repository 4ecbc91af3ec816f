package dev.taskpilot.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRecord;
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
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The ntfy channel against an ntfy-protocol server on loopback. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NtfyPublishTest implements TestPropertyProvider {
  private final LoopbackReceiver ntfy = new LoopbackReceiver();
  private final LoopbackReceiver otherNtfy = new LoopbackReceiver();

  @Inject ChannelSender sender;
  @Inject TaskRepository tasks;
  @Inject TaskSecrets secrets;
  @Inject ApprovalTokenRepository tokens;
  @Inject NotificationRepository audit;

  @Override
  public Map<String, String> getProperties() {
    return NotifyFixtures.properties(ntfy.url());
  }

  @BeforeEach
  void clear() {
    ntfy.clear();
    otherNtfy.clear();
  }

  @AfterAll
  void stop() {
    ntfy.close();
    otherNtfy.close();
  }

  private NotifyTarget.Ntfy channel(LoopbackReceiver server, String topic, boolean authenticated) {
    return new NotifyTarget.Ntfy(server.url(), topic, authenticated, null);
  }

  @Test
  void shouldPublishTitlePriorityTagsAndClickWhenTaskSucceeded() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task,
            NotifyEvent.SUCCEEDED,
            "Fix the build",
            "Task succeeded",
            channel(ntfy, "builds", false),
            null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = ntfy.last();
    assertThat(received.method()).isEqualTo("POST");
    assertThat(received.path()).isEqualTo("/builds");
    assertThat(received.body()).isEqualTo("Task succeeded");
    assertThat(received.header("Title")).isEqualTo("Fix the build");
    assertThat(received.header("Priority")).isEqualTo("3");
    assertThat(received.header("Tags")).isEqualTo("white_check_mark");
    assertThat(received.header("Click")).isEqualTo(NotifyFixtures.PUBLIC_URL + "/#/tasks/" + task);
    assertThat(received.header("Authorization"))
        .as("the configured token of the default server")
        .isEqualTo("Bearer " + NotifyFixtures.CONFIGURED_TOKEN);
    assertThat(received.header("Actions")).isNull();
    List<NotificationRecord> rows = audit.findByTaskIdOrderById(task);
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().outcome()).isEqualTo("SENT");
    assertThat(rows.getFirst().httpStatus()).isEqualTo(200);
    assertThat(rows.getFirst().attempt()).isEqualTo(1);
    assertThat(rows.getFirst().event()).isEqualTo("SUCCEEDED");
    assertThat(rows.getFirst().channel()).isEqualTo("ntfy:" + ntfy.url() + "/builds");
  }

  @Test
  void shouldSendTheChannelsStoredTokenWhenAuthenticated() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    NotifyTarget.Ntfy authenticated = channel(otherNtfy, "private", true);
    secrets.put(task, authenticated.key(), "tk_channel_secret", Instant.now());
    var notification =
        new ChannelNotification(
            task, NotifyEvent.FAILED, "Nightly", "Task failed: boom", authenticated, null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = otherNtfy.last();
    assertThat(received.header("Authorization")).isEqualTo("Bearer tk_channel_secret");
    assertThat(received.header("Priority")).isEqualTo("4");
    assertThat(received.header("Tags")).isEqualTo("x");
    assertThat(audit.findByTaskIdOrderById(task).getFirst().toString())
        .doesNotContain("tk_channel_secret");
  }

  @Test
  void shouldSendNoTokenWhenServerIsNotTheDefaultAndChannelIsNotAuthenticated() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.PARKED, "Nightly", "Parked", channel(otherNtfy, "open", false), null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = otherNtfy.last();
    assertThat(received.header("Authorization")).isNull();
    assertThat(received.header("Priority")).isEqualTo("3");
    assertThat(received.header("Tags")).isEqualTo("parking");
  }

  @Test
  void shouldCarryApproveAndRejectActionsWhenAwaitingApproval() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task,
            NotifyEvent.AWAITING_APPROVAL,
            "Deploy",
            "Approval needed before the agent runs",
            channel(ntfy, "approvals", false),
            2);
    // when
    sender.send(notification, 1, false);
    // then
    var received = ntfy.last();
    assertThat(received.header("Priority")).isEqualTo("4");
    assertThat(received.header("Tags")).isEqualTo("raised_hand");
    List<List<String>> actions =
        Arrays.stream(received.header("Actions").split(";"))
            .map(action -> Arrays.stream(action.split(",")).map(String::strip).toList())
            .toList();
    assertThat(actions).hasSize(2);
    assertThat(actions.get(0)).startsWith("http", "Approve").endsWith("method=POST", "clear=true");
    assertThat(actions.get(1)).startsWith("http", "Reject").endsWith("method=POST", "clear=true");
    String approve = actions.get(0).get(2);
    String reject = actions.get(1).get(2);
    String prefix = NotifyFixtures.PUBLIC_URL + "/api/v1/approvals/";
    assertThat(approve).startsWith(prefix).endsWith("/approve");
    assertThat(reject).startsWith(prefix).endsWith("/reject");
    String token = approve.substring(prefix.length(), approve.length() - "/approve".length());
    assertThat(reject).isEqualTo(prefix + token + "/reject");
    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    ApprovalTokenRecord stored = tokens.findByTokenHash(ApprovalTokenHash.of(token)).orElseThrow();
    assertThat(stored.taskId()).isEqualTo(task);
    assertThat(stored.gate()).isEqualTo(2);
    assertThat(stored.usedAt()).isNull();
    assertThat(URI.create(approve)).isNotNull();
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.toString()).doesNotContain(token);
  }

  @Test
  void shouldCarryNoActionsWhenAwaitingApprovalWithoutAGate() {
    // given: the budget gate, which no link may approve
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task,
            NotifyEvent.AWAITING_APPROVAL,
            "Deploy",
            "Budget reached",
            channel(ntfy, "approvals", false),
            null);
    // when
    sender.send(notification, 1, false);
    // then
    assertThat(ntfy.last().header("Actions")).isNull();
    assertThat(tokens.findByTaskIdAndGateOrderByCreatedAt(task, 1)).isEmpty();
  }

  @Test
  void shouldEncodeTheTitleAsRfc2047WhenItIsNotAscii() {
    // given
    String title = "Überprüfe die Zölle — 日本語のタイトル ✅ and a rather long tail of plain words";
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.SUCCEEDED, title, "Grüße", channel(ntfy, "builds", false), null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = ntfy.last();
    String header = received.header("Title");
    assertThat(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(header).isTrue();
    assertThat(header).startsWith("=?UTF-8?B?");
    assertThat(header.split(" ")).allSatisfy(word -> assertThat(word.length()).isLessThan(76));
    assertThat(NotifyFixtures.decodeEncodedWords(header)).isEqualTo(title);
    assertThat(received.body()).isEqualTo("Grüße");
  }

  @Test
  void shouldCutTheMessageToWhatNtfyKeepsWhenItIsLong() {
    // given
    String question = "The agent asks: " + "ä".repeat(3_000);
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.WAITING_FOR_INPUT, "t", question, channel(ntfy, "q", false), null);
    // when
    sender.send(notification, 1, false);
    // then
    var received = ntfy.last();
    assertThat(received.header("Tags")).isEqualTo("question");
    assertThat(received.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(4_096)
        .isGreaterThan(4_090);
    assertThat(received.body()).startsWith("The agent asks: ää").endsWith("ä…");
  }

  @Test
  void shouldGiveUpWhenAnAuthenticatedChannelHasNoStoredToken() {
    // given
    String task = NotifyFixtures.newTask(tasks);
    var notification =
        new ChannelNotification(
            task, NotifyEvent.SUCCEEDED, "t", "m", channel(ntfy, "locked", true), null);
    // when / then
    assertThatThrownBy(() -> sender.send(notification, 1, false))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, failure -> assertThat(failure.isNonRetryable()).isTrue());
    assertThat(ntfy.received()).isEmpty();
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("GAVE_UP");
    assertThat(row.error()).contains("no access token");
  }
}
