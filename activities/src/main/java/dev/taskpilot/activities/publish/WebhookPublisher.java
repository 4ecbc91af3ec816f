package dev.taskpilot.activities.publish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskpilot.activities.Redaction;
import dev.taskpilot.net.GuardedHttpClient;
import dev.taskpilot.net.Signatures;
import dev.taskpilot.net.TargetRefusedException;
import dev.taskpilot.store.PublicationRecord;
import dev.taskpilot.store.TaskSecrets;
import dev.taskpilot.workflows.activities.publish.PublishRequest;
import dev.taskpilot.workflows.activities.publish.PublishTarget;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The {@code webhook} target: POSTs the result as JSON with an {@code Idempotency-Key} that is the
 * same on every attempt, and, for a signed target, {@code X-Taskpilot-Signature} over the exact
 * body. The body is the same bytes on every attempt. A webhook cannot be asked whether an earlier
 * send arrived, so a maybe-delivered send is repeated with the same key and the receiver dedupes.
 */
@Singleton
public final class WebhookPublisher implements TargetPublisher<PublishTarget.Webhook> {
  public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
  public static final String SIGNATURE = "X-Taskpilot-Signature";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final GuardedHttpClient http;
  private final TaskSecrets secrets;
  private final String publicUrl;
  private final Duration timeout;

  public WebhookPublisher(
      GuardedHttpClient http,
      TaskSecrets secrets,
      @Property(name = "taskpilot.public-url") String publicUrl,
      @Value("${taskpilot.publish.webhook.timeout:30s}") Duration timeout) {
    this.http = http;
    this.secrets = secrets;
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.timeout = timeout;
  }

  @Override
  public Payload prepare(
      PublishRequest request, PublishTarget.Webhook target, PublicationRecord row)
      throws DeliveryFailure {
    uri(target);
    if (target.signed()) {
      secret(request, target);
    }
    byte[] body = body(request);
    return new Payload(body, TargetPublisher.sha256(body), null, null);
  }

  @Override
  public Reconciliation reconcile(
      PublishRequest request, PublishTarget.Webhook target, PublicationRecord row) {
    return Reconciliation.cannotAsk();
  }

  @Override
  public Delivery send(
      PublishRequest request, PublishTarget.Webhook target, PublicationRecord row, Payload payload)
      throws DeliveryFailure {
    URI uri = uri(target);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("User-Agent", "Taskpilot")
            .header(IDEMPOTENCY_KEY, row.idempotencyKey())
            .POST(HttpRequest.BodyPublishers.ofByteArray(payload.content()));
    if (target.signed()) {
      builder.header(SIGNATURE, Signatures.sha256(secret(request, target), payload.content()));
    }
    HttpResponse<String> response = exchange(builder.build());
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw DeliveryFailure.httpStatus(status);
    }
    return new Delivery(Redaction.url(target.url()), status, "HTTP " + status);
  }

  private HttpResponse<String> exchange(HttpRequest request) throws DeliveryFailure {
    try {
      return http.send(request);
    } catch (TargetRefusedException e) {
      throw DeliveryFailure.refused("refused (" + e.reason() + "): " + e.getMessage());
    } catch (HttpConnectTimeoutException e) {
      throw DeliveryFailure.failed("connecting timed out");
    } catch (HttpTimeoutException e) {
      // The request went out; whether it arrived is unknown.
      throw DeliveryFailure.unknown("no answer within " + timeout);
    } catch (UnknownHostException e) {
      throw DeliveryFailure.failed("the host does not resolve");
    } catch (ConnectException e) {
      throw DeliveryFailure.failed("could not connect: " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw DeliveryFailure.failed("could not resolve the host: " + e.getMessage());
    } catch (IOException e) {
      throw DeliveryFailure.unknown("the exchange broke off: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryFailure.unknown("interrupted while sending");
    }
  }

  @Override
  public String describe(PublishTarget.Webhook target) {
    return "webhook " + Redaction.url(target.url());
  }

  /** The exact body: the same bytes for the same request, on every attempt and worker. */
  byte[] body(PublishRequest request) {
    ObjectNode body = JSON.createObjectNode();
    body.put("taskId", request.taskId());
    body.put("title", request.title());
    body.put("summary", request.summary());
    body.put("result", request.resultText());
    body.putObject("links")
        .put(
            "task",
            publicUrl
                + "/api/v1/tasks/"
                + URLEncoder.encode(request.taskId(), StandardCharsets.UTF_8));
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings always serialises", e);
    }
  }

  private static URI uri(PublishTarget.Webhook target) throws DeliveryFailure {
    if (target.url() == null) {
      throw DeliveryFailure.refused("the webhook target needs a URL");
    }
    try {
      URI uri = new URI(target.url());
      String scheme = uri.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
        throw DeliveryFailure.refused("a webhook URL must be http or https");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw DeliveryFailure.refused("the webhook URL is not a valid URI");
    }
  }

  private String secret(PublishRequest request, PublishTarget.Webhook target)
      throws DeliveryFailure {
    return secrets
        .find(request.taskId(), target.key())
        .orElseThrow(
            () -> DeliveryFailure.refused("the target is signed but no signing secret is stored"));
  }
}
