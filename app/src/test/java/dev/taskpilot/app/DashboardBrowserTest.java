package dev.taskpilot.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskpilot.api.auth.ApiTokens;
import dev.taskpilot.api.auth.Role;
import dev.taskpilot.store.testing.TestDatabase;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (the system's headless Chromium): what a newcomer does with the
 * link {@code dev} prints. Every test ends with a screenshot in {@code app/target/screenshots/} and
 * fails on any script error or Content-Security-Policy refusal in the browser's console.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DashboardBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** An agent whose lines come one by one, slowly enough to be watched arriving. */
  private static final String TICKER =
      "for i in 1 2 3 4 5 6 7 8; do echo \"tick $i of 8\"; sleep 0.5; done; echo done";

  private static RunningTaskpilot taskpilot;
  private static HeadlessChromium chromium;
  private static ChromeDriver browser;
  private String screenshot;

  @BeforeAll
  static void start() throws Exception {
    Map<String, Object> config =
        FakeClaude.profiles(
            Map.of("fc-question", "question.jsonl", "fc-success", "success-write-tool.jsonl"),
            "10s");
    config.put("taskpilot.agents.ticker.command", List.of("bash", "-c", TICKER));
    config.put("taskpilot.agents.ticker.prompt", "stdin");
    config.put("taskpilot.agents.ticker.format", "text");
    config.put("taskpilot.agent.default", "ticker");
    config.put("taskpilot.dashboard.temporal-ui-url", "http://temporal-ui.invalid:8088");
    taskpilot =
        RunningTaskpilot.dev(
            1,
            Files.createTempDirectory("taskpilot-dashboard-"),
            TestDatabase.freshDatasourceProperties(),
            config);
    chromium = new HeadlessChromium();
    browser = chromium.driver();
  }

  @AfterAll
  static void stop() {
    if (chromium != null) {
      chromium.close();
    }
    if (taskpilot != null) {
      taskpilot.close();
    }
  }

  @BeforeEach
  void signedOut(TestInfo test) {
    screenshot = test.getTestMethod().orElseThrow().getName();
    browser.manage().window().setSize(HeadlessChromium.DESKTOP);
    // A file of the origin without the dashboard's scripts: nothing of the last test still runs
    // when its storage is cleared.
    browser.get(url("/assets/icon.svg"));
    browser.executeScript("localStorage.clear()");
  }

  @AfterEach
  void screenshotAndConsole() {
    chromium.screenshot(screenshot);
    assertThat(chromium.consoleErrors()).as("errors in the browser's console").isEmpty();
  }

  private static String url(String path) {
    return taskpilot.uri(path).toString();
  }

  /** Opens a page through the one-click link's fragment, as the link dev prints does. */
  private static void signInWithLink(String page) {
    browser.get(url("/") + "#token=" + taskpilot.adminToken());
    waitFor(By.id("who-owner"));
    if (page != null) {
      browser.get(url("/") + page);
    }
  }

  /** Waits, looking again when the page re-rendered what it was looking at. */
  private static WebDriverWait await() {
    return (WebDriverWait)
        new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
  }

  private static WebElement waitFor(By by) {
    return await().until(ExpectedConditions.visibilityOfElementLocated(by));
  }

  private static void waitForStatus(String status) {
    await()
        .until(
            ExpectedConditions.attributeToBe(
                By.cssSelector(".task-header .badge"), "data-status", status));
  }

  private static String statusShown() {
    return await()
        .until(
            d -> d.findElement(By.cssSelector(".task-header .badge")).getAttribute("data-status"));
  }

  @Test
  void shouldSignInWithTheLinkDevPrintsAndWipeTheTokenFromTheAddressBar() {
    // when
    browser.get(url("/") + "#token=" + taskpilot.adminToken());
    // then
    assertThat(waitFor(By.id("who-owner")).getText()).isEqualTo("default");
    assertThat(browser.getCurrentUrl()).doesNotContain("token").endsWith("#/tasks");
    assertThat(waitFor(By.tagName("h1")).getText()).isEqualTo("Tasks");
  }

  @Test
  void shouldRefuseAWrongTokenInTheLoginFormAndAcceptTheRightOne() {
    // given
    browser.get(url("/"));
    WebElement token = waitFor(By.id("login-token"));
    // when
    token.sendKeys("tp_not-a-real-token");
    browser.findElement(By.id("login-submit")).click();
    // then
    assertThat(waitFor(By.cssSelector("#login-error .problem")).getText()).contains("UNAUTHORIZED");
    // when
    WebElement again = browser.findElement(By.id("login-token"));
    again.clear();
    again.sendKeys(taskpilot.adminToken());
    browser.findElement(By.id("login-submit")).click();
    // then
    assertThat(waitFor(By.id("who-owner")).getText()).isEqualTo("default");
  }

  @Test
  void shouldCreateATaskFromTheFormAndShowItsOutputLiveUntilItSucceeds() {
    // given
    signInWithLink("#/tasks");
    waitFor(By.id("new-task")).click();
    waitFor(By.id("task-prompt")).sendKeys("Count to eight, slowly");
    browser.findElement(By.id("task-title")).sendKeys("Count slowly");
    browser.findElement(By.id("task-agent")).sendKeys("ticker");
    // when
    browser.findElement(By.id("create-submit")).click();
    // then: the task page shows the first lines while the agent still runs
    WebElement first = waitFor(By.cssSelector("#output .line[data-line='1']"));
    assertThat(first.getText()).isEqualTo("tick 1 of 8");
    assertThat(statusShown()).isEqualTo("RUNNING");
    assertThat(browser.findElements(By.cssSelector("#output .line"))).hasSizeLessThan(9);
    // and then every line, and the end
    waitForStatus("SUCCEEDED");
    await().until(d -> d.findElements(By.cssSelector("#output .line")).size() == 9);
    assertThat(browser.findElement(By.id("task-title")).getText()).isEqualTo("Count slowly");
    assertThat(browser.findElement(By.id("task-live")).getText()).isEqualTo("finished");
    waitFor(By.cssSelector("#timeline li"));
    assertThat(browser.findElement(By.id("temporal-link")).getAttribute("href"))
        .startsWith("http://temporal-ui.invalid:8088/namespaces/default/workflows/");
  }

  @Test
  void shouldApproveAGatedTaskWithItsButtonInAPhoneSizedWindow() {
    // given
    browser.manage().window().setSize(HeadlessChromium.PHONE);
    String id =
        taskpilot
            .create(
                "{\"prompt\": \"Deploy the docs\", \"title\": \"Deploy the docs\","
                    + " \"approval\": {\"beforeRun\": true}}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
    signInWithLink("#/tasks/" + id);
    WebElement approve = waitFor(By.id("do-approve"));
    assertThat(approve.getSize().getWidth()).isLessThanOrEqualTo(HeadlessChromium.PHONE.width);
    chromium.screenshot("approve-on-a-phone-before");
    // when
    approve.click();
    // then
    waitForStatus("SUCCEEDED");
    assertThat(taskpilot.awaitStatus(id, "SUCCEEDED", WAIT).path("run").path("attempt").asInt())
        .isEqualTo(1);
    assertThat(browser.findElements(By.id("do-approve"))).isEmpty();
  }

  @Test
  void shouldAnswerTheAgentsQuestionFromTheTaskPage() {
    // given
    String id =
        taskpilot
            .create("{\"prompt\": \"Write RESULT.md\", \"agent\": \"fc-question\"}")
            .path("id")
            .asText();
    signInWithLink("#/tasks/" + id);
    // when
    assertThat(waitFor(By.id("question-text")).getText()).startsWith("Which branch should I use?");
    browser.findElement(By.id("answer-text")).sendKeys("Use main");
    browser.findElement(By.id("do-input")).click();
    // then
    waitForStatus("SUCCEEDED");
    assertThat(browser.findElements(By.id("answer-form"))).isEmpty();
  }

  @Test
  void shouldShowARefusedFieldsErrorNextToTheField() {
    // given
    signInWithLink("#/new");
    waitFor(By.id("task-prompt")).sendKeys("Anything");
    browser.findElement(By.id("task-priority")).sendKeys("11");
    // when
    browser.findElement(By.id("create-submit")).click();
    // then
    WebElement error = waitFor(By.id("error-priority"));
    assertThat(error.getText()).contains("must be less than or equal to 10");
    assertThat(browser.findElement(By.id("field-priority")).getAttribute("class"))
        .contains("invalid");
    assertThat(browser.findElement(By.id("form-error")).getText()).contains("VALIDATION_FAILED");
    assertThat(browser.getCurrentUrl()).endsWith("#/new");
    // and an unknown agent is told at the agent field
    WebElement priority = browser.findElement(By.id("task-priority"));
    priority.clear();
    browser.findElement(By.id("task-agent")).sendKeys("no-such-agent");
    browser.findElement(By.id("create-submit")).click();
    await().until(d -> !d.findElement(By.id("error-agent")).getText().isBlank());
    assertThat(browser.findElement(By.id("error-priority")).getText()).isEmpty();
  }

  @Test
  void shouldAskBeforeCancellingAndCancelOnlyWhenConfirmed() {
    // given
    String id =
        taskpilot
            .create("{\"prompt\": \"Later\", \"notBefore\": \"2099-01-01T00:00:00Z\"}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "SCHEDULED", WAIT);
    signInWithLink("#/tasks/" + id);
    // when: asked, and declined
    waitFor(By.id("do-cancel")).click();
    waitFor(By.id("confirm-no")).click();
    // then
    assertThat(statusShown()).isEqualTo("SCHEDULED");
    // when: asked, and confirmed
    browser.findElement(By.id("do-cancel")).click();
    waitFor(By.id("confirm-yes")).click();
    // then
    waitForStatus("CANCELLED");
    JsonNode task = RunningTaskpilot.json(taskpilot.get("/api/v1/tasks/" + id));
    assertThat(task.path("status").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void shouldCreatePauseResumeAndTriggerAScheduleAndShowItsRuns() {
    // given
    signInWithLink("#/schedules");
    waitFor(By.id("schedule-name")).sendKeys("Nightly count");
    browser.findElement(By.id("schedule-cron")).sendKeys("0 3 * * *");
    WebElement zone = browser.findElement(By.id("schedule-timeZone"));
    zone.clear();
    zone.sendKeys("Europe/Berlin");
    browser.findElement(By.id("schedule-prompt")).sendKeys("Count to eight");
    browser.findElement(By.id("schedule-agent")).sendKeys("ticker");
    // when
    browser.findElement(By.id("schedule-submit")).click();
    // then
    By card = By.xpath("//div[contains(@class,'schedule')][.//strong[text()='Nightly count']]");
    assertThat(waitFor(card).getText()).contains("0 3 * * * Europe/Berlin", "next ");
    // when: paused, then resumed
    browser.findElement(card).findElement(By.xpath(".//button[text()='Pause']")).click();
    await().until(d -> d.findElement(card).getText().contains("paused"));
    browser.findElement(card).findElement(By.xpath(".//button[text()='Resume']")).click();
    await().until(d -> d.findElement(card).getText().contains("next "));
    // when: run now
    browser.findElement(card).findElement(By.xpath(".//button[text()='Run now']")).click();
    // then: its past runs show the run it started, linked to the task
    await()
        .until(
            d -> {
              WebElement details = d.findElement(card).findElement(By.tagName("details"));
              if (details.getAttribute("open") == null) {
                details.findElement(By.tagName("summary")).click();
              } else {
                details.findElement(By.tagName("summary")).click();
                details.findElement(By.tagName("summary")).click();
              }
              return details.getText().contains("STARTED (triggered)");
            });
    browser.findElement(card).findElement(By.linkText("task")).click();
    waitForStatus("SUCCEEDED");
  }

  @Test
  void shouldShowTheWorkerAndTheAgentSlotsOnTheFleetPage() {
    // given
    signInWithLink("#/fleet");
    // when
    WebElement slots = waitFor(By.id("slots"));
    WebElement worker = waitFor(By.cssSelector(".card.worker"));
    // then
    assertThat(slots.getText()).contains("ticker", "fc-question");
    assertThat(worker.getText()).contains("alive", "pid " + ProcessHandle.current().pid());
  }

  @Test
  void shouldUpdateTheTaskListLiveAndFilterIt() {
    // given
    signInWithLink("#/tasks");
    waitFor(By.cssSelector("#list-live.live"));
    // when: a task is made elsewhere (the API)
    String id =
        taskpilot
            .create("{\"prompt\": \"Count\", \"title\": \"Counted elsewhere\"}")
            .path("id")
            .asText();
    // then: its row appears and its status follows without a reload
    By row = By.cssSelector("a.task-row[data-task-id='" + id + "']");
    assertThat(waitFor(row).getText()).contains("Counted elsewhere");
    await()
        .until(
            ExpectedConditions.attributeToBe(
                By.cssSelector("a.task-row[data-task-id='" + id + "'] .badge"),
                "data-status",
                "SUCCEEDED"));
    // when: filtered by status, then by another agent
    new Select(browser.findElement(By.id("filter-status"))).selectByValue("SUCCEEDED");
    await().until(ExpectedConditions.urlContains("status=SUCCEEDED"));
    assertThat(waitFor(row).isDisplayed()).isTrue();
    WebElement agent = waitFor(By.id("filter-agent"));
    agent.sendKeys("fc-question", Keys.ENTER);
    await().until(ExpectedConditions.urlContains("agent=fc-question"));
    await().until(ExpectedConditions.invisibilityOfElementLocated(row));
  }

  @Test
  void shouldShowAgentCostPerAgentOnTheCostsPage() {
    // given
    String id =
        taskpilot
            .create("{\"prompt\": \"Write RESULT.md\", \"agent\": \"fc-success\"}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "SUCCEEDED", WAIT);
    // when
    signInWithLink("#/costs");
    // then
    WebElement perAgent = waitFor(By.xpath("//section[h2='Per agent']//tr[td[1]='fc-success']"));
    assertThat(perAgent.getText()).contains("$0.0016");
    assertThat(browser.findElements(By.cssSelector("#cost-days .bar-row"))).hasSize(30);
  }

  @Test
  void shouldAskBeforeALinkSwitchesASignedInPersonToAnotherAccount() {
    // given: signed in as the admin, and a link with another owner's token
    signInWithLink("#/tasks");
    String bob =
        taskpilot
            .runtime()
            .context()
            .getBean(ApiTokens.class)
            .create("bob", Role.OPERATOR, null)
            .secret();
    // when: the link is opened and the switch declined
    browser.get(url("/") + "#token=" + bob);
    WebElement question = waitFor(By.id("confirm-dialog"));
    assertThat(question.getText()).contains("signs you in as bob (operator), instead of default");
    browser.findElement(By.id("confirm-no")).click();
    // then
    await().until(ExpectedConditions.urlToBe(url("/") + "#/tasks"));
    assertThat(waitFor(By.id("who-owner")).getText()).isEqualTo("default");
    // when: opened again and accepted
    browser.get(url("/") + "#token=" + bob);
    waitFor(By.id("confirm-yes")).click();
    // then: bob, who may not see the fleet
    await().until(ExpectedConditions.textToBe(By.id("who-owner"), "bob"));
    assertThat(browser.findElement(By.cssSelector("nav a[data-page='fleet']")).isDisplayed())
        .isFalse();
    assertThat(browser.findElement(By.cssSelector("nav a[data-page='new']")).isDisplayed())
        .isTrue();
  }

  @Test
  void shouldOfferAViewerNoCommandsAndNoNewTask() {
    // given: a task of the viewer's owner, waiting at its approval gate
    String viewer =
        taskpilot
            .runtime()
            .context()
            .getBean(ApiTokens.class)
            .create("default", Role.VIEWER, null)
            .secret();
    String id =
        taskpilot
            .create("{\"prompt\": \"Wait for me\", \"approval\": {\"beforeRun\": true}}")
            .path("id")
            .asText();
    taskpilot.awaitStatus(id, "AWAITING_APPROVAL", WAIT);
    // when
    browser.get(url("/"));
    waitFor(By.id("login-token")).sendKeys(viewer);
    browser.findElement(By.id("login-submit")).click();
    waitFor(By.id("who-owner"));
    browser.get(url("/") + "#/tasks/" + id);
    // then: the task, but no button, and neither New task nor Fleet
    waitForStatus("AWAITING_APPROVAL");
    assertThat(browser.findElements(By.cssSelector("#actions button, #gate button"))).isEmpty();
    assertThat(browser.findElement(By.cssSelector("nav a[data-page='new']")).isDisplayed())
        .isFalse();
    assertThat(browser.findElement(By.cssSelector("nav a[data-page='fleet']")).isDisplayed())
        .isFalse();
    taskpilot.post("/api/v1/tasks/" + id + "/cancel", "{}");
  }
}
