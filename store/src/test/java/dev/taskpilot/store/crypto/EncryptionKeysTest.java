package dev.taskpilot.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AES-GCM sealing, key ids and rotation, and how keys are configured. */
class EncryptionKeysTest {
  private static final byte[] AD = "place".getBytes(StandardCharsets.UTF_8);

  private static byte[] key(int fill) {
    byte[] key = new byte[EncryptionKeys.KEY_BYTES];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void shouldOpenWhatItSealedWhenTheAssociatedDataIsTheSame() {
    // given
    EncryptionKeys keys = EncryptionKeys.of(key(1), List.of());
    byte[] plain = "secret-marker".getBytes(StandardCharsets.UTF_8);

    // when
    EncryptionKeys.Sealed first = keys.seal(plain, AD);
    EncryptionKeys.Sealed second = keys.seal(plain, AD);

    // then: a fresh nonce each time, 12 bytes of nonce and 16 of tag around the text
    assertThat(first.bytes()).isNotEqualTo(second.bytes()).hasSize(12 + plain.length + 16);
    assertThat(new String(first.bytes(), StandardCharsets.ISO_8859_1)).doesNotContain("secret");
    assertThat(keys.open(first, AD)).isEqualTo(plain);
    assertThat(keys.open(second, AD)).isEqualTo(plain);
    assertThat(first.keyId()).isEqualTo(keys.currentKeyId()).hasSize(16);
  }

  @Test
  void shouldRefuseToOpenWhenTheAssociatedDataOrTheBytesDiffer() {
    // given
    EncryptionKeys keys = EncryptionKeys.of(key(1), List.of());
    EncryptionKeys.Sealed sealed = keys.seal("x".getBytes(StandardCharsets.UTF_8), AD);
    byte[] altered = sealed.bytes().clone();
    altered[altered.length - 1] ^= 1;

    // then
    assertThatThrownBy(() -> keys.open(sealed, "elsewhere".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("moved");
    assertThatThrownBy(() -> keys.open(new EncryptionKeys.Sealed(sealed.keyId(), altered), AD))
        .isInstanceOf(DecryptionException.class);
    assertThatThrownBy(() -> keys.open(new EncryptionKeys.Sealed(sealed.keyId(), new byte[5]), AD))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("too short");
  }

  @Test
  void shouldOpenWithAPreviousKeyAndSealWithTheCurrentOneWhenRotated() {
    // given
    EncryptionKeys old = EncryptionKeys.of(key(1), List.of());
    EncryptionKeys rotated = EncryptionKeys.of(key(2), List.of(key(1)));
    EncryptionKeys.Sealed before = old.seal("x".getBytes(StandardCharsets.UTF_8), AD);

    // when
    EncryptionKeys.Sealed after = rotated.seal("y".getBytes(StandardCharsets.UTF_8), AD);

    // then
    assertThat(rotated.open(before, AD)).isEqualTo("x".getBytes(StandardCharsets.UTF_8));
    assertThat(after.keyId()).isEqualTo(EncryptionKeys.keyId(key(2))).isNotEqualTo(before.keyId());
    assertThatThrownBy(() -> old.open(after, AD))
        .isInstanceOf(DecryptionException.class)
        .hasMessageContaining("sealed with key " + after.keyId())
        .hasMessageContaining("taskpilot.encryption.previous-keys");
  }

  @Test
  void shouldParseBase64KeysAndExplainWhenTextIsNoKey() {
    // given
    String standard = Base64.getEncoder().encodeToString(key(0xfb));
    String urlSafe = Base64.getUrlEncoder().encodeToString(key(0xfb));

    // then
    assertThat(EncryptionKeys.parse(" " + standard + "\n", "k")).isEqualTo(key(0xfb));
    assertThat(EncryptionKeys.parse(urlSafe, "k")).isEqualTo(key(0xfb));
    assertThat(EncryptionKeys.parse(EncryptionKeys.generate(), "k")).hasSize(32);
    assertThatThrownBy(() -> EncryptionKeys.parse("c2hvcnQ=", "the key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the key must be 32 bytes in base64")
        .hasMessageContaining("not 5 bytes");
    assertThatThrownBy(() -> EncryptionKeys.parse("not base64!", "the key"))
        .hasMessageContaining("the key is not base64");
  }

  @Test
  void shouldLoadTheKeyFromTextOrFileAndRefuseWhenThereIsNoneOrBoth(@TempDir Path directory)
      throws Exception {
    // given
    String text = Base64.getEncoder().encodeToString(key(3));
    Path file = Files.writeString(directory.resolve("encryption-key"), text + "\n");

    // then
    assertThat(EncryptionKeysFactory.load(text, null, List.of()).currentKeyId())
        .isEqualTo(EncryptionKeys.keyId(key(3)));
    assertThat(EncryptionKeysFactory.load(null, file.toString(), List.of()).currentKeyId())
        .isEqualTo(EncryptionKeys.keyId(key(3)));
    EncryptionKeys rotated =
        EncryptionKeysFactory.load(
            Base64.getEncoder().encodeToString(key(4)), "", List.of(text, ""));
    assertThat(rotated.knows(EncryptionKeys.keyId(key(3)))).isTrue();
    assertThatThrownBy(() -> EncryptionKeysFactory.load(null, "", List.of()))
        .hasMessageContaining("no encryption key")
        .hasMessageContaining("TASKPILOT_ENCRYPTION_KEY");
    assertThatThrownBy(() -> EncryptionKeysFactory.load(text, file.toString(), List.of()))
        .hasMessageContaining("not both");
    assertThatThrownBy(
            () -> EncryptionKeysFactory.load(null, directory.resolve("none").toString(), List.of()))
        .hasMessageContaining("cannot be read");
    assertThat(EncryptionKeys.of(key(3), List.of()).toString()).doesNotContain(text);
  }
}
