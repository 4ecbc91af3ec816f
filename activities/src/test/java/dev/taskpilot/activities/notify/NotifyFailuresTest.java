package dev.taskpilot.activities.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.store.NotificationRecord;
import dev.taskpilot.store.NotificationRepository;
import dev.taskpilot.store.TaskRepository;
import dev.taskpilot.workflows.ErrorType;
import dev.taskpilot.workflows.activities.notify.ChannelNotification;
import dev.taskpilot.workflows.activities.notify.NotifyEvent;
import dev.taskpilot.workflows.activities.notify.NotifyTarget;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.temporal.failure.ApplicationFailure;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Failed attempts: each is audited, and the failure tells Temporal whether to try again. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NotifyFailuresTest implements TestPropertyProvider {
  private final LoopbackReceiver ntfy = new LoopbackReceiver();

  @Inject ChannelSender sender;
  @Inject TaskRepository tasks;
  @Inject NotificationRepository audit;

  @Override
  public Map<String, String> getProperties() {
    return NotifyFixtures.properties(ntfy.url());
  }

  @AfterAll
  void stop() {
    ntfy.close();
  }

  private ChannelNotification notification(String task, String server, NotifyEvent event) {
    return new ChannelNotification(
        task,
        event,
        "t",
        "m",
        new NotifyTarget.Ntfy(server, "alerts", false, null),
        event == NotifyEvent.AWAITING_APPROVAL ? 1 : null);
  }

  private ApplicationFailure attempt(ChannelNotification notification, int attempt, boolean last) {
    return catchThrowableOfType(
        ApplicationFailure.class, () -> sender.send(notification, attempt, last));
  }

  @Test
  void shouldAuditEveryAttemptAndGiveUpOnTheLastWhenTheServerKeepsFailing() {
    // given
    ntfy.answer(503, "{\"error\":\"busy\"}");
    String task = NotifyFixtures.newTask(tasks);
    var notification = notification(task, ntfy.url(), NotifyEvent.AWAITING_APPROVAL);
    // when
    ApplicationFailure first = attempt(notification, 1, false);
    ApplicationFailure second = attempt(notification, 2, false);
    ApplicationFailure third = attempt(notification, 3, true);
    // then
    assertThat(List.of(first, second, third))
        .allSatisfy(
            failure -> {
              assertThat(failure).isNotNull();
              assertThat(failure.isNonRetryable()).isFalse();
              assertThat(failure.getType()).isEqualTo(ErrorType.NOTIFY_FAILED.name());
            });
    List<NotificationRecord> rows = audit.findByTaskIdOrderById(task);
    assertThat(rows).extracting(NotificationRecord::attempt).containsExactly(1, 2, 3);
    assertThat(rows)
        .extracting(NotificationRecord::outcome)
        .containsExactly("FAILED", "FAILED", "GAVE_UP");
    assertThat(rows).extracting(NotificationRecord::httpStatus).containsOnly(503);
    assertThat(rows).allSatisfy(row -> assertThat(row.error()).contains("503").contains("busy"));
    assertThat(rows)
        .allSatisfy(
            row ->
                assertThat(row.toString())
                    .doesNotContain(NotifyFixtures.CONFIGURED_TOKEN)
                    .doesNotContain("/api/v1/approvals/"));
  }

  @Test
  void shouldGiveUpAtOnceWhenTheServerAnswers400() {
    // given
    ntfy.answer(400, "{\"error\":\"invalid request\"}");
    String task = NotifyFixtures.newTask(tasks);
    // when
    ApplicationFailure failure =
        attempt(notification(task, ntfy.url(), NotifyEvent.FAILED), 1, false);
    // then
    assertThat(failure).isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("GAVE_UP");
    assertThat(row.httpStatus()).isEqualTo(400);
  }

  @Test
  void shouldRetryWhenTheServerAnswers429() {
    // given
    ntfy.answer(429, "slow down");
    String task = NotifyFixtures.newTask(tasks);
    // when
    ApplicationFailure failure =
        attempt(notification(task, ntfy.url(), NotifyEvent.SUCCEEDED), 1, false);
    // then
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(audit.findByTaskIdOrderById(task).getFirst().outcome()).isEqualTo("FAILED");
  }

  @Test
  void shouldGiveUpWithoutSendingWhenTheGuardRefusesTheAddress() {
    // given: loopback, but not the allowed 127.0.0.1/32
    ntfy.answer(200, "{}");
    ntfy.clear();
    String task = NotifyFixtures.newTask(tasks);
    String refused = ntfy.url().replace("127.0.0.1", "127.0.0.2");
    // when
    ApplicationFailure failure =
        attempt(notification(task, refused, NotifyEvent.SUCCEEDED), 1, false);
    // then
    assertThat(failure).isNotNull();
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(ntfy.received()).isEmpty();
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("GAVE_UP");
    assertThat(row.error()).contains("refused");
  }

  @Test
  void shouldRetryWhenNothingListens() {
    // given: a port that was just free
    String task = NotifyFixtures.newTask(tasks);
    LoopbackReceiver gone = new LoopbackReceiver();
    String url = gone.url();
    gone.close();
    // when
    ApplicationFailure failure = attempt(notification(task, url, NotifyEvent.SUCCEEDED), 2, false);
    // then
    assertThat(failure.isNonRetryable()).isFalse();
    NotificationRecord row = audit.findByTaskIdOrderById(task).getFirst();
    assertThat(row.outcome()).isEqualTo("FAILED");
    assertThat(row.attempt()).isEqualTo(2);
    assertThat(row.httpStatus()).isNull();
  }
}
