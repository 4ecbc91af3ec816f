package dev.taskpilot.app;

import dev.taskpilot.workflows.task.TaskSearchAttributes;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The dev role's Temporal: the SDK's in-memory test server, with real time (no time skipping),
 * served over gRPC on 127.0.0.1 only, so extra workers on this machine can join and nothing else
 * can. Its state lives in memory and is gone when the process stops.
 */
final class EmbeddedEngine implements AutoCloseable {
  static final String HOST = "127.0.0.1";
  private static final String NAMESPACE = "default";

  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedEngine(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts the engine on the given port of 127.0.0.1 (0 for any free one). */
  static EmbeddedEngine start(int port) {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    var builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(HOST, port), InsecureServerCredentials.create());
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      EmbeddedEngine engine = new EmbeddedEngine(services, builder.build().start());
      try {
        engine.registerSearchAttributes();
      } catch (RuntimeException e) {
        engine.close();
        throw new IllegalStateException("could not register the search attributes", e);
      }
      return engine;
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "could not start the embedded Temporal engine on "
              + HOST
              + ":"
              + port
              + " (is another 'taskpilot dev' running? set TASKPILOT_DEV_TEMPORAL_PORT)",
          e);
    }
  }

  /**
   * Registers the tasks' search attributes over the engine's own gRPC port (the test server's
   * operator service), as compose's init container does for its server.
   */
  private void registerSearchAttributes() {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(target())
                .validateAndBuildWithDefaults());
    try {
      operator
          .blockingStub()
          .withDeadlineAfter(10, TimeUnit.SECONDS)
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(NAMESPACE)
                  .putAllSearchAttributes(TaskSearchAttributes.REGISTERED)
                  .build());
    } finally {
      operator.shutdownNow();
    }
  }

  /** The {@code host:port} workers and clients use. */
  String target() {
    return HOST + ":" + server.getPort();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
