/*
 * Open-loop HTTP load: offers POST requests at a constant rate, scheduled by the clock and not by
 * the answers (each request is sent on a virtual thread at its slot, however slow the server is),
 * and prints count, achieved rate, latency p50/p90/p99/max, counts per HTTP status and 5xx.
 * Latency is measured from a request's scheduled time, so a client that fell behind its schedule
 * shows up in the numbers instead of hiding (no coordinated omission). JDK only.
 *
 *   java bench/Load.java --url http://127.0.0.1:18080/api/v1/tasks --rate 30 --count 600 \
 *     --body '{"prompt": "task {i}", "labels": ["bench"]}' [--ids ids.txt] [--stats stats.env]
 *
 * Options:
 *   --url URL         where to POST (required)
 *   --rate R          requests per second (default 10)
 *   --count N         how many requests (default 100)
 *   --body TEMPLATE   the JSON body; {i} is replaced by the request number, 1..N (default {})
 *   --body-file FILE  the template read from a file instead
 *   --header 'K: V'   an extra request header, repeatable; {i} is replaced too
 *   --token-file FILE sends "Authorization: Bearer <the file's text>" (dev's admin-token)
 *   --timeout SEC     per-request timeout (default 60)
 *   --ids FILE        writes the "id" field of each 2xx answer, one a line, in request order
 *   --stats FILE      writes the results as shell variables (load_p50_ms=..., load_5xx=...,
 *                     load_first_epoch_ms=..., ...) for scripts to source
 *   --name NAME       the label of the printed lines (default load)
 * Exit status: 0 when the run happened (whatever the server answered), 2 on bad options, 1 when
 * not one request got an HTTP answer (the setup is broken).
 */

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Load {
  private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  public static void main(String[] args) throws Exception {
    Locale.setDefault(Locale.ROOT);
    String url = null;
    double rate = 10;
    int count = 100;
    String body = "{}";
    List<String> headers = new ArrayList<>();
    int timeoutSeconds = 60;
    Path idsFile = null;
    Path statsFile = null;
    String name = "load";
    for (int a = 0; a < args.length; a++) {
      String option = args[a];
      if (a + 1 >= args.length) {
        usage("missing value after " + option);
      }
      String value = args[++a];
      switch (option) {
        case "--url" -> url = value;
        case "--rate" -> rate = Double.parseDouble(value);
        case "--count" -> count = Integer.parseInt(value);
        case "--body" -> body = value;
        case "--body-file" -> body = Files.readString(Path.of(value));
        case "--header" -> headers.add(value);
        case "--token-file" ->
            headers.add("Authorization: Bearer " + Files.readString(Path.of(value)).strip());
        case "--timeout" -> timeoutSeconds = Integer.parseInt(value);
        case "--ids" -> idsFile = Path.of(value);
        case "--stats" -> statsFile = Path.of(value);
        case "--name" -> name = value;
        default -> usage("unknown option " + option);
      }
    }
    if (url == null || rate <= 0 || count < 1) {
      usage("--url is required, --rate and --count must be positive");
    }

    System.out.printf(
        "%s: offering %d POST %s at %.1f/s (open loop), timeout %d s, body %s%n",
        name, count, url, rate, timeoutSeconds, body.length() > 160 ? body.substring(0, 160) + "…" : body);

    ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    URI uri = URI.create(url);
    long[] latencyNanos = new long[count];
    int[] status = new int[count];
    String[] ids = new String[count];
    String[] errors = new String[count];
    long[] sentAt = new long[count];
    long[] doneAt = new long[count];
    long periodNanos = (long) (1e9 / rate);
    long startEpochMs = System.currentTimeMillis();
    long start = System.nanoTime();
    int behind = 0;

    for (int i = 0; i < count; i++) {
      long due = start + i * periodNanos;
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      if (System.nanoTime() - due > 10_000_000L) {
        behind++;
      }
      int n = i;
      String requestBody = body.replace("{i}", Integer.toString(i + 1));
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(timeoutSeconds))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(requestBody));
      for (String header : headers) {
        int colon = header.indexOf(':');
        request.header(
            header.substring(0, colon).trim(),
            header.substring(colon + 1).trim().replace("{i}", Integer.toString(i + 1)));
      }
      HttpRequest built = request.build();
      senders.submit(
          () -> {
            sentAt[n] = System.nanoTime();
            try {
              HttpResponse<String> response =
                  client.send(built, HttpResponse.BodyHandlers.ofString());
              status[n] = response.statusCode();
              if (response.statusCode() / 100 == 2) {
                Matcher id = ID.matcher(response.body());
                if (id.find()) {
                  ids[n] = id.group(1);
                }
              }
            } catch (IOException | RuntimeException e) {
              errors[n] = e.getClass().getSimpleName() + ": " + e.getMessage();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              errors[n] = "interrupted";
            }
            doneAt[n] = System.nanoTime();
            latencyNanos[n] = doneAt[n] - due;
          });
    }
    long lastDue = start + (count - 1) * periodNanos;
    senders.shutdown();
    senders.awaitTermination(timeoutSeconds + 60L, java.util.concurrent.TimeUnit.SECONDS);
    long end = Arrays.stream(doneAt).max().orElse(start);
    long firstSent = Arrays.stream(sentAt).filter(t -> t != 0).min().orElse(start);
    long lastSent = Arrays.stream(sentAt).max().orElse(start);

    Map<String, Integer> perStatus = new TreeMap<>();
    int answered = 0;
    int serverErrors = 0;
    int failures = 0;
    String firstError = null;
    for (int i = 0; i < count; i++) {
      if (status[i] != 0) {
        answered++;
        perStatus.merge(Integer.toString(status[i]), 1, Integer::sum);
        if (status[i] >= 500) {
          serverErrors++;
        }
      } else {
        failures++;
        perStatus.merge("no-answer", 1, Integer::sum);
        if (firstError == null) {
          firstError = errors[i];
        }
      }
    }
    long[] sorted = latencyNanos.clone();
    Arrays.sort(sorted);
    double sendSeconds = (lastSent - firstSent) / 1e9;
    double achieved = count > 1 && sendSeconds > 0 ? (count - 1) / sendSeconds : count;
    double p50 = ms(percentile(sorted, 50));
    double p90 = ms(percentile(sorted, 90));
    double p99 = ms(percentile(sorted, 99));
    double max = ms(sorted[sorted.length - 1]);
    double allAnswered = (end - start) / 1e9;

    System.out.printf(
        "%s: %d sent in %.2f s (achieved %.1f/s; %d sent >10 ms late; schedule spanned %.2f s),"
            + " last answer after %.2f s%n",
        name, count, sendSeconds, achieved, behind, (lastDue - start) / 1e9, allAnswered);
    System.out.printf(
        "%s: latency ms p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", name, p50, p90, p99, max);
    StringBuilder statuses = new StringBuilder();
    perStatus.forEach((k, v) -> statuses.append(' ').append(k).append('=').append(v));
    System.out.printf(
        "%s: status%s; 5xx %d; no answer %d%s%n",
        name,
        statuses,
        serverErrors,
        failures,
        firstError == null ? "" : " (first: " + firstError + ")");

    if (idsFile != null) {
      List<String> lines = new ArrayList<>();
      for (String id : ids) {
        if (id != null) {
          lines.add(id);
        }
      }
      Files.write(idsFile, lines);
    }
    if (statsFile != null) {
      long firstSentEpochMs = startEpochMs + (firstSent - start) / 1_000_000;
      String stats =
          String.format(
              "load_count=%d%nload_rate=%.2f%nload_p50_ms=%.1f%nload_p90_ms=%.1f%n"
                  + "load_p99_ms=%.1f%nload_max_ms=%.1f%nload_5xx=%d%nload_no_answer=%d%n"
                  + "load_first_epoch_ms=%d%nload_statuses='%s'%n",
              count,
              achieved,
              p50,
              p90,
              p99,
              max,
              serverErrors,
              failures,
              firstSentEpochMs,
              statuses.toString().trim());
      Files.writeString(statsFile, stats);
    }
    System.exit(answered == 0 ? 1 : 0);
  }

  private static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void usage(String problem) {
    System.err.println("Load.java: " + problem);
    System.err.println(
        "usage: java bench/Load.java --url URL [--rate R] [--count N] [--body TEMPLATE |"
            + " --body-file FILE] [--header 'K: V'] [--token-file FILE] [--timeout SEC] [--ids FILE] [--stats FILE]"
            + " [--name NAME]");
    System.exit(2);
  }
}
