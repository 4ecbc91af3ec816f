package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.output.AgentOutputSink;
import dev.taskpilot.activities.output.OutputLine;
import dev.taskpilot.store.DatabaseFailures;
import dev.taskpilot.store.OutputLineRecord;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reads a process's output on a thread of its own until end of stream, numbers the lines, stores
 * them through the sink in batches and keeps a bounded tail in memory.
 *
 * <p>While PostgreSQL cannot be reached, read lines stay pending in memory, up to {@link
 * AgentRunnerSettings#bufferBytes()}, and are stored, in order, when it is back (the sink stores a
 * batch again without duplicates). When the buffer is full the pump stops reading, so the agent
 * waits on its pipe: no line is dropped. Writes happen outside the pump's monitor, one at a time,
 * so the run loop's heartbeats never wait for the database.
 */
final class OutputPump {
  private static final Logger log = LoggerFactory.getLogger(OutputPump.class);
  private static final int PROGRESS_LINE_CHARS = 200;
  private static final long FIRST_RETRY_MILLIS = 250;
  private static final long LONGEST_RETRY_MILLIS = 5_000;

  private final InputStream input;
  private final AgentOutputSink sink;
  private final AgentProcessSpec spec;
  private final AgentRunnerSettings settings;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final ArrayDeque<String> tail = new ArrayDeque<>();
  private final ArrayDeque<OutputLine> pending = new ArrayDeque<>();
  private final ReentrantLock writing = new ReentrantLock();
  private volatile RuntimeException failure;
  private volatile long lastActivity = System.nanoTime();
  private Instant batchSince = Instant.MIN;
  private long pendingBytes;
  private int tailChars;
  private long nextNumber;
  private long lines;
  private String lastLine = "";
  private boolean closed;
  private boolean readerWaiting;
  // Whether the reader ever had to wait for the database (the buffer was full).
  private boolean heldBack;
  // While the database is unavailable: when to try again, and the delay after that.
  private long retryAtNanos;
  private long retryMillis;
  private Instant outageSince;

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
    // The activity's correlation ids (taskId, workflowId, runId, activityType, attempt, requestId)
    // on the pump's lines too.
    Map<String, String> ids = MDC.getCopyOfContextMap();
    Thread.ofPlatform()
        .daemon()
        .name("agent-output-" + spec.taskId())
        .start(
            () -> {
              if (ids != null) {
                MDC.setContextMap(ids);
              }
              read();
            });
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

  /**
   * Stores the pending lines when they have waited long enough, unless a write is under way or the
   * database is being waited for; rethrows a failure of the sink.
   */
  void flushIfDue() {
    if (failure != null) {
      throw failure;
    }
    boolean due;
    synchronized (this) {
      due =
          !pending.isEmpty() && !Instant.now().isBefore(batchSince.plus(settings.flushInterval()));
    }
    if (due && writing.tryLock()) {
      try {
        write(false);
      } finally {
        writing.unlock();
      }
    }
  }

  /**
   * Stores everything read, waiting for the database for up to {@link
   * AgentRunnerSettings#outageWait()} (calling {@code whileWaiting}, a heartbeat, between tries),
   * then ignores any output that still arrives.
   *
   * @throws IllegalStateException when the database did not come back in time
   */
  void close(Runnable whileWaiting) {
    if (failure != null) {
      throw failure;
    }
    long deadline = System.nanoTime() + settings.outageWait().toNanos();
    while (true) {
      boolean stored;
      writing.lock();
      try {
        stored = write(true);
      } finally {
        writing.unlock();
      }
      synchronized (this) {
        // A reader held back during an outage still has the rest of the pipe to read: it gets
        // to its end first (the agent has ended, so the end comes once the pipe is read).
        boolean readerDone =
            ended.getCount() == 0
                || (!heldBack && !readerWaiting)
                || System.nanoTime() - deadline > 0;
        if (stored && pending.isEmpty() && readerDone) {
          closed = true;
          notifyAll();
          return;
        }
      }
      if (stored) {
        awaitEnd(settings.flushInterval());
        continue;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(
            "PostgreSQL was unavailable for "
                + settings.outageWait()
                + "; "
                + pendingLines()
                + " output line(s) of the run could not be stored");
      }
      whileWaiting.run();
      pauseUntilRetry();
    }
  }

