package dev.taskpilot.llm;

import dev.langchain4j.exception.NonRetriableException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.service.output.OutputParsingException;

/**
 * Which LLM failures heal by themselves: rate limits, server errors and timeouts do; bad requests,
 * bad keys, missing models and malformed answers do not.
 */
public final class LlmFailures {
  private LlmFailures() {}

  /** Whether trying the same call again later can succeed. */
  public static boolean isRetriable(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof NonRetriableException || cause instanceof OutputParsingException) {
        return false;
      }
      // Connection refused or reset, a name that did not resolve, a request that timed out.
      if (cause instanceof RetriableException
          || cause instanceof java.net.SocketException
          || cause instanceof java.net.UnknownHostException
          || cause instanceof java.net.http.HttpTimeoutException
          || cause instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    // Unknown failures (parsing a malformed answer, for one) will not heal by waiting.
    return false;
  }
}
