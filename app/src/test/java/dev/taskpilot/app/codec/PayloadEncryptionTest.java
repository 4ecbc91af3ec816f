package dev.taskpilot.app.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.taskpilot.store.crypto.EncryptionKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The payload codec: nothing readable goes out, everything comes back, old payloads pass. */
class PayloadEncryptionTest {
  private static final String MARKER = "prompt-marker-5b7c1e";

  private static EncryptionKeys keys() {
    return EncryptionKeys.of(EncryptionKeys.parse(EncryptionKeys.generate(), "k"), List.of());
  }

  private static Payload json(String text) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(text).orElseThrow();
  }

  @Test
  void shouldHideTheWholePayloadAndNameTheKeyWhenEncoding() {
    // given
    EncryptionKeys keys = keys();
    PayloadEncryption codec = new PayloadEncryption(keys);
    Payload plain = json(MARKER);

    // when
    Payload encoded = codec.encode(List.of(plain)).getFirst();

    // then: neither the text nor its encoding shows, the key id does
    assertThat(encoded.toByteString().toStringUtf8()).doesNotContain(MARKER).doesNotContain("json");
    assertThat(encoded.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
    assertThat(encoded.getMetadataOrThrow("encryption-key-id").toStringUtf8())
        .isEqualTo(keys.currentKeyId());
    assertThat(PayloadEncryption.encrypted(encoded)).isTrue();
    assertThat(codec.decode(List.of(encoded))).containsExactly(plain);
    assertThat(codec.encode(List.of(encoded))).as("encoded once only").containsExactly(encoded);
  }

  @Test
  void shouldPassPayloadsThroughWhenTheyWereNotEncrypted() {
    // given: a payload of a history recorded before encryption
    PayloadEncryption codec = new PayloadEncryption(keys());
    Payload old = json("from an old history");
    Payload raw = Payload.newBuilder().setData(ByteString.copyFromUtf8("no metadata")).build();

    // then
    assertThat(codec.decode(List.of(old, raw))).containsExactly(old, raw);
  }

  @Test
  void shouldRefuseToDecodeWhenTheKeyIsUnknownOrTheBytesWereAltered() {
    // given
    Payload encoded = new PayloadEncryption(keys()).encode(List.of(json(MARKER))).getFirst();
    byte[] data = encoded.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload altered = encoded.toBuilder().setData(ByteString.copyFrom(data)).build();
    Payload unnamed = encoded.toBuilder().removeMetadata("encryption-key-id").build();
    PayloadEncryption otherKey = new PayloadEncryption(keys());

    // then
    assertThatThrownBy(() -> otherKey.decode(List.of(encoded)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("cannot be decrypted");
    assertThatThrownBy(() -> otherKey.decode(List.of(altered)))
        .isInstanceOf(PayloadCodecException.class);
    assertThatThrownBy(() -> otherKey.decode(List.of(unnamed)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("names no key");
  }

  @Test
  void shouldRoundTripValuesAndKeepFailureMessagesOutOfSightWhenUsedAsTheDataConverter() {
    // given
    PayloadEncryption codec = new PayloadEncryption(keys());
    CodecDataConverter converter =
        new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);

    // when
    Optional<Payloads> payloads = converter.toPayloads(MARKER, 42);
    var failure =
        converter.exceptionToFailure(
            io.temporal.failure.ApplicationFailure.newFailure("failed at " + MARKER, "TYPE"));

    // then
    assertThat(payloads.orElseThrow().toByteString().toStringUtf8()).doesNotContain(MARKER);
    assertThat(converter.fromPayloads(0, payloads, String.class, String.class)).isEqualTo(MARKER);
    assertThat(converter.fromPayloads(1, payloads, Integer.class, Integer.class)).isEqualTo(42);
    assertThat(failure.toByteString().toString(StandardCharsets.UTF_8)).doesNotContain(MARKER);
    assertThat(converter.failureToException(failure)).hasMessageContaining(MARKER);
  }
}
