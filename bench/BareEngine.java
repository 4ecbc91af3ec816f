/*
 * Benchmark: the bare engine's own figure. The SDK's in-memory test server, started the way the dev
 * role's EmbeddedEngine starts it (TestServicesStarter, real time, gRPC on 127.0.0.1), a
 * WorkflowClient and one worker in this process, and a workflow of three no-op activities. Starts
 * N workflows with bounded concurrency and prints workflows/s (start of the first to completion of
 * the last) and the per-workflow latency (start call to result). bench/pipeline.sh compares the
 * whole Taskpilot pipeline with this figure.
 *
 *   java -cp app/target/taskpilot.jar bench/BareEngine.java [N]        (default 2000)
 *
 * The jar is thin: its manifest Class-Path names app/target/lib/*.jar, which the source launcher
 * follows, so the jar alone is the classpath. Knobs (system properties, before the file name):
 *   -Dconcurrency=100     workflows in flight at once
 *   -Dwarmup=200          workflows run (and not measured) first, so the JIT is warm
 *   -Dsticky=0s           the worker's sticky schedule-to-start timeout (Taskpilot's default is
 *                         0s, taskpilot.worker.sticky-timeout; try -Dsticky=5s)
 *   -Dcache=600           the worker factory's workflow cache (Taskpilot uses 600)
 *   -Dactivity.slots=50   concurrent activities of the worker
 *   -Dport=0              the engine's gRPC port (0: any free one)
 * Prints numbers and asserts nothing; exits 1 when a workflow fails.
 */

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

public class BareEngine {
  static final String QUEUE = "bare-engine-bench";

  @WorkflowInterface
  public interface ThreeSteps {
    @WorkflowMethod
    String run(int i);
  }

  @ActivityInterface
  public interface Steps {
    String plan(int i);

    String work(String plan);

    String publish(String result);
  }

  public static class ThreeStepsImpl implements ThreeSteps {
    private final Steps steps =
        Workflow.newActivityStub(
            Steps.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public String run(int i) {
      return steps.publish(steps.work(steps.plan(i)));
    }
  }

  public static class StepsImpl implements Steps {
    @Override
    public String plan(int i) {
      return "plan-" + i;
    }

    @Override
    public String work(String plan) {
      return plan;
    }

    @Override
    public String publish(String result) {
      return result;
    }
  }

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int concurrency = Integer.getInteger("concurrency", 100);
    int warmup = Integer.getInteger("warmup", 200);
    Duration sticky = Duration.parse("PT" + System.getProperty("sticky", "0s").toUpperCase());
    int cache = Integer.getInteger("cache", 600);
    int activitySlots = Integer.getInteger("activity.slots", 50);
    int port = Integer.getInteger("port", 0);

    TestServicesStarter services = new TestServicesStarter(true, 0);
    var builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress("127.0.0.1", port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    String target = "127.0.0.1:" + server.getPort();

    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    WorkerFactoryOptions factoryOptions =
        WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(cache).build();
    WorkerFactory factory = WorkerFactory.newInstance(client, factoryOptions);
    WorkerOptions options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(activitySlots)
            .setStickyQueueScheduleToStartTimeout(sticky)
            .build();
    Worker worker = factory.newWorker(QUEUE, options);
    worker.registerWorkflowImplementationTypes(ThreeStepsImpl.class);
    worker.registerActivitiesImplementations(new StepsImpl());
    factory.start();

    System.out.printf(
        "bare engine: %d workflows of 3 no-op activities, concurrency %d, warm-up %d;"
            + " engine TestServicesStarter (real time) on %s, workflow cache %d, sticky"
            + " schedule-to-start timeout %s, activity slots %d, other worker options SDK defaults"
            + " (JDK %s, %d cores)%n",
        count,
        concurrency,
        warmup,
        target,
        factoryOptions.getWorkflowCacheSize(),
        options.getStickyQueueScheduleToStartTimeout(),
        options.getMaxConcurrentActivityExecutionSize(),
        Runtime.version().feature(),
        Runtime.getRuntime().availableProcessors());

    int exit = 0;
    try {
      if (warmup > 0) {
        runBatch(client, "warmup-", warmup, concurrency);
      }
      Batch batch = runBatch(client, "bench-", count, concurrency);
      long[] latencies = batch.latenciesNanos;
      Arrays.sort(latencies);
      double seconds = (batch.lastEnd - batch.firstStart) / 1e9;
      System.out.printf(
          "bare engine: %d completed, %d failed in %.2f s: %.1f workflows/s;"
              + " latency p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          batch.completed,
          batch.failed,
          seconds,
          batch.completed / seconds,
          percentile(latencies, 50) / 1e6,
          percentile(latencies, 99) / 1e6,
          latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
      if (batch.failed > 0) {
        System.err.println("bare engine: " + batch.failed + " workflow(s) failed: " + batch.error);
        exit = 1;
      }
    } finally {
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
      stubs.shutdownNow();
      server.shutdownNow();
      services.close();
    }
    System.exit(exit);
  }

  record Batch(
      int completed, int failed, long firstStart, long lastEnd, long[] latenciesNanos, String error) {}

  static Batch runBatch(WorkflowClient client, String prefix, int count, int concurrency)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    long[] latencies = new long[count];
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);
    StringBuffer error = new StringBuffer();
    String run = prefix + System.nanoTime() + "-";
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < count; i++) {
        inFlight.acquire();
        int n = i;
        executor.submit(
            () -> {
              try {
                ThreeSteps stub =
                    client.newWorkflowStub(
                        ThreeSteps.class,
                        WorkflowOptions.newBuilder()
                            .setTaskQueue(QUEUE)
                            .setWorkflowId(run + n)
                            .build());
                long start = System.nanoTime();
                firstStart.accumulateAndGet(start, Math::min);
                stub.run(n);
                long end = System.nanoTime();
                lastEnd.accumulateAndGet(end, Math::max);
                latencies[n] = end - start;
                completed.incrementAndGet();
              } catch (RuntimeException e) {
                failed.incrementAndGet();
                if (error.isEmpty()) {
                  error.append(e);
                }
              } finally {
                inFlight.release();
              }
            });
      }
    }
    long[] done = Arrays.stream(latencies).filter(l -> l > 0).toArray();
    return new Batch(
        completed.get(), failed.get(), firstStart.get(), lastEnd.get(), done, error.toString());
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
