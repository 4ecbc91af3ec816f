package dev.taskpilot.activities.planning;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;

/** The planner as a LangChain4j AI service. */
interface PlanAssistant {

  @SystemMessage(fromResource = "/prompts/planner-system.txt")
  @UserMessage("{{request}}")
  LlmPlan plan(@V("request") String request);

  @SystemMessage(fromResource = "/prompts/planner-system.txt")
  @UserMessage(
      """
      {{request}}

      Your previous plan for this task was rejected for these reasons:
      {{problems}}
      Answer again with a plan that fixes every one of them.""")
  LlmPlan repair(@V("request") String request, @V("problems") String problems);
}
