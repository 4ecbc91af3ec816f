package dev.taskpilot.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SignaturesTest {

  @Test
  void shouldMatchRfc4231TestCase2() {
    // given
    byte[] body = "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8);

    // when
    String signature = Signatures.sha256("Jefe", body);

    // then
    assertThat(signature)
        .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void shouldMatchGithubWebhookExample() {
    // given the example of GitHub's "Validating webhook deliveries"
    byte[] body = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    // when
    String signature = Signatures.sha256("It's a Secret to Everybody", body);

    // then
    assertThat(signature)
        .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
  }
}
