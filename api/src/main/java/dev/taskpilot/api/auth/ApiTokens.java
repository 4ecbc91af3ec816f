package dev.taskpilot.api.auth;

import dev.taskpilot.store.ApiTokenRecord;
import dev.taskpilot.store.ApiTokenRepository;
import dev.taskpilot.store.ApprovalTokenHash;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * API tokens: made of 32 bytes from {@link SecureRandom}, shown once as {@code tp_<base64url>},
 * stored only as their SHA-256 with owner, role, creation, last use and optional expiry. High
 * entropy makes a plain hash enough: nobody can guess their way back to a token.
 */
@Singleton
public class ApiTokens {
  /** What every token starts with, so that one is recognised in a log or a secret scanner. */
  public static final String PREFIX = "tp_";

  /** The owner of the bootstrap admin token: the owner every task had before tokens existed. */
  public static final String BOOTSTRAP_OWNER = "default";

  /** A last use is written at most this often per token. */
  static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private static final int TOKEN_BYTES = 32;
  // 32 bytes are 43 base64url characters without padding.
  private static final Pattern TOKEN = Pattern.compile("tp_[A-Za-z0-9_-]{43}");
  private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

  private final ApiTokenRepository tokens;
  private final SecureRandom random = new SecureRandom();

  ApiTokens(ApiTokenRepository tokens) {
    this.tokens = tokens;
  }

  /** A token just made: its row and its text, which is never stored and never shown again. */
  public record Issued(ApiTokenRecord token, String secret) {}

  /**
   * Makes a token.
   *
   * @param validFor how long it works, null for no expiry
   */
  public Issued create(String owner, Role role, @Nullable Duration validFor) {
    checkOwner(owner);
    if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
      throw new IllegalArgumentException("the expiry must be a positive duration: " + validFor);
    }
    Instant now = now();
    Issued issued = issue(owner, role, now, validFor == null ? null : now.plus(validFor));
    ApiTokenRecord row = issued.token();
    tokens.add(row.id(), row.tokenHash(), row.owner(), row.role(), now, row.expiresAt());
    return issued;
  }

  /**
   * Makes the bootstrap admin token (owner {@value #BOOTSTRAP_OWNER}) of a fresh install: only
   * while no token exists at all (revoked and expired ones count), so a revoked bootstrap token is
   * never made again. {@code keep} gets the new token inside the transaction: when it fails (the
   * token could not be kept), the token is not stored either.
   */
  @Transactional
  public Optional<Issued> createBootstrapAdmin(Consumer<Issued> keep) {
    tokens.lockForBootstrap();
    if (tokens.anyExists()) {
      return Optional.empty();
    }
    Instant now = now();
    Issued issued = issue(BOOTSTRAP_OWNER, Role.ADMIN, now, null);
    ApiTokenRecord row = issued.token();
    tokens.add(row.id(), row.tokenHash(), row.owner(), row.role(), now, null);
    keep.accept(issued);
    return Optional.of(issued);
  }

  /** Every token, oldest first; the rows hold hashes only. */
  public List<ApiTokenRecord> list() {
    return tokens.findAllOldestFirst();
  }

  /** Whether any token exists. */
  public boolean anyExists() {
    return tokens.anyExists();
  }

  /** Revokes a token; false when it is unknown or was revoked already. */
  public boolean revoke(String id) {
    return tokens.revoke(id, now()) == 1;
  }

  /**
   * The caller a token stands for: empty for a malformed, unknown, revoked or expired one. Records
   * the use, at most once a minute per token (one indexed read per request otherwise).
   */
  public Optional<Caller> authenticate(String secret) {
    if (secret == null || !TOKEN.matcher(secret).matches()) {
      return Optional.empty();
    }
    Optional<ApiTokenRecord> found = tokens.findByTokenHash(ApprovalTokenHash.of(secret));
    Instant now = now();
    if (found.isEmpty() || !found.get().isActive(now)) {
      return Optional.empty();
    }
    ApiTokenRecord row = found.get();
    Instant lastUsed = row.lastUsedAt();
    if (lastUsed == null || !lastUsed.isAfter(now.minus(TOUCH_EVERY))) {
      tokens.touch(row.id(), now, now.minus(TOUCH_EVERY));
    }
    return Optional.of(new Caller(row.id(), row.owner(), Role.parse(row.role())));
  }

  /**
   * Refuses an owner name that is empty, too long or has other than letters, digits, {@code ._@-}.
   */
  public static void checkOwner(String owner) {
    if (owner == null || !OWNER.matcher(owner).matches()) {
      throw new IllegalArgumentException(
          "an owner is 1 to 100 letters, digits, '.', '_', '@' or '-', starting with a letter or"
              + " digit: '"
              + owner
              + "'");
    }
  }

  private Issued issue(String owner, Role role, Instant now, @Nullable Instant expiresAt) {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    byte[] id = new byte[6];
    random.nextBytes(id);
    ApiTokenRecord row =
        new ApiTokenRecord(
            "tok_" + HexFormat.of().formatHex(id),
            ApprovalTokenHash.of(secret),
            owner,
            role.id(),
            now,
            null,
            expiresAt,
            null);
    return new Issued(row, secret);
  }

  private static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
