package dev.taskpilot.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The fleet registry, under {@code taskpilot.fleet}; read by the workers (which write it) and by
 * the API (which tells live workers from silent ones).
 *
 * @param heartbeatInterval how often each worker refreshes its row; a worker not seen for three
 *     intervals counts as not alive
 * @param forgetAfter how long a silent worker's row is kept (it died without a clean stop) before
 *     any worker's heartbeat deletes it
 */
@ConfigurationProperties("taskpilot.fleet")
public record FleetConfig(
    @Bindable(defaultValue = "10s") Duration heartbeatInterval,
    @Bindable(defaultValue = "1d") Duration forgetAfter) {

  /** How long after its last heartbeat a worker still counts as alive. */
  public Duration aliveWindow() {
    return heartbeatInterval.multipliedBy(3);
  }
}
