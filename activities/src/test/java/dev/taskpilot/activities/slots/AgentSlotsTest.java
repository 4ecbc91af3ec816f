package dev.taskpilot.activities.slots;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskpilot.store.WorkerRegistry;
import dev.taskpilot.store.WorkerRegistry.RunningClaim;
import dev.taskpilot.store.WorkerRegistry.SlotCounts;
import dev.taskpilot.store.testing.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The fleet-wide slot queue on real PostgreSQL: limits per profile and workspace, the grant order,
 * grants handed on by releases and sweeps, and no two runs in one plain workspace under load.
 */
@MicronautTest(transactional = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentSlotsTest implements TestPropertyProvider {
  @Inject AgentSlots slots;
  @Inject MeterRegistry meters;
  @Inject WorkerRegistry registry;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(TestDatabase.freshDatasourceProperties());
    properties.put("taskpilot.slots.default-max-runs", "2");
    properties.put("taskpilot.slots.max-runs.solo", "1");
    properties.put("taskpilot.slots.lease", "1s");
    properties.put("taskpilot.worker.enabled", "false");
    return properties;
  }

  private static String task() {
    return "task-" + UUID.randomUUID();
  }

  private static String agent() {
    return "agent-" + UUID.randomUUID();
  }

  private boolean claim(String task, String agent, String workspace, int priority) {
    return slots.claim(task, agent, workspace, priority, 1).held();
  }

  @Test
  void shouldAdmitAtMostTheProfilesLimitAndGrantTheNextOnRelease() {
    // given
    String agent = agent();
    String first = task();
    String second = task();
    String third = task();
    // when / then
    assertThat(claim(first, agent, null, 5)).isTrue();
    assertThat(claim(second, agent, null, 5)).isTrue();
    assertThat(claim(third, agent, null, 5)).isFalse();
    assertThat(slots.release(first)).containsExactly(new SlotGrant(third, 1));
    assertThat(claim(third, agent, null, 5)).as("a granted claim is held").isTrue();
  }

  @Test
  void shouldTimeTheWaitAndShowTheHolderAndTheQueueWhenAWaitingClaimIsGranted() throws Exception {
    // given: the profile's two slots taken, a third claim waiting
    String agent = agent();
    String first = task();
    String third = task();
    assertThat(claim(first, agent, null, 5)).isTrue();
    assertThat(claim(task(), agent, null, 5)).isTrue();
    assertThat(claim(third, agent, null, 5)).isFalse();
    SlotCounts queued =
        registry.slotCounts().stream().filter(c -> c.agent().equals(agent)).findFirst().get();
    assertThat(queued.running()).isEqualTo(2);
    assertThat(queued.waiting()).isEqualTo(1);
    assertThat(queued.oldestWaitingSince()).isNotNull();
    Thread.sleep(200);

    // when: a slot is freed, and the granted run renews its lease naming its worker (other tests'
    // claims, whose leases ran out, may be granted too)
    assertThat(slots.release(first)).contains(new SlotGrant(third, 1));
    assertThat(slots.renew(third, "4242@host/worker-1-abcdef")).isTrue();
    assertThat(slots.renew(third)).as("a renewal naming nobody keeps the holder").isTrue();

    // then: three grants timed, the last after its wait; the holder and the grant time are known
    Timer waits = meters.find("taskpilot.slot.wait").tag("profile", agent).timer();
    assertThat(waits).isNotNull();
    assertThat(waits.count()).isEqualTo(3);
    assertThat(waits.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
    RunningClaim running =
        registry.runningClaims().stream().filter(c -> c.taskId().equals(third)).findFirst().get();
    assertThat(running.holder()).isEqualTo("4242@host/worker-1-abcdef");
    assertThat(running.agent()).isEqualTo(agent);
    assertThat(running.since()).isNotNull();
    SlotCounts after =
        registry.slotCounts().stream().filter(c -> c.agent().equals(agent)).findFirst().get();
    assertThat(after.waiting()).isZero();
    assertThat(after.oldestWaitingSince()).isNull();
  }

  @Test
  void shouldRunOneAtATimeOnAPlainWorkspace() {
    // given
    String agent = agent();
    String workspace = "/work/" + UUID.randomUUID();
    String first = task();
    String second = task();
    // when / then
    assertThat(claim(first, agent, workspace, 5)).isTrue();
    assertThat(claim(second, agent, workspace, 5)).isFalse();
    assertThat(claim(task(), agent, null, 5)).as("another workspace").isTrue();
    assertThat(slots.release(first)).containsExactly(new SlotGrant(second, 1));
  }

  @Test
  void shouldGrantWaitingClaimsInPriorityThenSubmissionOrder() {
    // given: the one slot of "solo" is taken, then three claims wait
    String holder = task();
    String low = task();
    String highEarly = task();
    String highLate = task();
    assertThat(claim(holder, "solo", null, 5)).isTrue();
    assertThat(claim(low, "solo", null, 1)).isFalse();
    assertThat(claim(highEarly, "solo", null, 9)).isFalse();
    assertThat(claim(highLate, "solo", null, 9)).isFalse();
    // when / then
    assertThat(slots.release(holder)).containsExactly(new SlotGrant(highEarly, 1));
    assertThat(slots.release(highEarly)).containsExactly(new SlotGrant(highLate, 1));
    assertThat(slots.release(highLate)).containsExactly(new SlotGrant(low, 1));
    assertThat(slots.release(low)).isEmpty();
  }

  @Test
  void shouldMoveAWaitingClaimAheadWhenItIsClaimedAgainWithAHigherPriority() {
    // given
    String agent = agent();
    String holder = task();
    String early = task();
    String late = task();
    claim(holder, agent, "/ws/" + agent, 5);
    claim(early, agent, "/ws/" + agent, 5);
    claim(late, agent, "/ws/" + agent, 5);
    // when
    assertThat(slots.claim(late, agent, "/ws/" + agent, 8, 1).held()).isFalse();
    // then
    assertThat(slots.release(holder)).containsExactly(new SlotGrant(late, 1));
  }

  @Test
  void shouldPassOverAClaimWhoseWorkspaceIsTakenForTheNextOne() {
    // given: the plain workspace is taken; a better claim waits for it, a lesser one does not
    String agent = agent();
    String workspace = "/ws/busy-" + agent;
    String holder = task();
    String blocked = task();
    String free = task();
    assertThat(claim(holder, agent, workspace, 5)).isTrue();
    assertThat(claim(blocked, agent, workspace, 9)).isFalse();
    // when / then: the second slot of the agent goes to the claim that can use it
    assertThat(claim(free, agent, "/ws/other-" + agent, 1)).isTrue();
  }

  @Test
  void shouldFreeAnExpiredSlotOnASweepAndGrantItOnButKeepWaitingClaims()
      throws InterruptedException {
    // given: a holder whose worker died (no renewals); the claim behind waits longer than a lease
    String agent = agent();
    String dead = task();
    String next = task();
    assertThat(claim(dead, agent, "/ws/x-" + agent, 5)).isTrue();
    assertThat(claim(next, agent, "/ws/x-" + agent, 5)).isFalse();
    // when
    Thread.sleep(1200);
    // then
    assertThat(slots.sweep()).contains(new SlotGrant(next, 1));
  }

  @Test
  void shouldKeepAHeldSlotWhoseRunRenewsIt() throws InterruptedException {
    // given
    String agent = agent();
    String running = task();
    String next = task();
    assertThat(claim(running, agent, "/ws/r-" + agent, 5)).isTrue();
    assertThat(claim(next, agent, "/ws/r-" + agent, 5)).isFalse();
    // when
    for (int i = 0; i < 4; i++) {
      Thread.sleep(400);
      slots.renew(running);
    }
    // then
    assertThat(slots.sweep()).doesNotContain(new SlotGrant(next, 1));
  }

  @Test
  void shouldRevokeAGrantOnlyWhileItIsStillTheSameClaim() {
    // given
    String agent = agent();
    String holder = task();
    String waiting = task();
    claim(holder, agent, "/ws/v-" + agent, 5);
    slots.claim(waiting, agent, "/ws/v-" + agent, 5, 3);
    assertThat(slots.release(holder)).containsExactly(new SlotGrant(waiting, 3));
    // when: a revoke of an older claim number
    assertThat(slots.revoke(new SlotGrant(waiting, 2))).isEmpty();
    // then
    assertThat(slots.claim(waiting, agent, "/ws/v-" + agent, 5, 3).held()).isTrue();
  }

  @Test
  void shouldHandAGrantWhoseWorkflowIsGoneToTheNextClaim() {
    // given: two claims wait behind a holder; the first one's workflow has ended
    String agent = agent();
    String workspace = "/ws/g-" + agent;
    String holder = task();
    String gone = task();
    String next = task();
    List<SlotGrant> told = new ArrayList<>();
    SlotActivitiesImpl activities =
        new SlotActivitiesImpl(
            slots,
            null,
            null,
            grant -> {
              told.add(grant);
              return !grant.taskId().equals(gone);
            });
    claim(holder, agent, workspace, 5);
    claim(gone, agent, workspace, 5);
    claim(next, agent, workspace, 5);
    // when
    activities.announce(slots.release(holder));
    // then
    assertThat(told).containsExactly(new SlotGrant(gone, 1), new SlotGrant(next, 1));
    assertThat(claim(next, agent, workspace, 5)).isTrue();
  }

  @Test
  void shouldNeverRunTwoInOnePlainWorkspaceWhenManyClaimAndReleaseAtOnce() throws Exception {
    // given: 200 tasks of 8 threads on one workspace; a grant completes the task's future
    String agent = agent();
    String workspace = "/ws/load-" + agent;
    Map<String, CompletableFuture<Void>> grants = new ConcurrentHashMap<>();
    SlotActivitiesImpl activities =
        new SlotActivitiesImpl(
            slots,
            null,
            null,
            grant -> {
              grants
                  .computeIfAbsent(grant.taskId(), id -> new CompletableFuture<>())
                  .complete(null);
              return true;
            });
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger runs = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<?>> done = new ArrayList<>();
    // when
    for (int i = 0; i < 200; i++) {
      done.add(
          threads.submit(
              () -> {
                String task = task();
                CompletableFuture<Void> granted =
                    grants.computeIfAbsent(task, id -> new CompletableFuture<>());
                AgentSlots.Claimed claimed = slots.claim(task, agent, workspace, 5, 1);
                activities.announce(claimed.granted());
                if (!claimed.held()) {
                  granted.get(30, TimeUnit.SECONDS);
                }
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                runs.incrementAndGet();
                inside.decrementAndGet();
                activities.announce(slots.release(task));
                return null;
              }));
    }
    for (Future<?> future : done) {
      future.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();
    // then
    assertThat(runs).hasValue(200);
    assertThat(most).hasValue(1);
  }
}
