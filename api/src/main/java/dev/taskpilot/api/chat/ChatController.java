package dev.taskpilot.api.chat;

import dev.taskpilot.api.tasks.TaskService;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The chat assistant that manages tasks in natural language. */
@Controller("/api/v1/chat")
@ExecuteOn(TaskExecutors.BLOCKING)
class ChatController {
  private final ChatService chat;

  ChatController(ChatService chat) {
    this.chat = chat;
  }

  @Post
  ChatReply send(@Body @Valid @NotNull ChatRequest request) {
    return chat.chat(TaskService.DEFAULT_OWNER, request.message());
  }

  @Get("/history")
  List<ChatHistoryEntry> history() {
    return chat.history(TaskService.DEFAULT_OWNER);
  }

  @Delete("/history")
  HttpResponse<Void> clear() {
    chat.clear(TaskService.DEFAULT_OWNER);
    return HttpResponse.noContent();
  }
}
