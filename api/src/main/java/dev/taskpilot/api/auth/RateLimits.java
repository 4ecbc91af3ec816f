package dev.taskpilot.api.auth;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Per-token rate limits (Bucket4j token buckets, in this process's memory) on what costs: task
 * creation (a schedule's trigger included) and chat messages (they spend LLM money); plus a cap on
 * the live schedules of an owner, since each one keeps creating tasks. Admin tokens are never
 * limited; {@code taskpilot.rate-limits.enabled: false} switches every limit off. Each API process
 * counts on its own.
 */
@Singleton
public class RateLimits {
  /** A limited action. */
  public enum Action {
    CREATE_TASK("task creations"),
    CHAT_MESSAGE("chat messages");

    private final String what;

    Action(String what) {
      this.what = what;
    }
  }

  private record Limit(long capacity, Duration period) {
    Limit {
      if (capacity < 1 || period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException(
            "a rate limit needs a positive capacity and period: " + capacity + " per " + period);
      }
    }
  }

  private record Key(String tokenId, Action action) {}

  private final boolean enabled;
  private final Map<Action, Limit> limits;
  private final long maxSchedules;
  private final TimeMeter clock;
  private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();

  @Inject
  RateLimits(
      @Value("${taskpilot.rate-limits.enabled:true}") boolean enabled,
      @Value("${taskpilot.rate-limits.tasks.capacity:120}") long taskCapacity,
      @Value("${taskpilot.rate-limits.tasks.period:1h}") Duration taskPeriod,
      @Value("${taskpilot.rate-limits.chat.capacity:60}") long chatCapacity,
      @Value("${taskpilot.rate-limits.chat.period:1h}") Duration chatPeriod,
      @Value("${taskpilot.rate-limits.max-schedules:50}") long maxSchedules) {
    this(
        enabled,
        taskCapacity,
        taskPeriod,
        chatCapacity,
        chatPeriod,
        maxSchedules,
        TimeMeter.SYSTEM_MILLISECONDS);
  }

  RateLimits(
      boolean enabled,
      long taskCapacity,
      Duration taskPeriod,
      long chatCapacity,
      Duration chatPeriod,
      long maxSchedules,
      TimeMeter clock) {
    if (maxSchedules < 0) {
      throw new IllegalArgumentException(
          "taskpilot.rate-limits.max-schedules must not be negative: " + maxSchedules);
    }
    this.enabled = enabled;
    this.limits =
        Map.of(
            Action.CREATE_TASK, new Limit(taskCapacity, taskPeriod),
            Action.CHAT_MESSAGE, new Limit(chatCapacity, chatPeriod));
    this.maxSchedules = maxSchedules;
    this.clock = clock;
  }

  /**
   * Takes one from the caller's bucket for the action, or refuses with {@code 429 RATE_LIMITED} and
   * the seconds until the next one is there ({@code Retry-After}).
   */
  public void take(Caller caller, Action action) {
    if (!applies(caller)) {
      return;
    }
    Limit limit = limits.get(action);
    Bucket bucket =
        buckets.computeIfAbsent(
            new Key(caller.tokenId(), action),
            key ->
                Bucket.builder()
                    .withCustomTimePrecision(clock)
                    .addLimit(
                        bandwidth ->
                            bandwidth
                                .capacity(limit.capacity())
                                .refillGreedy(limit.capacity(), limit.period()))
                    .build());
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      long seconds =
          Math.max(
              1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999));
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "this token may make "
              + limit.capacity()
              + " "
              + action.what
              + " per "
              + limit.period()
              + "; try again in "
              + seconds
              + " s",
          seconds);
    }
  }

  /**
   * Refuses one more schedule for an owner that has {@code live} already, at the cap: {@code 429
   * RATE_LIMITED} without {@code Retry-After}, since waiting does not help here (deleting a
   * schedule does).
   */
  public void checkScheduleCount(Caller caller, long live) {
    if (applies(caller) && live >= maxSchedules) {
      throw new ApiException(
          ErrorCode.RATE_LIMITED,
          "owner "
              + caller.owner()
              + " has "
              + live
              + " schedules, the most a non-admin token may have; delete one first");
    }
  }

  private boolean applies(Caller caller) {
    return enabled && caller.role() != Role.ADMIN;
  }
}
