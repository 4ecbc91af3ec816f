package dev.taskpilot.store;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits out a database outage: a call that fails for want of a connection ({@link
 * DatabaseFailures#isConnectionFailure}) is repeated with exponential backoff (250 ms doubling up
 * to 5 s) for up to a limit; any other failure, or the last one, is thrown. Only calls that are
 * safe to repeat belong here (reads, idempotent writes).
 */
public final class DatabaseOutage {
  private static final Logger log = LoggerFactory.getLogger(DatabaseOutage.class);

  /** How long a run waits for PostgreSQL to come back before it gives up its attempt. */
  public static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);

  static final Duration FIRST_DELAY = Duration.ofMillis(250);
  static final Duration LONGEST_DELAY = Duration.ofSeconds(5);

  private DatabaseOutage() {}

  /**
   * Calls {@code call}, repeating it while the database is unavailable, for about {@code limit}.
   *
   * @param whileWaiting run before each wait (an activity heartbeats there)
   */
  public static <T> T waitOut(
      String what, Duration limit, Supplier<T> call, Runnable whileWaiting) {
    RetryConfig config =
        RetryConfig.custom()
            .maxAttempts(attemptsWithin(limit))
            .intervalFunction(
                IntervalFunction.ofExponentialBackoff(FIRST_DELAY, 2.0, LONGEST_DELAY))
            .retryOnException(DatabaseFailures::isConnectionFailure)
            .build();
    Retry retry = Retry.of(what, config);
    retry
        .getEventPublisher()
        .onRetry(
            event -> {
              if (event.getNumberOfRetryAttempts() == 1) {
                log.warn(
                    "PostgreSQL is unavailable ({}); waiting up to {} to {}",
                    event.getLastThrowable() == null ? "?" : event.getLastThrowable().getMessage(),
                    limit,
                    what);
              }
              whileWaiting.run();
            })
        .onSuccess(event -> log.info("PostgreSQL is back; {} went through", what));
    return retry.executeSupplier(call);
  }

  /** Runs {@code call} as {@link #waitOut(String, Duration, Supplier, Runnable)} does. */
  public static void waitOut(String what, Duration limit, Runnable call, Runnable whileWaiting) {
    waitOut(
        what,
        limit,
        () -> {
          call.run();
          return null;
        },
        whileWaiting);
  }

  /** The number of attempts whose backoff delays add up to at least {@code limit}. */
  static int attemptsWithin(Duration limit) {
    long left = limit.toMillis();
    long delay = FIRST_DELAY.toMillis();
    int attempts = 1;
    while (left > 0) {
      left -= delay;
      delay = Math.min(delay * 2, LONGEST_DELAY.toMillis());
      attempts++;
    }
    return attempts;
  }
}
