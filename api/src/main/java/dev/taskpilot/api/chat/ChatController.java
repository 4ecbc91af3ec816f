package dev.taskpilot.api.chat;

import dev.taskpilot.api.auth.Caller;
import dev.taskpilot.api.auth.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** The chat assistant that manages tasks in natural language. */
@Controller("/api/v1/chat")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.OPERATOR)
class ChatController {
  private final ChatService chat;

  ChatController(ChatService chat) {
    this.chat = chat;
  }

  @Post
  ChatReply send(Caller caller, @Body @Valid @NotNull ChatRequest request) {
    return chat.chat(caller, request.message());
  }

  @Get("/history")
  @Secured(Roles.VIEWER)
  List<ChatHistoryEntry> history(Caller caller) {
    return chat.history(caller.owner());
  }

  @Delete("/history")
  HttpResponse<Void> clear(Caller caller) {
    chat.clear(caller.owner());
    return HttpResponse.noContent();
  }
}
