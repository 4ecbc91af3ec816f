package dev.taskpilot.activities.summary;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;
import dev.langchain4j.service.V;

/** The summariser as a LangChain4j AI service. */
interface SummaryAssistant {

  @SystemMessage(
      """
      You summarise what an autonomous agent did for a task, for a notification and a publish
      payload. Three sentences at most, plain text, no preamble. Say what was done and what the
      outcome is; do not invent anything the output does not show.""")
  @UserMessage(
      """
      Task: {{title}}
      Request:
      <<<
      {{prompt}}
      >>>
      The end of the agent's output:
      <<<
      {{output}}
      >>>""")
  String summarise(
      @V("title") String title, @V("prompt") String prompt, @V("output") String output);
}
