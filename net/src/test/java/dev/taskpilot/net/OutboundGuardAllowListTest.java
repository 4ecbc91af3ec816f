package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.net.TargetRefusedException.Reason;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code taskpilot.network.allowed-hosts}: CIDRs, single addresses and host names. */
class OutboundGuardAllowListTest {

  private final MapHostResolver resolver =
      new MapHostResolver()
          .map("internal.test", "10.0.0.5")
          .map("INTERNAL.test", "10.0.0.5")
          .map("loop.test", "127.0.0.1")
          .map("other.test", "10.0.0.6");

  private OutboundGuard guardAllowing(String... entries) {
    return new OutboundGuard(new NetworkConfig(Arrays.asList(entries)), resolver);
  }

  @Test
  void shouldAllowAddressInsideListedCidr() {
    // given
    OutboundGuard guard = guardAllowing("127.0.0.0/8");

    // then
    assertThatCode(() -> guard.checkAtCreation("http://127.0.0.1:8080/hook"))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtSend(URI.create("http://127.0.0.2:8080/")))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtSend(URI.create("http://loop.test/")))
        .doesNotThrowAnyException();
    assertThat(refusal(guard, "http://10.0.0.1/")).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal(guard, "http://[::1]/")).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal(guard, "http://localhost/")).isEqualTo(Reason.NOT_ALLOWED);
  }

  @Test
  void shouldAllowIpv6Cidr() {
    OutboundGuard guard = guardAllowing("::1/128", "fd00::/8");

    assertThatCode(() -> guard.checkAtCreation("http://[::1]:9000/")).doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtCreation("http://[fd12::1]/")).doesNotThrowAnyException();
    assertThat(refusal(guard, "http://[fc00::1]/")).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal(guard, "http://127.0.0.1/")).isEqualTo(Reason.NOT_ALLOWED);
  }

  @Test
  void shouldAllowOnlyTheListedSingleAddress() {
    OutboundGuard guard = guardAllowing("10.0.0.5");

    assertThatCode(() -> guard.checkAtCreation("http://10.0.0.5/")).doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtSend(URI.create("http://internal.test/")))
        .doesNotThrowAnyException();
    assertThat(refusal(guard, "http://10.0.0.4/")).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal(guard, "http://other.test/")).isEqualTo(Reason.NOT_ALLOWED);
  }

  @Test
  void shouldAllowListedNameWhateverItResolvesTo() {
    // given an entry in another case and with a trailing dot
    OutboundGuard guard = guardAllowing("Internal.Test.", "localhost");

    // then
    assertThatCode(() -> guard.checkAtCreation("http://INTERNAL.test/")).doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtSend(URI.create("http://internal.test/")))
        .doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtCreation("http://localhost:8080/"))
        .doesNotThrowAnyException();
    assertThat(refusal(guard, "http://other.test/")).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refusal(guard, "http://10.0.0.5/")).isEqualTo(Reason.NOT_ALLOWED);
  }

  @Test
  void shouldStillRejectUnusualSpellingOfAllowedAddress() {
    OutboundGuard guard = guardAllowing("127.0.0.0/8");

    assertThat(refusal(guard, "http://2130706433/")).isEqualTo(Reason.INVALID);
    assertThat(refusal(guard, "http://127.1/")).isEqualTo(Reason.INVALID);
  }

  @Test
  void shouldIgnoreBlankEntries() {
    OutboundGuard guard = guardAllowing("", " ", "10.0.0.0/8");

    assertThatCode(() -> guard.checkAtCreation("http://10.9.9.9/")).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "::1/129",
        "10.0.0.0/x",
        "10.0.0.0/",
        "example.com/8",
        "not a host",
        "*.example.com",
        "256.1.1.1",
        "http://example.com"
      })
  void shouldFailOnInvalidEntry(String entry) {
    assertThatThrownBy(() -> guardAllowing("127.0.0.0/8", entry))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("taskpilot.network.allowed-hosts: '" + entry + "' is not");
  }

  @Test
  void shouldTreatNullListAsEmpty() {
    OutboundGuard guard = new OutboundGuard(new NetworkConfig(null), resolver);

    assertThat(refusal(guard, "http://127.0.0.1/")).isEqualTo(Reason.NOT_ALLOWED);
  }

  private static Reason refusal(OutboundGuard guard, String url) {
    TargetRefusedException refused =
        catchThrowableOfType(TargetRefusedException.class, () -> guard.checkAtCreation(url));
    assertThat(refused).as(url).isNotNull();
    return refused.reason();
  }
}
