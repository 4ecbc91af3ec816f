package dev.taskpilot.api.chat;

import dev.langchain4j.service.SystemMessage;
import dev.langchain4j.service.UserMessage;

/** The chat assistant as a LangChain4j AI service with task tools. */
interface ChatAssistant {

  @SystemMessage(
      """
      You are Taskpilot's assistant. You manage the user's tasks for an autonomous agent with
      the tools you have: create, list, show, cancel, approve, reject, run now and reprioritise.
      Use a tool whenever the user asks for one of these; never claim an action you did not take
      through a tool. When a tool refuses, tell the user why in plain words. Be brief.""")
  String chat(@UserMessage String message);
}
