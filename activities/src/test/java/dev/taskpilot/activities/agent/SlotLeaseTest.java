package dev.taskpilot.activities.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.taskpilot.activities.slots.AgentSlots;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A run's hold on its slot across renewals that fail while PostgreSQL is away. */
class SlotLeaseTest {

  @Test
  void shouldCountTheLeaseLostOnlyWhenRenewalsFailedForMostOfIt() throws Exception {
    // given: a 1.2 s lease (it is fenced at half of it, 0.6 s)
    AgentSlots slots = mock(AgentSlots.class);
    when(slots.lease()).thenReturn(Duration.ofMillis(1_200));
    SlotLease lease = new SlotLease(slots, "task-1");

    // when renewals go through, however long it is
    when(slots.renew("task-1", null)).thenReturn(true);
    Thread.sleep(700);
    lease.renew();
    Thread.sleep(700);
    // then a late renewal that went through still holds (a short lease is not a lost one)
    assertThat(lease.lost()).isFalse();

    // when renewals then fail, the last success being 0.7 s ago (past the fence)
    when(slots.renew("task-1", null)).thenReturn(false);
    lease.renew();
    // then the lease counts as lost
    assertThat(lease.lost()).as("last success 0.7 s ago, failing since").isTrue();

    // when one goes through again
    when(slots.renew("task-1", null)).thenReturn(true);
    lease.renew();
    assertThat(lease.lost()).isFalse();

    // when they fail again, briefly
    when(slots.renew("task-1", null)).thenReturn(false);
    lease.renew();
    assertThat(lease.lost()).as("failing for a moment only").isFalse();
  }
}
