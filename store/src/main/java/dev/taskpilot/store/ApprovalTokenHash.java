package dev.taskpilot.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * How an approval token is stored: the lower-case hex SHA-256 of its text (the URL-safe base64 the
 * link carries), so the notifier that makes it and the API that checks it agree.
 */
public final class ApprovalTokenHash {
  private ApprovalTokenHash() {}

  public static String of(String token) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
