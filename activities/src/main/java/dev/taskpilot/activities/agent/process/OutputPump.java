package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import dev.taskpilot.store.OutputLineRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a process's output on a thread of its own until end of stream, numbers the lines, stores
 * them through the sink in batches and keeps a bounded tail in memory.
 */
final class OutputPump {
  private static final int PROGRESS_LINE_CHARS = 200;

  private final InputStream input;
  private final AgentOutputSink sink;
  private final AgentProcessSpec spec;
  private final AgentRunnerSettings settings;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final List<OutputLine> batch = new ArrayList<>();
  private volatile RuntimeException failure;
  private volatile long lastActivity = System.nanoTime();
  private Instant batchSince = Instant.MIN;
  private int batchBytes;
  private int tailChars;
  private long nextNumber;
  private long lines;
  private String lastLine = "";
  private boolean closed;

  OutputPump(
      InputStream input,
      AgentOutputSink sink,
      AgentProcessSpec spec,
      long firstNumber,
      AgentRunnerSettings settings) {
    this.input = input;
    this.sink = sink;
    this.spec = spec;
    this.settings = settings;
    this.nextNumber = firstNumber;
  }

  void start() {
    Thread.ofPlatform().daemon().name("agent-output-" + spec.taskId()).start(this::read);
  }

  /** Waits up to {@code timeout} for the end of the output; true when it came. */
  boolean awaitEnd(Duration timeout) {
    try {
      return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ended.getCount() == 0;
    }
  }

  /** Stores the pending batch when it has waited long enough; rethrows a failure of the sink. */
  synchronized void flushIfDue() {
    if (failure != null) {
      throw failure;
    }
    if (!batch.isEmpty() && !Instant.now().isBefore(batchSince.plus(settings.flushInterval()))) {
      flush();
    }
  }

  /** Stores what is pending and ignores any output that still arrives. */
  synchronized void close() {
    if (failure != null) {
      throw failure;
    }
    closed = true;
    flush();
  }

  /** Stores what it can of the pending batch after the run has failed; never throws. */
  synchronized void abandon() {
    closed = true;
    try {
      flush();
    } catch (RuntimeException e) {
      // The run is failing already; its own exception is the one to report.
    }
  }

  /**
   * How long no output has arrived, in nanoseconds: since the last bytes were read, or since the
   * pump was created when none were. Bytes of an unfinished line count, so a long line that is
   * still being written (or a progress bar that redraws itself with carriage returns) is not
   * silence.
   */
  long silentNanos() {
    return System.nanoTime() - lastActivity;
  }

  synchronized AgentProgress progress() {
    String shortLine =
        lastLine.length() > PROGRESS_LINE_CHARS
            ? lastLine.substring(0, PROGRESS_LINE_CHARS) + "..."
            : lastLine;
    return new AgentProgress(lines, nextNumber - 1, shortLine);
  }

  synchronized long lines() {
    return lines;
  }

  synchronized String lastLine() {
    return lastLine;
  }

  synchronized String tail() {
    return String.join("\n", tail);
  }

  private void read() {
    LineAssembler assembler = new LineAssembler(settings.maxLineBytes(), this::add);
    byte[] buffer = new byte[64 * 1024];
    try (input) {
      int count;
      while ((count = input.read(buffer)) != -1) {
        lastActivity = System.nanoTime();
        assembler.feed(buffer, count);
      }
      assembler.finish();
    } catch (IOException e) {
      // The stream was closed under us: the run is over.
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      ended.countDown();
    }
  }

  private synchronized void add(String text) {
    if (closed) {
      return;
    }
    Instant now = Instant.now();
    // A line counts with its line break, so even empty lines fill a batch.
    int bytes = (int) OutputLineRecord.bytes(text);
    if (batchBytes + bytes > settings.flushBytes()) {
      flush();
    }
    if (batch.isEmpty()) {
      batchSince = now;
    }
    batch.add(new OutputLine(nextNumber++, text, now));
    batchBytes += bytes;
    lines++;
    lastLine = text;
    remember(text);
    if (batchBytes >= settings.flushBytes()
        || !now.isBefore(batchSince.plus(settings.flushInterval()))) {
      flush();
    }
  }

  /** The length of {@code text} in UTF-8; a surrogate pair counts four bytes. */
  static int utf8Length(String text) {
    return (int) (OutputLineRecord.bytes(text) - 1);
  }

  private void remember(String text) {
    String kept =
        text.length() > settings.tailChars() ? text.substring(0, settings.tailChars()) : text;
    tail.addLast(kept);
    tailChars += kept.length() + 1;
    while (tail.size() > settings.tailLines()
        || (tail.size() > 1 && tailChars - 1 > settings.tailChars())) {
      tailChars -= tail.removeFirst().length() + 1;
    }
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<OutputLine> chunk = List.copyOf(batch);
    batch.clear();
    batchBytes = 0;
    sink.append(spec.taskId(), spec.attempt(), chunk);
  }
}
