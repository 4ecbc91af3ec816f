package dev.taskpilot.activities.output;

import java.time.Instant;

/**
 * One line of agent output.
 *
 * @param number the line's number within the task, counting on across attempts from 1
 * @param text the line without its line break, at most about 16 KiB
 * @param at when the line was read
 */
public record OutputLine(long number, String text, Instant at) {}
