package dev.taskpilot.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The system's Chromium (Debian's {@code chromium} and {@code chromium-driver}), headless, driven
 * by Selenium. Both are named by path, so Selenium Manager never runs and nothing is downloaded. A
 * missing browser fails the test with how to install it ({@code .ci/run} installs it): a browser
 * test is never skipped.
 */
final class HeadlessChromium implements AutoCloseable {
  /** A phone's viewport (CSS pixels), for the pages approval links lead to. */
  static final Dimension PHONE = new Dimension(390, 844);

  static final Dimension DESKTOP = new Dimension(1280, 900);
  private static final List<String> BROWSERS =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser");
  private static final List<String> DRIVERS =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
  private static final Path SCREENSHOTS =
      Path.of(System.getProperty("taskpilot.home"), "app/target/screenshots");

  private final ChromeDriver driver;

  HeadlessChromium() {
    String browser = first(BROWSERS, "chromium");
    String driverPath = first(DRIVERS, "chromium-driver");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(browser);
    options.addArguments(
        "--headless=new",
        // Root in CI: Chromium's own sandbox needs an unprivileged user.
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--lang=en-US");
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", "en-US"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(Path.of(driverPath).toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(30))
            .build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    driver.manage().window().setSize(DESKTOP);
  }

  private static String first(List<String> candidates, String debianPackage) {
    return candidates.stream()
        .filter(path -> Files.isExecutable(Path.of(path)))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "the browser tests need Debian's "
                        + debianPackage
                        + " (none of "
                        + candidates
                        + " exists): `apt-get install chromium chromium-driver`, as .ci/run"
                        + " does"));
  }

  ChromeDriver driver() {
    return driver;
  }

  /** Saves what the browser shows as {@code app/target/screenshots/<name>.png}. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The browser console's errors since the last call: script errors, refusals by the page's
   * Content-Security-Policy. Not the lines Chromium logs for every 4xx answer the page asked for (a
   * refused form is part of a test).
   */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .filter(entry -> !entry.getMessage().contains("Failed to load resource"))
        .map(LogEntry::getMessage)
        .toList();
  }

  @Override
  public void close() {
    driver.quit();
  }
}
