package dev.taskpilot.activities.agent.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskpilot.activities.agent.profile.AllowedHosts.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class AllowedHostsTest {

  @Test
  void shouldMatchNamesCaseInsensitivelyOnTheirPortWhenParsed() {
    // when
    AllowedHosts hosts =
        AllowedHosts.parse(List.of("API.Anthropic.com", "*.example.org:8443", "llm.test."));

    // then
    assertThat(hosts.entries())
        .containsExactly(
            new Entry("api.anthropic.com", false, 443),
            new Entry("example.org", true, 8443),
            new Entry("llm.test", false, 443));
    assertThat(hosts.find("api.anthropic.com.", 443)).isPresent();
    assertThat(hosts.find("API.ANTHROPIC.COM", 443)).isPresent();
    assertThat(hosts.find("api.anthropic.com", 80)).isEmpty();
    assertThat(hosts.find("evil-api.anthropic.com", 443)).isEmpty();
    assertThat(hosts.find("a.b.example.org", 8443)).isPresent();
    assertThat(hosts.find("example.org", 8443)).isEmpty();
    assertThat(hosts.find("notexample.org", 8443)).isEmpty();
    assertThat(hosts.find("127.0.0.1", 443)).isEmpty();
  }

  @Test
  void shouldRejectEntriesThatAreNotNamesWhenParsed() {
    for (String entry :
        List.of(
            "127.0.0.1",
            "10.0.0.0/8",
            "[::1]",
            "*.com",
            "*",
            "a b",
            "host:0",
            "host:70000",
            "0x7f",
            "http://api.example.com",
            "")) {
      assertThatThrownBy(() -> AllowedHosts.parse(List.of(entry)))
          .as(entry)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + entry + "'");
    }
  }
}
