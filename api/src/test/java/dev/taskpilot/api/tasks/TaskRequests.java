package dev.taskpilot.api.tasks;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/** Builds {@link CreateTaskRequest}s, their publish targets and notify channels for tests. */
final class TaskRequests {

  private String prompt = "Summarise the open issues";
  private String title;
  private String agent;
  private String workspace;
  private Integer priority;
  private String notBefore;
  private String context;
  private List<String> labels;
  private CreateTaskRequest.Approval approval;
  private List<CreateTaskRequest.Target> publish;
  private List<CreateTaskRequest.Channel> notify;
  private BigDecimal budgetUsd;
  private String timeout;

  static TaskRequests task() {
    return new TaskRequests();
  }

  TaskRequests prompt(String value) {
    prompt = value;
    return this;
  }

  TaskRequests title(String value) {
    title = value;
    return this;
  }

  TaskRequests agent(String value) {
    agent = value;
    return this;
  }

  TaskRequests workspace(String value) {
    workspace = value;
    return this;
  }

  TaskRequests priority(Integer value) {
    priority = value;
    return this;
  }

  TaskRequests notBefore(String value) {
    notBefore = value;
    return this;
  }

  TaskRequests context(String value) {
    context = value;
    return this;
  }

  TaskRequests labels(String... values) {
    labels = List.of(values);
    return this;
  }

  TaskRequests approval(Boolean beforeRun, Boolean beforePublish) {
    approval = new CreateTaskRequest.Approval(beforeRun, beforePublish);
    return this;
  }

  TaskRequests publish(CreateTaskRequest.Target... targets) {
    publish = Arrays.asList(targets);
    return this;
  }

  TaskRequests notify(CreateTaskRequest.Channel... channels) {
    notify = Arrays.asList(channels);
    return this;
  }

  TaskRequests budgetUsd(String value) {
    budgetUsd = new BigDecimal(value);
    return this;
  }

  TaskRequests timeout(String value) {
    timeout = value;
    return this;
  }

  CreateTaskRequest build() {
    return new CreateTaskRequest(
        prompt, title, agent, workspace, priority, notBefore, context, labels, approval, publish,
        notify, budgetUsd, timeout);
  }

  static CreateTaskRequest.Target file(String path) {
    return new CreateTaskRequest.Target("file", path, null, null, null, null);
  }

  static CreateTaskRequest.Target webhook(String url) {
    return webhook(url, null);
  }

  static CreateTaskRequest.Target webhook(String url, String secret) {
    return new CreateTaskRequest.Target("webhook", null, url, secret, null, null);
  }

  static CreateTaskRequest.Target git(String remote) {
    return git(remote, null);
  }

  static CreateTaskRequest.Target git(String remote, String branch) {
    return new CreateTaskRequest.Target("git", null, null, null, remote, branch);
  }

  static CreateTaskRequest.Target target(
      String type, String path, String url, String secret, String remote, String branch) {
    return new CreateTaskRequest.Target(type, path, url, secret, remote, branch);
  }

  static CreateTaskRequest.Channel ntfy(String topic) {
    return ntfy(topic, null, null);
  }

  static CreateTaskRequest.Channel ntfy(String topic, String server, String token) {
    return new CreateTaskRequest.Channel("ntfy", topic, server, null, token, null);
  }

  static CreateTaskRequest.Channel chat(String url) {
    return chat(url, null);
  }

  static CreateTaskRequest.Channel chat(String url, List<String> events) {
    return new CreateTaskRequest.Channel("webhook", null, null, url, null, events);
  }

  static CreateTaskRequest.Channel channel(
      String type, String topic, String server, String url, String token, List<String> events) {
    return new CreateTaskRequest.Channel(type, topic, server, url, token, events);
  }
}
