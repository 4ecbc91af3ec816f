package dev.taskpilot.activities.agent.process;

import dev.taskpilot.activities.agent.profile.AllowedHosts;
import dev.taskpilot.net.HostResolver;
import dev.taskpilot.net.NetworkConfig;
import dev.taskpilot.net.OutboundGuard;
import dev.taskpilot.net.SystemHostResolver;
import dev.taskpilot.net.TargetRefusedException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of one sandboxed run: an HTTP CONNECT proxy on a Unix domain socket, which the
 * sandbox sees and bridges to {@code 127.0.0.1:3128} inside its own network namespace (with {@code
 * socat}, as Anthropic's sandbox runtime does). A tunnel is opened only to a host:port the
 * profile's {@code allowed-hosts} lists, by name, when every address the name resolves to is a
 * public one (the {@code net} module's {@link OutboundGuard} rules, with no exceptions): never
 * loopback, private, link-local or metadata addresses, so never the worker's PostgreSQL, Temporal
 * or API. Anything but CONNECT is refused: agents speak HTTPS through it. At most {@value
 * #MAX_CONNECTIONS} tunnels at once; closing the proxy ends them all.
 */
final class SandboxProxy implements AutoCloseable {
  /** The most tunnels one run may hold open at once. */
  static final int MAX_CONNECTIONS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(SandboxProxy.class);
  private static final int MAX_HEAD_BYTES = 8_192;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final byte[] END_OF_HEAD = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Opens a TCP connection; tests route public test addresses to loopback servers with theirs. */
  @FunctionalInterface
  interface Dialer {
    Socket dial(InetSocketAddress target, Duration timeout) throws IOException;
  }

  /** How the proxy resolves names and reaches addresses. */
  record Network(HostResolver resolver, Dialer dialer) {
    /** The operating system's resolver, and plain TCP. */
    static Network system() {
      return new Network(new SystemHostResolver(), Network::direct);
    }

    /** {@code resolver}, and plain TCP. */
    static Network resolvingWith(HostResolver resolver) {
      return new Network(resolver, Network::direct);
    }

    private static Socket direct(InetSocketAddress target, Duration timeout) throws IOException {
      Socket socket = new Socket();
      try {
        socket.connect(target, (int) timeout.toMillis());
        return socket;
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }
  }

  private final ServerSocketChannel server;
  private final Path socket;
  private final AllowedHosts allowed;
  private final Network network;
  private final String taskId;
  private final OutboundGuard addresses;
  private final Semaphore tunnels = new Semaphore(MAX_CONNECTIONS);
  private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private SandboxProxy(
      ServerSocketChannel server,
      Path socket,
      AllowedHosts allowed,
      Network network,
      String taskId) {
    this.server = server;
    this.socket = socket;
    this.allowed = allowed;
    this.network = network;
    this.taskId = taskId;
    // No allow-list of its own: every non-public address is refused, whatever
    // taskpilot.network.allowed-hosts lets webhooks reach.
    this.addresses =
        new OutboundGuard(
            new NetworkConfig(List.of()),
            host -> {
              throw new UnknownHostException("the proxy checks addresses only: " + host);
            });
    this.acceptor = Thread.ofVirtual().name("sandbox-proxy-" + taskId).unstarted(this::accept);
  }

  /**
   * Listens on a new Unix domain socket at {@code socket} (its directory must exist and should be
   * private to the worker) for the run of {@code taskId}.
   */
  static SandboxProxy open(Path socket, AllowedHosts allowed, Network network, String taskId)
      throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      server.close();
      throw e;
    }
    SandboxProxy proxy = new SandboxProxy(server, socket, allowed, network, taskId);
    proxy.acceptor.start();
    return proxy;
  }

  /** The socket the proxy listens on. */
  Path socket() {
    return socket;
  }

  private void accept() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("Sandbox proxy of task {} stopped accepting: {}", taskId, e.getMessage());
        }
        return;
      }
      if (!tunnels.tryAcquire()) {
        answer(client, 503, "too many connections through the sandbox proxy");
        closeQuietly(client);
        continue;
      }
      open.add(client);
      Thread.ofVirtual()
          .name("sandbox-proxy-" + taskId)
          .start(
              () -> {
                try {
                  serve(client);
                } finally {
                  open.remove(client);
                  closeQuietly(client);
                  tunnels.release();
                }
              });
    }
  }

  private void serve(SocketChannel client) {
    byte[] head;
    byte[] rest;
    try {
      byte[][] read = readHead(client);
      if (read == null) {
        return;
      }
      head = read[0];
      rest = read[1];
    } catch (IOException e) {
      return;
    }
    String requestLine =
        new String(head, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      answer(client, 400, "not an HTTP/1 request");
      return;
    }
    if (!parts[0].equals("CONNECT")) {
      refuse(client, 405, printable(parts[0]), "only CONNECT (HTTPS) goes through the proxy");
      return;
    }
    Optional<Target> target = Target.parse(parts[1]);
    if (target.isEmpty()) {
      answer(client, 400, "CONNECT needs host:port");
      return;
    }
    Target wanted = target.get();
    if (allowed.find(wanted.host(), wanted.port()).isEmpty()) {
      refuse(client, 403, wanted.toString(), "not in the profile's allowed-hosts");
      return;
    }
    List<InetAddress> resolved;
    try {
      resolved = network.resolver().resolve(wanted.host());
    } catch (UnknownHostException e) {
      resolved = List.of();
    }
    if (resolved.isEmpty()) {
      refuse(client, 502, wanted.toString(), "the name does not resolve");
      return;
    }
    for (InetAddress address : resolved) {
      Optional<String> why = refusal(address);
      if (why.isPresent()) {
        refuse(client, 403, wanted.toString(), why.get());
        return;
      }
    }
    Socket upstream = dial(resolved, wanted.port());
    if (upstream == null) {
      refuse(client, 502, wanted.toString(), "no address of it could be reached");
      return;
    }
    open.add(upstream);
    try {
      LOG.debug("Sandbox proxy of task {}: tunnel to {}", taskId, wanted);
      write(
          client,
          "HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      OutputStream toUpstream = upstream.getOutputStream();
      toUpstream.write(rest);
      toUpstream.flush();
      Thread back =
          Thread.ofVirtual()
              .name("sandbox-proxy-" + taskId)
              .start(() -> upstreamToClient(upstream, client));
      clientToUpstream(client, upstream);
      back.join();
    } catch (IOException e) {
      // The tunnel ends when either side goes away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(upstream);
      closeQuietly(upstream);
    }
  }

  /** The request head and whatever followed it, or null when the client left before sending one. */
  private static byte[][] readHead(SocketChannel client) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_HEAD_BYTES);
    while (buffer.hasRemaining()) {
      if (client.read(buffer) < 0) {
        return null;
      }
      int end = indexOf(buffer.array(), buffer.position(), END_OF_HEAD);
      if (end >= 0) {
        byte[] bytes = buffer.array();
        return new byte[][] {
          Arrays.copyOfRange(bytes, 0, end),
          Arrays.copyOfRange(bytes, end + END_OF_HEAD.length, buffer.position())
        };
      }
    }
    answer(client, 431, "the request head is longer than " + MAX_HEAD_BYTES + " bytes");
    return null;
  }

  private static int indexOf(byte[] bytes, int length, byte[] wanted) {
    outer:
    for (int i = 0; i + wanted.length <= length; i++) {
      for (int j = 0; j < wanted.length; j++) {
        if (bytes[i + j] != wanted[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private Optional<String> refusal(InetAddress address) {
    try {
      addresses.checkHostAtCreation(address.getHostAddress());
      return Optional.empty();
    } catch (TargetRefusedException e) {
      return Optional.of(e.getMessage());
    }
  }

  private Socket dial(List<InetAddress> resolved, int port) {
    for (InetAddress address : resolved) {
      try {
        return network.dialer().dial(new InetSocketAddress(address, port), CONNECT_TIMEOUT);
      } catch (IOException e) {
        LOG.debug("Sandbox proxy of task {}: {} unreachable: {}", taskId, address, e.getMessage());
      }
    }
    return null;
  }

  private static void clientToUpstream(SocketChannel client, Socket upstream) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(16_384);
    OutputStream out = upstream.getOutputStream();
    try {
      while (client.read(buffer) >= 0) {
        out.write(buffer.array(), 0, buffer.position());
        out.flush();
        buffer.clear();
      }
    } finally {
      shutdownOutput(upstream);
    }
  }

  private static void upstreamToClient(Socket upstream, SocketChannel client) {
    byte[] buffer = new byte[16_384];
    try {
      InputStream in = upstream.getInputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        write(client, Arrays.copyOf(buffer, read));
      }
    } catch (IOException e) {
      // The tunnel ends when either side goes away.
    } finally {
      try {
        client.shutdownOutput();
      } catch (IOException e) {
        // Already closed.
      }
    }
  }

  private void refuse(SocketChannel client, int status, String target, String why) {
    LOG.info("Sandbox proxy of task {} refused {}: {}", taskId, target, why);
    answer(client, status, "taskpilot sandbox: " + target + " refused: " + why);
  }

  private static void answer(SocketChannel client, int status, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + reason(status)
            + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    try {
      write(client, head.getBytes(StandardCharsets.US_ASCII));
      write(client, body);
    } catch (IOException e) {
      // The client left.
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 403 -> "Forbidden";
      case 405 -> "Method Not Allowed";
      case 431 -> "Request Header Fields Too Large";
      case 502 -> "Bad Gateway";
      default -> "Service Unavailable";
    };
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  /** The text, for a log line: what an agent wrote is never logged raw. */
  private static String printable(String text) {
    String cut = text.length() > 100 ? text.substring(0, 100) + "…" : text;
    return cut.replaceAll("[^A-Za-z0-9.:\\[\\]_-]", "?");
  }

  private static void shutdownOutput(Socket socket) {
    try {
      socket.shutdownOutput();
    } catch (IOException e) {
      // Already closed.
    }
  }

  private static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Nothing left to do.
    }
  }

  /** Stops listening, ends every tunnel and removes the socket. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(server);
    open.forEach(SandboxProxy::closeQuietly);
    try {
      acceptor.join(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.debug("cannot delete {}: {}", socket, e.getMessage());
    }
  }

  /** A CONNECT target: a host name or address as written, and a port. */
  record Target(String host, int port) {
    static Optional<Target> parse(String authority) {
      int colon = authority.lastIndexOf(':');
      if (colon <= 0 || colon == authority.length() - 1) {
        return Optional.empty();
      }
      String host = authority.substring(0, colon);
      String port = authority.substring(colon + 1);
      if (!port.matches("[0-9]{1,5}") || !host.matches("[A-Za-z0-9.\\[\\]:_-]{1,255}")) {
        return Optional.empty();
      }
      int number = Integer.parseInt(port);
      return number < 1 || number > 65_535
          ? Optional.empty()
          : Optional.of(new Target(host, number));
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }
}
