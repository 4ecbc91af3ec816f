package dev.taskpilot.llm.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FakeOpenAiServerErrorTest {

  private final FakeOpenAiServer server = new FakeOpenAiServer();

  @AfterEach
  void closeServer() {
    server.close();
  }

  private OpenAiChatModel model(Duration timeout) {
    return OpenAiChatModel.builder()
        .baseUrl(server.baseUrl())
        .apiKey("test-key")
        .modelName("gpt-test")
        .maxRetries(0)
        .timeout(timeout)
        .build();
  }

  static Stream<Arguments> statuses() {
    return Stream.of(
        Arguments.of(Behaviour.rateLimited(), RateLimitException.class, RetriableException.class),
        Arguments.of(
            Behaviour.serverError(), InternalServerException.class, RetriableException.class),
        Arguments.of(
            Behaviour.status(503, "Overloaded"),
            InternalServerException.class,
            RetriableException.class),
        Arguments.of(
            Behaviour.unauthorized(), AuthenticationException.class, NonRetriableException.class),
        Arguments.of(
            Behaviour.badRequest("Invalid schema for response_format"),
            InvalidRequestException.class,
            NonRetriableException.class),
        Arguments.of(
            Behaviour.status(404, "The model does not exist"),
            ModelNotFoundException.class,
            NonRetriableException.class));
  }

  @ParameterizedTest
  @MethodSource("statuses")
  void shouldRaiseMappedExceptionWhenServerAnswersErrorStatus(
      Behaviour.Status status, Class<?> expected, Class<?> family) {
    // given
    server.enqueue(status);

    // when / then
    assertThatThrownBy(() -> model(Duration.ofSeconds(5)).chat("hello"))
        .isExactlyInstanceOf(expected)
        .isInstanceOf(family)
        .hasMessageContaining(status.message());
    assertThat(server.requestCount()).isEqualTo(1);
  }

  @Test
  void shouldSendRetryAfterHeaderWhenRateLimited() throws Exception {
    // given
    server.enqueue(Behaviour.rateLimited());
    var request =
        java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(server.baseUrl() + "/chat/completions"))
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"))
            .build();

    // when
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());

    // then
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("1");
    assertThat(response.body()).contains("\"code\":\"rate_limit_exceeded\"");
  }

  @Test
  void shouldAnswerAgainWhenScriptedErrorIsUsedUp() {
    // given
    server.enqueue(Behaviour.serverError());
    OpenAiChatModel model = model(Duration.ofSeconds(5));

    // when
    assertThatThrownBy(() -> model.chat("first")).isInstanceOf(InternalServerException.class);
    String second = model.chat("second");

    // then
    assertThat(second).isEqualTo("OK: second");
    assertThat(server.requestCount()).isEqualTo(2);
  }

  @Test
  void shouldTimeOutWhenServerHangs() {
    // given
    server.enqueue(Behaviour.hang(Duration.ofSeconds(5)));

    // when / then
    assertThatThrownBy(() -> model(Duration.ofMillis(300)).chat("hello"))
        .isInstanceOf(TimeoutException.class)
        .isInstanceOf(RetriableException.class);
  }
}
