package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The beans as the application wires them from configuration. */
class NetworkBeansTest {

  @Test
  void shouldBindAllowListFromCommaSeparatedProperty() {
    // given the form an environment variable takes
    try (ApplicationContext context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .properties(Map.of("taskpilot.network.allowed-hosts", "127.0.0.0/8,::1/128"))
            .start()) {

      // when
      OutboundGuard guard = context.getBean(OutboundGuard.class);

      // then
      assertThat(context.getBean(NetworkConfig.class).allowedHosts())
          .containsExactly("127.0.0.0/8", "::1/128");
      assertThat(context.getBean(HostResolver.class)).isInstanceOf(SystemHostResolver.class);
      assertThat(context.getBean(GuardedHttpClient.class)).isNotNull();
      assertThatCode(() -> guard.checkAtCreation("http://[::1]:8080/")).doesNotThrowAnyException();
    }
  }

  @Test
  void shouldFailAtStartupOnInvalidAllowListEntry() {
    assertThatThrownBy(
            () ->
                ApplicationContext.builder()
                    .deduceEnvironment(false)
                    .properties(Map.of("taskpilot.network.allowed-hosts", "10.0.0.0/33"))
                    .start())
        .rootCause()
        .hasMessageContaining("taskpilot.network.allowed-hosts: '10.0.0.0/33' is not");
  }
}
