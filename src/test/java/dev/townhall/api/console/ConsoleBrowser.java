package dev.townhall.api.console;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: both paths are given, so Selenium Manager is
 * never asked to find or download a driver or a browser (the machines that run the suite have no internet). A
 * throwaway profile directory, no background networking, no component updates, no sync.
 */
public final class ConsoleBrowser implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleBrowser.class);
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Dimension WINDOW = new Dimension(1440, 1000);

    private final ChromeDriver driver;
    private final Path profile;
    private final Path screenshots;

    private ConsoleBrowser(ChromeDriver driver, Path profile, Path screenshots) {
        this.driver = driver;
        this.profile = profile;
        this.screenshots = screenshots;
    }

    /**
     * The reason the browser cannot start here, or null when Chromium and its driver are installed. The console's
     * test fails with this reason rather than skipping: a skipped browser test looks like a passed one.
     */
    public static String missing() {
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                return program + " is not installed: the console's browser test drives Debian's chromium through"
                        + " chromium-driver; run scripts/install-deps --with-browser (./townhall test does)";
            }
        }
        return null;
    }

    /** Starts headless Chromium; screenshots go to {@code screenshots} (created, emptied of old PNGs). */
    public static ConsoleBrowser start(Path screenshots) {
        try {
            Files.createDirectories(screenshots);
            try (Stream<Path> old = Files.list(screenshots)) {
                for (Path png : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                    Files.delete(png);
                }
            }
            Path profile = Files.createTempDirectory("townhall-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                    "--user-data-dir=" + profile);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(WINDOW);
            return new ConsoleBrowser(driver, profile, screenshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void open(String url) {
        driver.get(url);
    }

    /** Waits until the page at {@code #/name} has rendered (main.js marks it data-ready) and returns it. */
    public WebElement page(String name) {
        By ready = By.cssSelector(".page[data-page='" + name + "'][data-ready='true']");
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(ready));
    }

    /** Waits for an element to be visible. */
    public WebElement visible(By by) {
        return new WebDriverWait(driver, WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    public List<WebElement> all(By by) {
        return driver.findElements(by);
    }

    public WebElement find(By by) {
        return driver.findElement(by);
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Runs {@code javascript} in the page and returns what it returns. */
    public Object script(String javascript) {
        return driver.executeScript(javascript);
    }

    /** Navigates inside the single-page app (changes only the hash, like a click on the navigation). */
    public void go(String hash) {
        driver.executeScript("window.location.hash = arguments[0]", hash);
    }

    /** A PNG of the whole page, also what lies below the window, as {@code screenshots/NAME.png}. */
    public Path screenshot(String name) {
        @SuppressWarnings("unchecked")
        Map<String, Number> size = (Map<String, Number>) driver.executeScript("return {width:"
                + " document.documentElement.scrollWidth, height: document.documentElement.scrollHeight}");
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "scale", 1,
                        "width", size.get("width"), "height", size.get("height"))));
        Path target = screenshots.resolve(name + ".png");
        try {
            Files.write(target, Base64.getDecoder().decode((String) shot.get("data")));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The browser console's messages since the last call (reading them empties the buffer). */
    public List<LogEntry> consoleLog() {
        return driver.manage().logs().get(LogType.BROWSER).getAll();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a profile Chromium still writes to while it exits: left for the temp directory's cleaner
            LOG.debug("browser profile {} not removed: {}", dir, e.getMessage());
        }
    }
}
