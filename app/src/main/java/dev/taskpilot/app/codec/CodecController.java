package dev.taskpilot.app.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.taskpilot.api.auth.Roles;
import dev.taskpilot.api.error.ApiException;
import dev.taskpilot.api.error.ErrorCode;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.server.cors.CrossOrigin;
import io.micronaut.security.annotation.Secured;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The Temporal remote codec server protocol for the Web UI and the CLI ({@code temporal workflow
 * show --codec-endpoint <api>/codec}): {@code POST /codec/decode} and {@code /codec/encode} take
 * and answer {@code Payloads} in protobuf JSON ({@code {"payloads": [{"metadata": {"encoding":
 * "<base64>"}, "data": "<base64>"}]}}). Whoever may call it reads every prompt and URL: it must be
 * an admin's alone. Off unless {@code taskpilot.codec.enabled}; browsers may call it from {@code
 * taskpilot.codec.cors-origin} only.
 */
@Controller("/codec")
@Requires(property = "taskpilot.codec.enabled", value = "true")
@Secured(Roles.ADMIN)
@CrossOrigin(
    allowedOrigins = "${taskpilot.codec.cors-origin}",
    allowedMethods = HttpMethod.POST,
    allowedHeaders = {"Content-Type", "X-Namespace", "Authorization"},
    maxAge = 600)
class CodecController {
  private static final JsonFormat.Parser PARSER = JsonFormat.parser();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private final PayloadEncryption encryption;

  CodecController(PayloadEncryption encryption) {
    this.encryption = encryption;
  }

  @Post(
      uri = "/decode",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  String decode(@Body String body) {
    return apply(body, encryption::decode);
  }

  @Post(
      uri = "/encode",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  String encode(@Body String body) {
    return apply(body, encryption::encode);
  }

  private static String apply(String body, UnaryOperator<List<Payload>> codec) {
    Payloads.Builder request = Payloads.newBuilder();
    try {
      PARSER.merge(body, request);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // Without the parser's message: it may quote the payloads, which are not for the log.
      throw new ApiException(
          ErrorCode.VALIDATION_FAILED,
          "the body is not {\"payloads\": [{\"metadata\": {...}, \"data\": \"<base64>\"}]}"
              + " in protobuf JSON");
    }
    List<Payload> answered;
    try {
      answered = codec.apply(request.getPayloadsList());
    } catch (PayloadCodecException e) {
      throw new ApiException(ErrorCode.VALIDATION_FAILED, e.getMessage());
    }
    try {
      String json = PRINTER.print(Payloads.newBuilder().addAllPayloads(answered));
      // The printer leaves out an empty list; the UI expects the field.
      return answered.isEmpty() ? "{\"payloads\":[]}" : json;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("payloads always print as JSON", e);
    }
  }
}
