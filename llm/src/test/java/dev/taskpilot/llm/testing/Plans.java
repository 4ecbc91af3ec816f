package dev.taskpilot.llm.testing;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.output.structured.Description;
import dev.langchain4j.service.AiServices;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Small AI-service types the fake-server tests drive through the real LangChain4j clients. */
final class Plans {

  private Plans() {}

  /** A structured answer; the time is a String because LangChain4j cannot parse its Instant. */
  record Plan(
      @Description("Priority from 1 (low) to 5 (urgent)") int priority,
      @Description("When to start, an ISO-8601 UTC instant") String start,
      @Description("Whether a human must approve the plan first") boolean needsApproval,
      @Description("Why this plan") String reasoning) {}

  interface Planner {
    Plan plan(String task);
  }

  interface Assistant {
    String chat(String message);
  }

  /** A tool object that records its invocations. */
  static final class RoomTools {
    final List<String> bookings = new CopyOnWriteArrayList<>();

    @Tool("Books a meeting room for a number of hours")
    String bookRoom(String room, int hours) {
      bookings.add(room + "/" + hours);
      return "Room " + room + " booked for " + hours + "h";
    }
  }

  static Planner planner(ChatModel model) {
    return AiServices.create(Planner.class, model);
  }

  static Assistant assistant(ChatModel model, Object tools) {
    return AiServices.builder(Assistant.class).chatModel(model).tools(tools).build();
  }
}