  /** Stores what it can of the pending lines after the run has failed; never throws. */
  void abandon() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    if (failure != null) {
      return;
    }
    writing.lock();
    try {
      write(true);
    } catch (RuntimeException e) {
      // The run is failing already; its own exception is the one to report.
    } finally {
      writing.unlock();
    }
  }

  /**
   * How long no output has arrived, in nanoseconds: since the last bytes were read, or since the
   * pump was created when none were. Bytes of an unfinished line count, so a long line that is
   * still being written (or a progress bar that redraws itself with carriage returns) is not
   * silence; neither is a pause in reading while the database is waited for.
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

  private synchronized int pendingLines() {
    return pending.size();
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

  private void add(String text) {
    if (queue(text) && writing.tryLock()) {
      try {
        write(false);
      } finally {
        writing.unlock();
      }
    }
  }

  /** Queues a line; true when the pending lines are due to be stored. */
  private synchronized boolean queue(String text) {
    // A line counts with its line break, so even empty lines fill a batch.
    long bytes = OutputLineRecord.bytes(text);
    while (!closed && !pending.isEmpty() && pendingBytes + bytes > settings.bufferBytes()) {
      // The buffer is full while the database is away: stop reading until it is back.
      readerWaiting = true;
      heldBack = true;
      lastActivity = System.nanoTime();
      try {
        wait(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        readerWaiting = false;
      }
    }
    if (closed) {
      return false;
    }
    Instant now = Instant.now();
    if (pending.isEmpty()) {
      batchSince = now;
    }
    pending.addLast(new OutputLine(nextNumber++, text, now));
    pendingBytes += bytes;
    lines++;
    lastLine = text;
    remember(text);
    return pendingBytes >= settings.flushBytes()
        || !now.isBefore(batchSince.plus(settings.flushInterval()));
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

  /**
   * With {@link #writing} held: stores the pending lines in batches of at most {@link
   * AgentRunnerSettings#flushBytes()}. Returns false when the database is unavailable (the lines
   * stay pending; unless {@code now}, nothing is tried before the backoff has passed); any other
   * failure of the sink is thrown.
   */
  private boolean write(boolean now) {
    while (true) {
      List<OutputLine> chunk = new ArrayList<>();
      long chunkBytes = 0;
      synchronized (this) {
        if (pending.isEmpty()) {
          return true;
        }
        if (!now) {
          if (outageSince != null && System.nanoTime() - retryAtNanos < 0) {
            return false;
          }
          if (pendingBytes < settings.flushBytes()
              && Instant.now().isBefore(batchSince.plus(settings.flushInterval()))) {
            // What is left is neither a full batch nor due: it waits for more lines.
            return true;
          }
        }
        for (OutputLine line : pending) {
          long bytes = OutputLineRecord.bytes(line.text());
          if (!chunk.isEmpty() && chunkBytes + bytes > settings.flushBytes()) {
            break;
          }
          chunk.add(line);
          chunkBytes += bytes;
        }
      }
      try {
        sink.append(spec.taskId(), spec.attempt(), chunk);
      } catch (RuntimeException e) {
        if (!DatabaseFailures.isConnectionFailure(e)) {
          // Not an outage: the run stops, and this batch is not tried again.
          failure = e;
          throw e;
        }
        waitingForDatabase(e);
        return false;
      }
      synchronized (this) {
        for (int i = 0; i < chunk.size(); i++) {
          pending.removeFirst();
        }
        pendingBytes -= chunkBytes;
        if (!pending.isEmpty()) {
          batchSince = pending.peekFirst().at();
        }
        if (outageSince != null) {
          log.info(
              "PostgreSQL is back: output of task {} (attempt {}) is stored again, {} line(s)"
                  + " still pending",
              spec.taskId(),
              spec.attempt(),
              pending.size());
          outageSince = null;
          retryMillis = 0;
        }
        notifyAll();
      }
    }
  }

  private synchronized void waitingForDatabase(RuntimeException e) {
    if (outageSince == null) {
      outageSince = Instant.now();
      log.warn(
          "PostgreSQL is unavailable ({}): output of task {} (attempt {}) is kept in memory, up to"
              + " {} bytes, until it is back",
          e.getMessage(),
          spec.taskId(),
          spec.attempt(),
          settings.bufferBytes());
    }
    retryMillis =
        retryMillis == 0 ? FIRST_RETRY_MILLIS : Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
  }

  private void pauseUntilRetry() {
    long waitNanos;
    synchronized (this) {
      waitNanos = retryAtNanos - System.nanoTime();
    }
    if (waitNanos > 0) {
      try {
        Thread.sleep(Duration.ofNanos(waitNanos));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
