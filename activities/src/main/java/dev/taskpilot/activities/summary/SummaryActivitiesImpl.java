package dev.taskpilot.activities.summary;

import dev.langchain4j.service.AiServices;
import dev.taskpilot.llm.LlmClient;
import dev.taskpilot.llm.LlmFailures;
import dev.taskpilot.llm.LlmPurpose;
import dev.taskpilot.workflows.activities.summary.SummaryActivities;
import dev.taskpilot.workflows.activities.summary.SummaryRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Summaries by the model when one is configured; the agent's own result text otherwise. */
@Singleton
public class SummaryActivitiesImpl implements SummaryActivities {
  private static final Logger log = LoggerFactory.getLogger(SummaryActivitiesImpl.class);
  static final int MAX_PROMPT_IN_REQUEST = 4000;

  private final LlmClient llm;

  public SummaryActivitiesImpl(LlmClient llm) {
    this.llm = llm;
  }

  @Override
  public String summarise(SummaryRequest request) {
    var model = llm.forCaller(request.owner(), request.taskId(), LlmPurpose.SUMMARISE);
    if (model.isEmpty()) {
      return fallback(request);
    }
    try {
      String summary =
          AiServices.create(SummaryAssistant.class, model.get())
              .summarise(request.title(), shortened(request.prompt()), request.resultText());
      return summary == null || summary.isBlank() ? fallback(request) : bounded(summary.strip());
    } catch (RuntimeException e) {
      if (LlmFailures.isRetriable(e)) {
        throw e;
      }
      log.warn("the LLM could not summarise task {}: {}", request.taskId(), e.getMessage());
      return fallback(request);
    }
  }

  private static String fallback(SummaryRequest request) {
    return bounded(request.resultText() == null ? "" : request.resultText().strip());
  }

  private static String shortened(String prompt) {
    return prompt.length() <= MAX_PROMPT_IN_REQUEST
        ? prompt
        : prompt.substring(0, MAX_PROMPT_IN_REQUEST) + " …";
  }

  private static String bounded(String text) {
    int max = MAX_SUMMARY_LENGTH;
    return text.length() <= max ? text : text.substring(text.length() - max);
  }
}
