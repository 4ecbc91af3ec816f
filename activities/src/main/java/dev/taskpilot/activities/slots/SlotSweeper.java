package dev.taskpilot.activities.slots;

import dev.taskpilot.store.AgentSlotRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the slots whose lease ran out (a worker died mid-run, a grant was never taken up) and
 * grants them to the next waiting claims, every {@code taskpilot.slots.sweep-interval} on every
 * worker; also right after start, so changed limits apply at once. One query per sweep, however
 * many tasks wait. Each sweep also counts the waiting claims (one more small query) for the gauge
 * {@code taskpilot.slots.waiting}, so a scrape never touches PostgreSQL.
 */
@Singleton
@Requires(property = "taskpilot.worker.enabled", value = "true", defaultValue = "true")
public class SlotSweeper {
  private static final Logger log = LoggerFactory.getLogger(SlotSweeper.class);
  private final SlotActivitiesImpl slots;
  private final AgentSlotRepository rows;
  private final AtomicLong waiting = new AtomicLong();
  private boolean failing;

  public SlotSweeper(SlotActivitiesImpl slots, AgentSlotRepository rows, MeterRegistry meters) {
    this.slots = slots;
    this.rows = rows;
    Gauge.builder("taskpilot.slots.waiting", waiting, AtomicLong::get)
        .description("Agent runs waiting for a slot, as of the last sweep on this worker")
        .register(meters);
  }

  @Scheduled(fixedDelay = "${taskpilot.slots.sweep-interval:10s}", initialDelay = "1s")
  synchronized void sweep() {
    try {
      slots.sweep();
      waiting.set(rows.countWaiting());
      if (failing) {
        log.info("agent slot sweeps work again");
      }
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        log.warn("agent slot sweep failed (retried every sweep): {}", e.toString());
      }
      failing = true;
    }
  }
}
