package dev.taskpilot.workflows.task;

/** Why a task failed: a stable code and a human sentence. */
public record ErrorInfo(String code, String message) {}
