package dev.herald.query;

import static org.assertj.core.api.Assertions.assertThat;

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
 * loads without console errors, lists the campaigns and shows a finished run's progress bar full.
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

        wait.until(d -> (Boolean) browser.executeScript("const row = document.querySelector("
                + "'tr[data-campaign=\"' + arguments[0] + '\"]'); if (row) row.click(); return !!row",
                Scenario.SPRING));
        wait.until(d -> d.findElement(By.id("chart-campaign")).getText().equals(Scenario.SPRING));
        wait.until(d -> (Boolean) browser.executeScript("return !!document.querySelector('#chart-1m canvas')"
                + " && !!document.querySelector('#chart-1h canvas')"));
        wait.until(d -> d.findElement(By.id("state")).getText().equals("RUNNING"));

        List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
        assertThat(errors).as("console errors").isEmpty();
    }
}
