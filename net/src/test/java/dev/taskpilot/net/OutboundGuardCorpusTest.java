package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.taskpilot.net.TargetRefusedException.Reason;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF corpus: literal hosts in every spelling, judged without any name resolution. */
class OutboundGuardCorpusTest {

  private final OutboundGuard guard =
      new OutboundGuard(
          new NetworkConfig(List.of()),
          host -> {
            throw new AssertionError("resolved " + host + ", which is a literal or localhost");
          });

  @ParameterizedTest
  @ValueSource(
      strings = {
        // loopback
        "http://127.0.0.1/",
        "https://127.255.255.254:8443/admin",
        "http://127.1/",
        "http://127.0.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0X7F000001/",
        "http://0x7f.0.0.1/",
        "http://0x7F.1/",
        "http://0177.0.0.1/",
        "http://0177.1/",
        "http://017700000001/",
        "http://127.0.0.1./",
        "http://127.0.0.1:8080/path?q=1",
        "http://[::1]/",
        "http://[0:0:0:0:0:0:0:1]:8080/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::ffff:7f00:1]/",
        "http://[::FFFF:7F00:1]/",
        "http://[0:0:0:0:0:ffff:127.0.0.1]/",
        "http://localhost/",
        "http://localhost./",
        "http://LOCALHOST:8080/",
        "http://api.localhost/",
        // unspecified
        "http://0/",
        "http://0.0.0.0/",
        "http://0x0/",
        "http://00/",
        "http://0.0.0.0:80/",
        "http://[::]/",
        "http://[0:0:0:0:0:0:0:0]/",
        "http://[::ffff:0.0.0.0]/",
        // private
        "http://10.0.0.1/",
        "http://10.255.255.255/",
        "http://012.0.0.1/",
        "http://167772161/",
        "http://0xa000001/",
        "http://10.1/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://0xac100001/",
        "http://0254.020.0.1/",
        "http://192.168.1.1/",
        "http://192.168.0x1.1/",
        "http://3232235777/",
        "http://192.168.257/",
        "http://[::ffff:192.168.1.1]/",
        "http://[::ffff:c0a8:101]/",
        // link-local and cloud metadata
        "http://169.254.169.254/latest/meta-data/",
        "http://169.254.169.254./latest/meta-data/",
        "http://2852039166/",
        "http://0xa9fea9fe/",
        "http://0xA9FEA9FE/",
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://0xa9.0xfe.0xa9.0xfe/",
        "http://169.254.0.1/",
        "http://[::ffff:169.254.169.254]/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[fe80::1]/",
        "http://[FE80::ABCD:1]/",
        "http://[fe80::1%25eth0]/",
        "http://[febf::1]/",
        // CGNAT
        "http://100.64.0.1/",
        "http://100.127.255.254/",
        "http://1681915905/",
        "http://[::ffff:100.64.0.1]/",
        // multicast
        "http://224.0.0.1/",
        "http://239.255.255.250/",
        "http://0xe0000001/",
        "http://[ff02::1]/",
        "http://[FF05::2]/",
        // broadcast and reserved
        "http://255.255.255.255/",
        "http://4294967295/",
        "http://0xffffffff/",
        "http://0377.0377.0377.0377/",
        "http://240.0.0.1/",
        "http://250.1.2.3/",
        // unique-local and site-local IPv6
        "http://[fc00::1]/",
        "http://[fd12:3456:789a::1]/",
        "http://[fd00:ec2::254]/",
        "http://[FD00:EC2::254]/latest/meta-data/",
        "http://[fec0::1]/",
        // IPv4-compatible
        "http://[::127.0.0.1]/",
        "http://[::7f00:1]/",
        "http://[::10.0.0.1]/",
        "http://[::169.254.169.254]/",
        // NAT64
        "http://[64:ff9b::127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[64:ff9b::10.0.0.1]/",
        // 6to4
        "http://[2002:7f00:1::]/",
        "http://[2002:a9fe:a9fe::1]/",
        "http://[2002:c0a8:0101::1]/",
        "http://[2002:0a00:0001:1234::5]/"
      })
  void shouldRefuseNonPublicAddressWhenCreatedInAnySpelling(String url) {
    // given the guard with an empty allow-list

    // when
    TargetRefusedException refused =
        catchThrowableOfType(TargetRefusedException.class, () -> guard.checkAtCreation(url));

    // then
    assertThat(refused).as(url).isNotNull();
    assertThat(refused.reason()).as(refused.getMessage()).isEqualTo(Reason.NOT_ALLOWED);
    assertThat(refused.getMessage()).startsWith("host ").doesNotContain("q=1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://127.0.0.1/",
        "http://2130706433/",
        "http://[::ffff:127.0.0.1]/",
        "http://[::1]/",
        "http://0x7f.0.0.1/"
      })
  void shouldRefuseNonPublicAddressWhenSent(String url) {
    // when
    TargetRefusedException refused =
        catchThrowableOfType(
            TargetRefusedException.class, () -> guard.checkAtSend(URI.create(url)));

    // then
    assertThat(refused).as(url).isNotNull();
    assertThat(refused.reason()).isEqualTo(Reason.NOT_ALLOWED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://8.8.8.8/",
        "https://1.1.1.1:443/path?q=1",
        "http://[2606:4700::1111]/",
        "http://[2606:4700:4700::1111]:8080/x",
        "http://[::ffff:8.8.8.8]/",
        "http://[64:ff9b::8.8.8.8]/",
        "http://[2002:0808:0808::1]/",
        "http://172.32.0.1/",
        "http://172.15.255.255/",
        "http://100.128.0.1/",
        "http://100.63.255.255/",
        "http://169.255.0.1/",
        "http://11.0.0.1/",
        "http://192.169.0.1/",
        "http://223.255.255.255/",
        "HTTPS://8.8.4.4/"
      })
  void shouldAllowPublicAddress(String url) {
    assertThatCode(() -> guard.checkAtCreation(url)).as(url).doesNotThrowAnyException();
    assertThatCode(() -> guard.checkAtSend(URI.create(url))).as(url).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "   ",
        "ftp://example.com/file",
        "gopher://127.0.0.1/",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "http://",
        "http:///path",
        "http:example.com",
        "http://user:pass@example.com/",
        "http://user@example.com/",
        "http://user:pass@0x7f.1/",
        "//example.com/path",
        "/relative/path",
        "example.com",
        "http://exa mple.com/",
        "http://example.com:abc/",
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://0x100000000/",
        "http://08.0.0.1/",
        "http://[::1/",
        "http://[::g]/",
        "http://%31%32%37.0.0.1/",
        // public, but clients disagree on what such spellings mean
        "http://134744072/",
        "http://0x08.0x08.0x08.0x08/",
        "http://010.8.8.8/"
      })
  void shouldRejectAsInvalid(String url) {
    // when
    TargetRefusedException refused =
        catchThrowableOfType(TargetRefusedException.class, () -> guard.checkAtCreation(url));

    // then
    assertThat(refused).as(url).isNotNull();
    assertThat(refused.reason()).as(refused.getMessage()).isEqualTo(Reason.INVALID);
  }

  @Test
  void shouldRejectUrlLongerThan2000Characters() {
    // given
    String prefix = "https://8.8.8.8/";
    String longest = prefix + "a".repeat(OutboundGuard.MAX_URL_LENGTH - prefix.length());

    // when
    TargetRefusedException refused =
        catchThrowableOfType(
            TargetRefusedException.class, () -> guard.checkAtCreation(longest + "a"));

    // then
    assertThat(guard.checkAtCreation(longest)).isEqualTo(URI.create(longest));
    assertThat(refused.reason()).isEqualTo(Reason.INVALID);
    assertThat(refused.getMessage()).contains("2,000");
  }

  @Test
  void shouldNameHostAndReasonButNotQuery() {
    // when
    TargetRefusedException refused =
        catchThrowableOfType(
            TargetRefusedException.class,
            () -> guard.checkAtCreation("http://0x7f000001:9000/hook?token=s3cret"));

    // then
    assertThat(refused.getMessage())
        .isEqualTo("host 0x7f000001 is 127.0.0.1, a loopback address")
        .doesNotContain("s3cret");
  }

  @Test
  void shouldExplainEmbeddedAddress() {
    // when
    TargetRefusedException refused =
        catchThrowableOfType(
            TargetRefusedException.class,
            () -> guard.checkAtCreation("http://[64:ff9b::a9fe:a9fe]/"));

    // then
    assertThat(refused.getMessage())
        .contains("a NAT64 address embedding 169.254.169.254")
        .contains("the cloud metadata endpoint");
  }
}
