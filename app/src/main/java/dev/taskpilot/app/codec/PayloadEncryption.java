package dev.taskpilot.app.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.taskpilot.store.crypto.DecryptionException;
import dev.taskpilot.store.crypto.EncryptionKeys;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Encrypts every workflow payload (inputs, results, signals, Updates, queries, heartbeats, markers,
 * memo, failure details) with the installation's key: the whole payload, metadata included, is
 * sealed with AES-256-GCM into one whose metadata says {@code encoding: binary/encrypted} and names
 * the key. Payloads that are not encrypted (histories recorded before) are decoded as they are.
 */
@Singleton
public class PayloadEncryption implements PayloadCodec {
  /** The encoding of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata key naming the key that sealed it. */
  public static final String KEY_ID = "encryption-key-id";

  /** The metadata key naming the cipher. */
  public static final String CIPHER = "encryption-cipher";

  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final ByteString CIPHER_NAME = ByteString.copyFromUtf8("AES-256-GCM");
  private static final byte[] ASSOCIATED_DATA =
      "taskpilot/temporal-payload/v1".getBytes(StandardCharsets.UTF_8);

  private final EncryptionKeys keys;

  public PayloadEncryption(EncryptionKeys keys) {
    this.keys = keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encode).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decode).toList();
  }

  /** Whether a payload is one this codec encrypted. */
  public static boolean encrypted(Payload payload) {
    return ENCODING_BYTES.equals(payload.getMetadataMap().get("encoding"));
  }

  private Payload encode(Payload payload) {
    if (encrypted(payload)) {
      return payload;
    }
    EncryptionKeys.Sealed sealed = keys.seal(payload.toByteArray(), ASSOCIATED_DATA);
    return Payload.newBuilder()
        .putMetadata("encoding", ENCODING_BYTES)
        .putMetadata(KEY_ID, ByteString.copyFromUtf8(sealed.keyId()))
        .putMetadata(CIPHER, CIPHER_NAME)
        .setData(ByteString.copyFrom(sealed.bytes()))
        .build();
  }

  private Payload decode(Payload payload) {
    if (!encrypted(payload)) {
      return payload;
    }
    ByteString keyId = payload.getMetadataMap().get(KEY_ID);
    if (keyId == null) {
      throw new PayloadCodecException("an encrypted payload names no key");
    }
    try {
      byte[] plain =
          keys.open(
              new EncryptionKeys.Sealed(keyId.toStringUtf8(), payload.getData().toByteArray()),
              ASSOCIATED_DATA);
      return Payload.parseFrom(plain);
    } catch (DecryptionException e) {
      throw new PayloadCodecException(
          "an encrypted payload cannot be decrypted: " + e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException("an encrypted payload holds no payload", e);
    }
  }
}
