package dev.taskpilot.activities.slots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.testing.TestDatabase;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Fleet-wide slots on real PostgreSQL: limits per profile and workspace, and their order. */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSlotsTest implements TestPropertyProvider {
  @Inject AgentSlots slots;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.slots.default-max-runs", "2");
    properties.put("taskpilot.slots.max-runs.solo", "1");
    properties.put("taskpilot.slots.lease", "1s");
    return properties;
  }

  private static String task() {
    return "task-" + UUID.randomUUID();
  }

  private static String agent() {
    return "agent-" + UUID.randomUUID();
  }

  @Test
  void shouldAdmitAtMostTheProfilesLimitWhenManyClaim() {
    // given
    String agent = agent();
    String first = task();
    String second = task();
    String third = task();
    // when / then
    assertThat(slots.tryAcquire(first, agent, null, 5)).isTrue();
    assertThat(slots.tryAcquire(second, agent, null, 5)).isTrue();
    assertThat(slots.tryAcquire(third, agent, null, 5)).isFalse();
    slots.release(first);
    assertThat(slots.tryAcquire(third, agent, null, 5)).isTrue();
  }

  @Test
  void shouldRunOneAtATimeOnAPlainWorkspace() {
    // given
    String agent = agent();
    String workspace = "/work/" + UUID.randomUUID();
    String first = task();
    String second = task();
    // when / then
    assertThat(slots.tryAcquire(first, agent, workspace, 5)).isTrue();
    assertThat(slots.tryAcquire(second, agent, workspace, 5)).isFalse();
    assertThat(slots.tryAcquire(task(), agent, null, 5)).as("another workspace").isTrue();
    slots.release(first);
    assertThat(slots.tryAcquire(second, agent, workspace, 5)).isTrue();
  }

  @Test
  void shouldStartWaitingClaimsInPriorityThenSubmissionOrder() {
    // given: the one slot of "solo" is taken, then three claims wait
    String holder = task();
    String low = task();
    String highEarly = task();
    String highLate = task();
    assertThat(slots.tryAcquire(holder, "solo", null, 5)).isTrue();
    assertThat(slots.tryAcquire(low, "solo", null, 1)).isFalse();
    assertThat(slots.tryAcquire(highEarly, "solo", null, 9)).isFalse();
    assertThat(slots.tryAcquire(highLate, "solo", null, 9)).isFalse();
    // when
    slots.release(holder);
    // then: the low and the later claim must wait for the early high one
    assertThat(slots.tryAcquire(low, "solo", null, 1)).isFalse();
    assertThat(slots.tryAcquire(highLate, "solo", null, 9)).isFalse();
    assertThat(slots.tryAcquire(highEarly, "solo", null, 9)).isTrue();
    slots.release(highEarly);
    assertThat(slots.tryAcquire(low, "solo", null, 1)).isFalse();
    assertThat(slots.tryAcquire(highLate, "solo", null, 9)).isTrue();
    slots.release(highLate);
    assertThat(slots.tryAcquire(low, "solo", null, 1)).isTrue();
    slots.release(low);
  }

  @Test
  void shouldForgetAClaimWhoseLeaseRanOut() throws InterruptedException {
    // given: a holder whose worker died (no renewals)
    String agent = agent();
    String dead = task();
    String next = task();
    String third = task();
    assertThat(slots.tryAcquire(dead, agent, "/ws/x-" + agent, 5)).isTrue();
    assertThat(slots.tryAcquire(next, agent, "/ws/x-" + agent, 5)).isFalse();
    // when
    Thread.sleep(1200);
    // then
    assertThat(slots.tryAcquire(next, agent, "/ws/x-" + agent, 5)).isTrue();
    assertThat(slots.tryAcquire(third, agent, null, 5)).isTrue();
  }
}
