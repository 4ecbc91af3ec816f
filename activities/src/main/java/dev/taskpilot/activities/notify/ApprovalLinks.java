package dev.taskpilot.activities.notify;

import dev.taskpilot.store.ApprovalTokenHash;
import dev.taskpilot.store.ApprovalTokenRepository;
import jakarta.inject.Singleton;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Makes one-tap approve and reject links for one approval gate of one task: a new random token per
 * call, of which only the SHA-256 is stored; the API checks it and uses it at most once.
 */
@Singleton
public class ApprovalLinks {
  private static final int TOKEN_BYTES = 32;

  private final ApprovalTokenRepository tokens;
  private final NotifySettings settings;
  private final SecureRandom random = new SecureRandom();

  public ApprovalLinks(ApprovalTokenRepository tokens, NotifySettings settings) {
    this.tokens = tokens;
    this.settings = settings;
  }

  /**
   * The two links of one token.
   *
   * @param token the token itself, so callers can keep it out of logs and the audit
   */
  public record Links(URI approve, URI reject, String token) {
    @Override
    public String toString() {
      return "Links[***]";
    }
  }

  /** Stores a new token for the gate and returns its links. */
  public Links issue(String taskId, int gate) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    tokens.add(
        ApprovalTokenHash.of(token), taskId, gate, Instant.now().truncatedTo(ChronoUnit.MICROS));
    String base = settings.publicUrl() + "/api/v1/approvals/" + token;
    return new Links(URI.create(base + "/approve"), URI.create(base + "/reject"), token);
  }
}
