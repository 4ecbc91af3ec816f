package dev.taskpilot.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateLimitsTest {
  private static final Caller OPERATOR = new Caller("tok_op", "alice", Role.OPERATOR);
  private static final Caller OTHER_TOKEN = new Caller("tok_op2", "alice", Role.OPERATOR);
  private static final Caller ADMIN = new Caller("tok_admin", "alice", Role.ADMIN);

  /** A clock the test moves. */
  private static final class Clock implements TimeMeter {
    long nanos;

    @Override
    public long currentTimeNanos() {
      return nanos;
    }

    @Override
    public boolean isWallClockBased() {
      return false;
    }
  }

  private static RateLimits limits(Clock clock, boolean enabled) {
    return new RateLimits(enabled, 2, Duration.ofMinutes(1), 1, Duration.ofHours(1), 3, clock);
  }

  @Test
  void shouldRefuseWithRetryAfterWhenATokensBucketIsEmpty() {
    // given
    Clock clock = new Clock();
    RateLimits limits = limits(clock, true);
    limits.take(OPERATOR, RateLimits.Action.CREATE_TASK);
    limits.take(OPERATOR, RateLimits.Action.CREATE_TASK);
    // when
    ApiException refused =
        catchThrowableOfType(
            ApiException.class, () -> limits.take(OPERATOR, RateLimits.Action.CREATE_TASK));
    // then: 2 a minute refill one every 30 s
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.code().status().getCode()).isEqualTo(429);
    assertThat(refused.retryAfterSeconds()).isEqualTo(30);
    assertThat(refused.getMessage()).contains("2 task creations per PT1M");
  }

  @Test
  void shouldRefillOverThePeriodWhenTimePasses() {
    // given
    Clock clock = new Clock();
    RateLimits limits = limits(clock, true);
    limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE);
    assertThatThrownBy(() -> limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE))
        .isInstanceOf(ApiException.class);
    // when
    clock.nanos += TimeUnit.MINUTES.toNanos(59);
    ApiException stillEmpty =
        catchThrowableOfType(
            ApiException.class, () -> limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE));
    clock.nanos += TimeUnit.MINUTES.toNanos(1);
    limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE);
    // then: a minute was left to wait, and after it one message was there again
    assertThat(stillEmpty.retryAfterSeconds()).isEqualTo(60);
  }

  @Test
  void shouldCountEachTokenAndActionApartWhenOneIsEmpty() {
    // given
    Clock clock = new Clock();
    RateLimits limits = limits(clock, true);
    limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE);
    // when / then: the other token's and the other action's buckets are full
    limits.take(OTHER_TOKEN, RateLimits.Action.CHAT_MESSAGE);
    limits.take(OPERATOR, RateLimits.Action.CREATE_TASK);
    assertThatThrownBy(() -> limits.take(OPERATOR, RateLimits.Action.CHAT_MESSAGE))
        .isInstanceOf(ApiException.class);
  }

  @Test
  void shouldNeverLimitAnAdminOrAnythingWhenSwitchedOff() {
    // given
    Clock clock = new Clock();
    RateLimits on = limits(clock, true);
    RateLimits off = limits(clock, false);
    // when / then: far past every limit
    for (int i = 0; i < 20; i++) {
      on.take(ADMIN, RateLimits.Action.CREATE_TASK);
      off.take(OPERATOR, RateLimits.Action.CREATE_TASK);
    }
    on.checkScheduleCount(ADMIN, 100);
    off.checkScheduleCount(OPERATOR, 100);
  }

  @Test
  void shouldCapTheSchedulesOfANonAdminOwner() {
    // given
    RateLimits limits = limits(new Clock(), true);
    // when
    limits.checkScheduleCount(OPERATOR, 2);
    ApiException refused =
        catchThrowableOfType(ApiException.class, () -> limits.checkScheduleCount(OPERATOR, 3));
    // then: waiting would not help, so no Retry-After
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.retryAfterSeconds()).isZero();
    assertThat(refused.getMessage()).contains("owner alice has 3 schedules");
  }

  @Test
  void shouldRefuseAConfigurationWithoutCapacity() {
    assertThatThrownBy(
            () ->
                new RateLimits(
                    true, 0, Duration.ofMinutes(1), 1, Duration.ofHours(1), 3, new Clock()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive capacity");
  }
}
