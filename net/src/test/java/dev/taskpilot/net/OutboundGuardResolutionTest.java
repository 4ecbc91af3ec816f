package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Host names: judged by every address they resolve to, at creation and again at every send. */
class OutboundGuardResolutionTest {

  private final MapHostResolver resolver =
      new MapHostResolver()
          .map("evil.test", "127.0.0.1")
          .map("mixed.test", "8.8.8.8", "10.0.0.1")
          .map("mixed6.test", "2606:4700::1111", "fd00:ec2::254")
          .map("public.test", "8.8.8.8", "2606:4700::1111")
          .map("git.test", "140.82.112.3");

  private final OutboundGuard guard = new OutboundGuard(new NetworkConfig(List.of()), resolver);

  @Nested
  class AtCreation {

    @Test
    void shouldRefuseNameWhenItResolvesToLoopback() {
      // when
      TargetRefusedException refused =
          catchThrowableOfType(
              TargetRefusedException.class,
              () -> guard.checkAtCreation("https://evil.test/hook?token=s3cret"));

      // then
      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
      assertThat(refused.getMessage())
          .isEqualTo("host evil.test resolves to 127.0.0.1, a loopback address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://mixed.test/", "http://mixed6.test/", "http://MIXED.test/"})
    void shouldRefuseNameWhenAnyOfItsAddressesIsRefused(String url) {
      // given the name's first address is public, another is not
      resolver.map("MIXED.test", "8.8.8.8", "10.0.0.1");

      // when
      TargetRefusedException refused =
          catchThrowableOfType(TargetRefusedException.class, () -> guard.checkAtCreation(url));

      // then
      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
      assertThat(refused.getMessage()).containsAnyOf("10.0.0.1", "fd00:ec2");
    }

    @Test
    void shouldAcceptNameWhenAllItsAddressesArePublic() {
      assertThat(guard.checkAtCreation("https://public.test/x"))
          .isEqualTo(URI.create("https://public.test/x"));
    }

    @Test
    void shouldAcceptNameWhenItDoesNotResolveYet() {
      assertThatCode(() -> guard.checkAtCreation("https://not-yet.test/"))
          .doesNotThrowAnyException();
      assertThat(resolver.lookups()).isEqualTo(1);
    }

    @Test
    void shouldRefuseLocalhostWithoutResolving() {
      // given localhost would resolve to a public address
      resolver.map("localhost", "8.8.8.8").map("x.localhost", "8.8.8.8");

      // when
      TargetRefusedException refused =
          catchThrowableOfType(
              TargetRefusedException.class, () -> guard.checkAtCreation("http://localhost/"));
      TargetRefusedException refusedSubdomain =
          catchThrowableOfType(
              TargetRefusedException.class, () -> guard.checkHostAtCreation("x.localhost"));

      // then
      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
      assertThat(refusedSubdomain.reason()).isEqualTo(Reason.NOT_ALLOWED);
      assertThat(resolver.lookups()).isZero();
    }
  }

  @Nested
  class BareHost {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0x7f.1", "::1", "[::1]", "evil.test", "localhost."})
    void shouldRefuseHostThatIsOrResolvesToRefusedAddress(String host) {
      TargetRefusedException refused =
          catchThrowableOfType(TargetRefusedException.class, () -> guard.checkHostAtCreation(host));

      assertThat(refused.reason()).as(host).isEqualTo(Reason.NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"", " ", "-oProxyCommand=touch", "git.test/x", "a b", "[::1", "1.2.3.256"})
    void shouldRejectMalformedHost(String host) {
      TargetRefusedException refused =
          catchThrowableOfType(TargetRefusedException.class, () -> guard.checkHostAtCreation(host));

      assertThat(refused.reason()).as(host).isEqualTo(Reason.INVALID);
    }

    @Test
    void shouldAcceptPublicHost() {
      assertThatCode(() -> guard.checkHostAtCreation("git.test")).doesNotThrowAnyException();
      assertThatCode(() -> guard.checkHostAtCreation("2606:4700::1111")).doesNotThrowAnyException();
    }
  }

  @Nested
  class AtSend {

    @Test
    void shouldRefuseNameWhenItResolvesToLoopback() {
      TargetRefusedException refused =
          catchThrowableOfType(
              TargetRefusedException.class,
              () -> guard.checkAtSend(URI.create("http://evil.test/")));

      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
    }

    @Test
    void shouldRefuseNameWhenAnyOfItsAddressesIsRefused() {
      TargetRefusedException refused =
          catchThrowableOfType(
              TargetRefusedException.class,
              () -> guard.checkAtSend(URI.create("http://mixed.test/")));

      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
    }

    @Test
    void shouldRefuseNameThatRebindsToLoopbackAfterCreation() {
      // given a name that was public when the task was created
      resolver.map("rebind.test", "8.8.8.8");
      URI uri = guard.checkAtCreation("http://rebind.test/hook");
      guard.checkAtSend(uri);

      // when its DNS answer changes
      resolver.map("rebind.test", "127.0.0.1");
      TargetRefusedException refused =
          catchThrowableOfType(TargetRefusedException.class, () -> guard.checkAtSend(uri));

      // then
      assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
      assertThat(refused.getMessage()).contains("rebind.test resolves to 127.0.0.1");
      assertThat(resolver.lookups()).isEqualTo(3);
    }

    @Test
    void shouldThrowUncheckedIoExceptionWhenNameDoesNotResolve() {
      UncheckedIOException failure =
          catchThrowableOfType(
              UncheckedIOException.class, () -> guard.checkAtSend(URI.create("http://gone.test/")));

      assertThat(failure).hasCauseInstanceOf(UnknownHostException.class);
    }

    @Test
    void shouldRejectUrlWithCredentials() {
      TargetRefusedException refused =
          catchThrowableOfType(
              TargetRefusedException.class,
              () -> guard.checkAtSend(URI.create("http://user:pw@public.test/")));

      assertThat(refused.reason()).isEqualTo(Reason.INVALID);
      assertThat(refused.getMessage()).doesNotContain("pw");
    }
  }
}
