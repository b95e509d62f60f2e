package dev.herald.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.avro.Channel;
import dev.herald.avro.MailMessage;
import dev.herald.avro.PushMessage;
import dev.herald.avro.Receipt;
import dev.herald.avro.ReceiptStatus;
import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs): it
 * loads without console errors, lists the campaigns and shows a finished run's progress bar full; once a sender's
 * receipts are in, the run shows DELIVERED with its delivery bar and the charts the receipts next to the results.
 */
class DashboardPageTest {
    private static final File CHROMIUM = new File("/usr/bin/chromium");
    private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

    private ScenarioServer server;
    private ChromeDriver browser;

    @BeforeEach
    void start() {
        Assumptions.assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
        server = new ScenarioServer();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pageListsTheCampaignsAndAFinishedRunsBarIsFullWithoutConsoleErrors() {
        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        // The page redraws every refresh, so everything is read in one script call rather than held as elements.
        List<Object> campaigns = wait.until(d -> {
            @SuppressWarnings("unchecked")
            List<Object> ids = (List<Object>) browser.executeScript("return [...document.querySelectorAll("
                    + "'tr[data-campaign]')].map(r => r.dataset.campaign)");
            return ids.size() == 3 ? ids : null;
        });
        assertThat(campaigns).containsExactly((Object) Scenario.PAUSED, Scenario.SPRING, Scenario.DIGEST);

        List<?> bar = wait.until(d -> (List<?>) browser.executeScript("const p = document.querySelector("
                + "'progress[data-run=\"' + arguments[0] + '\"]'); return p && [p.value, p.max, "
                + "p.nextSibling.textContent]", Scenario.SPRING_RUN));
        assertThat(((Number) bar.get(0)).doubleValue()).isEqualTo(((Number) bar.get(1)).doubleValue()).isPositive();
        assertThat((String) bar.get(2)).contains("(100.0%)");
        assertThat((Boolean) browser.executeScript("return !document.querySelector('progress.delivery')"))
                .as("no delivery bar before any sender has reported").isTrue();

        wait.until(d -> (Boolean) browser.executeScript("const row = document.querySelector("
                + "'tr[data-campaign=\"' + arguments[0] + '\"]'); if (row) row.click(); return !!row",
                Scenario.SPRING));
        wait.until(d -> d.findElement(By.id("chart-campaign")).getText().equals(Scenario.SPRING));
        wait.until(d -> (Boolean) browser.executeScript("return !!document.querySelector('#chart-1m canvas')"
                + " && !!document.querySelector('#chart-1h canvas')"));
        wait.until(d -> d.findElement(By.id("state")).getText().equals("RUNNING"));

        assertNoConsoleErrors();
    }

    @Test
    void aDeliveredRunShowsItsDeliveryBarAndTheChartsTheReceipts() {
        // A sender's receipts for every message of the spring run: one push target rejected, one mail failed for
        // good, one push delivered on its second attempt, the rest delivered at once.
        List<PushMessage> push = server.herald.pushOutbox().readValuesToList().stream()
                .filter(m -> m.getRunId().equals(Scenario.SPRING_RUN)).toList();
        List<MailMessage> mail = server.herald.mailOutbox().readValuesToList().stream()
                .filter(m -> m.getRunId().equals(Scenario.SPRING_RUN)).toList();
        assertThat(push).hasSizeGreaterThan(1);
        assertThat(mail).isNotEmpty();
        for (int i = 0; i < push.size(); i++) {
            PushMessage m = push.get(i);
            if (i == 1) {
                receipt(m.getMessageId(), m.getRecipientId(), Channel.PUSH, ReceiptStatus.RETRYING, 1);
            }
            receipt(m.getMessageId(), m.getRecipientId(), Channel.PUSH,
                    i == 0 ? ReceiptStatus.REJECTED_TARGET : ReceiptStatus.DELIVERED, i == 1 ? 2 : 1);
        }
        for (int i = 0; i < mail.size(); i++) {
            MailMessage m = mail.get(i);
            receipt(m.getMessageId(), m.getRecipientId(), Channel.MAIL,
                    i == 0 ? ReceiptStatus.FAILED : ReceiptStatus.DELIVERED, i == 0 ? 3 : 1);
        }
        server.herald.advance(Duration.ofSeconds(2));
        int messages = push.size() + mail.size();
        int delivered = messages - 2;

        browser.get("http://127.0.0.1:" + server.port() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));

        List<?> run = wait.until(d -> (List<?>) browser.executeScript("const row = document.querySelector("
                + "'tr[data-run=\"' + arguments[0] + '\"]'); const bar = row && row.querySelector("
                + "'progress.delivery'); if (!bar) return null; const status = row.querySelector('td.status');"
                + " return [status.textContent, getComputedStyle(status).color, bar.value, bar.max,"
                + " bar.nextSibling.textContent, row.cells[3].textContent, row.cells[4].textContent,"
                + " [...bar.nextSibling.querySelectorAll('.bad')].map(s => s.textContent).join('|')]",
                Scenario.SPRING_RUN));
        assertThat(run.get(0)).isEqualTo("DELIVERED");
        assertThat(run.get(1)).as("green").isEqualTo("rgb(47, 125, 74)");
        assertThat(((Number) run.get(2)).intValue()).isEqualTo(messages);
        assertThat(((Number) run.get(3)).intValue()).isEqualTo(messages);
        assertThat((String) run.get(4)).startsWith(" " + messages + " of " + messages
                        + " messages with a final receipt · " + delivered + " delivered · 1 failed · 1 rejected"
                        + " · 1 retries · last receipt ");
        assertThat((String) run.get(5)).endsWith(" msgs · delivered " + (push.size() - 1)
                + ", rejected 1, retries 1");
        assertThat((String) run.get(6)).endsWith(" msgs · delivered " + (mail.size() - 1) + ", failed 1");
        assertThat(run.get(7)).as("failures marked").isEqualTo(" · 1 failed| · 1 rejected");
        List<?> rendering = (List<?>) browser.executeScript("const p = document.querySelector("
                + "'progress[data-run=\"' + arguments[0] + '\"]'); return [p.value, p.max]", Scenario.SPRING_RUN);
        assertThat(((Number) rendering.get(0)).doubleValue()).as("rendering bar full")
                .isEqualTo(((Number) rendering.get(1)).doubleValue());

        wait.until(d -> (Boolean) browser.executeScript("const row = document.querySelector("
                + "'tr[data-campaign=\"' + arguments[0] + '\"]'); if (row) row.click(); return !!row",
                Scenario.SPRING));
        wait.until(d -> d.findElement(By.id("chart-campaign")).getText().equals(Scenario.SPRING));
        for (String window : List.of("1m", "1h")) {
            String totals = wait.until(d -> {
                String text = d.findElement(By.id("totals-" + window)).getText();
                return text.contains("delivered") ? text : null;
            });
            assertThat(totals).startsWith("Total: success ")
                    .endsWith(messages + " msgs · delivered " + delivered + ", failed 1, rejected 1, retries 1");
            String legend = wait.until(d -> d.findElement(By.cssSelector("#chart-" + window + " .u-legend"))
                    .getText());
            assertThat(legend).contains("delivered msgs", "failed msgs", "rejected msgs");
        }

        assertNoConsoleErrors();
    }

    private void receipt(String messageId, String recipientId, Channel channel, ReceiptStatus status, int attempt) {
        server.herald.receipts().pipeInput(recipientId, Receipt.newBuilder().setMessageId(messageId)
                .setCampaignId(Scenario.SPRING).setRunId(Scenario.SPRING_RUN).setRecipientId(recipientId)
                .setChannel(channel).setStatus(status).setAttempt(attempt).setAt(Scenario.NOW).build(), Scenario.NOW);
    }

    private void assertNoConsoleErrors() {
        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }
}
