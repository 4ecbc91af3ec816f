package dev.taskpilot.net;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Webhook signatures. */
public final class Signatures {

  private static final String ALGORITHM = "HmacSHA256";

  private Signatures() {}

  /**
   * {@code sha256=<lower-case hex HMAC-SHA256 of body under secret>}, the form of GitHub's {@code
   * X-Hub-Signature-256} header.
   *
   * @param secret the shared secret (UTF-8), not empty
   */
  public static String sha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK provides " + ALGORITHM, e);
    }
  }
}
