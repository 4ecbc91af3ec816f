package dev.taskpilot.activities.slots;

import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frees the slots whose lease ran out (a worker died mid-run, a grant was never taken up) and
 * grants them to the next waiting claims, every {@code taskpilot.slots.sweep-interval} on every
 * worker; also right after start, so changed limits apply at once. One query per sweep, however
 * many tasks wait.
 */
@Singleton
@Requires(property = "taskpilot.worker.enabled", value = "true", defaultValue = "true")
public class SlotSweeper {
  private static final Logger log = LoggerFactory.getLogger(SlotSweeper.class);
  private final SlotActivitiesImpl slots;
  private boolean failing;

  public SlotSweeper(SlotActivitiesImpl slots) {
    this.slots = slots;
  }

  @Scheduled(fixedDelay = "${taskpilot.slots.sweep-interval:10s}", initialDelay = "1s")
  synchronized void sweep() {
    try {
      slots.sweep();
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
