package dev.taskpilot.activities.agent.process;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Peak resident memory of this JVM over a stretch of time, for {@link AgentRunnerBenchmark}: resets
 * the kernel's high-water mark ({@code VmHWM}) where allowed, and samples {@code VmRSS} as well;
 * also the heap still in use after a full collection, which shows what the run kept.
 */
final class MemoryWatch {
  private static final Path STATUS = Path.of("/proc/self/status");

  private final long before;
  private final long heapBefore;
  private final AtomicLong sampled;
  private final Thread sampler;

  private MemoryWatch(long before, long heapBefore) {
    this.before = before;
    this.heapBefore = heapBefore;
    this.sampled = new AtomicLong(before);
    this.sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    sampled.accumulateAndGet(kib("VmRSS"), Math::max);
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
  }

  static MemoryWatch start() {
    try {
      Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    } catch (IOException e) {
      // Older kernels: the sampled peak still counts.
    }
    long heap = heapAfterGc();
    return new MemoryWatch(kib("VmRSS"), heap);
  }

  Peak stop() throws InterruptedException {
    sampler.interrupt();
    sampler.join();
    long peak = Math.max(sampled.get(), kib("VmHWM"));
    return new Peak(before, peak, heapAfterGc() - heapBefore);
  }

  /** Resident sizes in KiB, the heap kept in bytes. */
  record Peak(long before, long highWater, long heapKept) {
    double heapKeptMiB() {
      return heapKept / 1024.0 / 1024.0;
    }

    double growthMiB() {
      return (highWater - before) / 1024.0;
    }

    double beforeMiB() {
      return before / 1024.0;
    }

    double highWaterMiB() {
      return highWater / 1024.0;
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long kib(String field) {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // No /proc.
    }
    return 0;
  }
}
