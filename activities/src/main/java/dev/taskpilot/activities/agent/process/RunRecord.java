package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * What the run directory records about one started agent, so that a worker started after another
 * one was killed can find and end the process group it left behind. Pids are reused, so each pid
 * goes with its process's start time.
 *
 * @param pid the agent's leader process
 * @param pgid its process group (the leader's pid, as the leader starts the group)
 * @param startTime the leader's start time, clock ticks after boot ({@code /proc/<pid>/stat})
 * @param ownerPid the JVM that started the agent
 * @param ownerStartTime that JVM's start time, clock ticks after boot
 * @param bootId the kernel's boot id; after a reboot every recorded process is gone
 * @param pidNamespace the PID namespace the pids belong to; another one's pids mean nothing here
 * @param taskId the task the agent ran for
 */
record RunRecord(
    long pid,
    long pgid,
    long startTime,
    long ownerPid,
    long ownerStartTime,
    String bootId,
    String pidNamespace,
    String taskId) {

  /** The file name of this record. */
  String fileName() {
    return pid + "-" + startTime + RunDirectory.SUFFIX;
  }

  /** The record as a properties text. */
  String format() {
    Properties properties = new Properties();
    properties.setProperty("pid", Long.toString(pid));
    properties.setProperty("pgid", Long.toString(pgid));
    properties.setProperty("start-time", Long.toString(startTime));
    properties.setProperty("owner-pid", Long.toString(ownerPid));
    properties.setProperty("owner-start-time", Long.toString(ownerStartTime));
    properties.setProperty("boot-id", bootId);
    properties.setProperty("pid-namespace", pidNamespace);
    properties.setProperty("task-id", taskId);
    StringWriter text = new StringWriter();
    try {
      properties.store(text, "Taskpilot agent process group");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.toString();
  }

  /** The record in {@code text}; empty when it is not a complete record. */
  static Optional<RunRecord> parse(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
      return Optional.of(
          new RunRecord(
              Long.parseLong(properties.getProperty("pid")),
              Long.parseLong(properties.getProperty("pgid")),
              Long.parseLong(properties.getProperty("start-time")),
              Long.parseLong(properties.getProperty("owner-pid")),
              Long.parseLong(properties.getProperty("owner-start-time")),
              properties.getProperty("boot-id", ""),
              properties.getProperty("pid-namespace", ""),
              properties.getProperty("task-id", "")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The kernel's boot id, empty when unknown. */
  static String currentBootId() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** This JVM's PID namespace, such as {@code pid:[4026531836]}, empty when unknown. */
  static String currentPidNamespace() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }
}
