package dev.townhall.api;

import dev.townhall.api.console.ConsoleBrowser;
import dev.townhall.api.console.ConsoleData;
import dev.townhall.db.Database;
import dev.townhall.legacy.imports.ImportReport;
import dev.townhall.records.Records;
import dev.townhall.search.EmbeddingProvider;
import dev.townhall.search.EmbeddingProviders;
import dev.townhall.search.EmbeddingSettings;
import dev.townhall.search.EmbeddingWorker;
import dev.townhall.search.Search;
import dev.townhall.testing.PostgresExtension;
import dev.townhall.testing.TestCluster;
import dev.townhall.towns.Role;
import dev.townhall.towns.SampleTowns;
import dev.townhall.towns.Towns;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.support.ui.Select;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The console in a real browser (headless Chromium) against a real server over a real database: a small legacy
 * import with quarantined rows, the sample towns and a key for allan@aurora. Each step opens a page, checks what it
 * shows, saves a screenshot under {@code target/console-screenshots/} and checks that the browser's console logged
 * no error. Without Chromium the test fails and says how to install it.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    /** Well-formed, but no such key. */
    private static final String WRONG_KEY = "th_AAAAAAAAAAAA_" + "B".repeat(40);

    private final Database db;
    private final TestCluster cluster;
    private Towns towns;
    private EmbeddingProvider model;
    private ApiServer server;
    private ConsoleBrowser browser;
    private String allanKey;
    private ImportReport imported;

    ConsoleBrowserTest(Database db, TestCluster cluster) {
        this.db = db;
        this.cluster = cluster;
    }

    @BeforeAll
    void startServerAndBrowser() {
        String missing = ConsoleBrowser.missing();
        if (missing != null) {
            fail(missing);
        }
        towns = Towns.open(db);
        SampleTowns.ensure(towns);
        // allan may also act in fluenti (as a viewer): the console offers him a town switcher
        towns.addMember("allan", "fluenti", Role.VIEWER);
        ConsoleData.logSmallTownActivities(towns);
        imported = ConsoleData.importLegacy(cluster, db, "console");
        model = EmbeddingProviders.create(EmbeddingSettings.of(Map.of()));
        EmbeddingWorker.create(towns, model).run(towns.towns(), EmbeddingWorker.entityTypes(List.of()));
        ApiKeys keys = ApiKeys.on(towns);
        allanKey = keys.create("allan", "aurora", Optional.empty(), Optional.empty(), null).secret();
        server = ApiServer.start(db, towns, keys, Records.load(towns), Search.with(model),
                ServerSettings.defaults().withPort(0));
        browser = ConsoleBrowser.start(SCREENSHOTS);
    }

    @AfterAll
    void stop() throws Exception {
        // in the reverse order of starting; each close runs even when one before it failed
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (server != null) {
                    server.close();
                }
            } finally {
                try {
                    if (model != null) {
                        model.close();
                    }
                } finally {
                    if (towns != null) {
                        towns.close();
                    }
                }
            }
        }
    }

    /** Errors a failed step left behind were its own failure: each step starts with an empty console. */
    @BeforeEach
    void forgetEarlierSteps() {
        browser.consoleLog();
    }

    @Test
    @Order(1)
    void aWrongKeyIsRefusedWithTheServersMessage() {
        browser.open(server.url());
        browser.visible(By.id("key")).sendKeys(WRONG_KEY);
        browser.find(By.id("login")).click();
        WebElement error = browser.visible(By.cssSelector(".login-message .error"));
        assertThat(error.getText()).contains("401").contains("missing or invalid API key");
        assertThat(browser.script("return sessionStorage.getItem('townhall.key')")).isNull();
        browser.screenshot("01-login-refused");
        // the one error the browser reports is the refused request itself
        assertThat(severe(browser.consoleLog())).allSatisfy(message -> assertThat(message).contains("401"));
    }

    @Test
    @Order(2)
    void loggingInShowsWhoTheKeyActsAsAndTheRowsPerTown() {
        WebElement key = browser.find(By.id("key"));
        key.clear();
        key.sendKeys(allanKey);
        browser.find(By.id("login")).click();
        WebElement page = browser.page("overview");
        assertThat(browser.find(By.id("who-user")).getText()).isEqualTo("allan");
        assertThat(browser.find(By.id("who-role")).getText()).isEqualTo("owner");
        assertThat(browser.currentUrl()).doesNotContain(allanKey);
        assertThat(browser.script("return sessionStorage.getItem('townhall.key')")).isEqualTo(allanKey);
        assertThat(page.findElements(By.cssSelector("svg.chart rect"))).hasSizeGreaterThan(5);
        assertThat(legend(page)).contains("aurora", "fluenti", "collaboration");
        assertThat(page.getText()).contains("crm.activities", "crm.companies");
        shotWithoutErrors("02-towns-overview");
    }

    @Test
    @Order(3)
    void activitiesPerMonthAreChartedPerTown() {
        browser.go("#/activities");
        WebElement page = browser.page("activities");
        assertThat(legend(page)).contains("aurora", "fluenti", "collaboration");
        assertThat(page.findElements(By.cssSelector("svg.chart .column"))).hasSizeGreaterThanOrEqualTo(12);
        shotWithoutErrors("03-activities-per-month");
    }

    @Test
    @Order(4)
    void aHybridSearchFindsRowsByMeaningAndWords() {
        browser.go("#/search");
        browser.page("search");
        browser.find(By.id("search-query")).sendKeys(ConsoleData.SEARCH_TEXT);
        browser.find(By.id("search-button")).click();
        browser.visible(By.cssSelector("#search-results .hit"));
        List<WebElement> hits = browser.all(By.cssSelector("#search-results .hit"));
        assertThat(hits).isNotEmpty();
        assertThat(hits.get(0).getText().toLowerCase()).contains("robot arm");
        assertThat(browser.currentUrl()).contains("mode=hybrid");
        shotWithoutErrors("04-search");
    }

    @Test
    @Order(5)
    void theReconciliationShowsWhereEverySourceRowWent() {
        browser.go("#/imports");
        WebElement page = browser.page("imports");
        assertThat(page.getText()).contains("every row accounted for", "robbie.hubspot_contacts", "missing_required");
        // table headers are shown in capitals
        assertThat(page.getText()).containsIgnoringCase("links waiting").containsIgnoringCase("values kept aside");
        assertThat(legend(page)).contains("imported clean", "imported, values kept aside", "quarantined");
        assertThat(imported.quarantined()).as("the fixture quarantines rows").isPositive();
        shotWithoutErrors("05-import-reconciliation");
    }

    @Test
    @Order(6)
    void theSalvageReviewShowsTheValuesKeptAsideByReasonAndTheLinksWaiting() {
        browser.go("#/imports");
        WebElement issues = browser.page("imports").findElement(By.id("value-issues"));
        // the deal whose amount is not money: imported without it, "lots" kept aside
        WebElement lots = issues.findElement(By.xpath(".//tr[td/code[text()='lots']]"));
        assertThat(lots.getText()).contains("robbie.hubspot_deals", "amount_cents", "unparseable_amount");
        // an interaction naming contact 9 by an e-mail address contact 9 does not have (the fixture breaks it)
        WebElement link = browser.find(By.id("deferred-links"))
                .findElement(By.xpath(".//tr[td/code[text()='contact9@company10.example']]"));
        assertThat(link.getText()).contains("robbie_allan.interactions", "contact_id", "contact_by_email",
                "orphan_reference");

        lots.findElement(By.linkText("unparseable_amount")).click();
        browser.visible(By.xpath("//select[@id='reason-filter']/option[@selected and @value='unparseable_amount']"));
        List<WebElement> reasons = browser.all(By.cssSelector("#value-issues tbody td:first-child"));
        assertThat(reasons).isNotEmpty().allSatisfy(r -> assertThat(r.getText()).isEqualTo("unparseable_amount"));
        assertThat(browser.find(By.id("value-issues")).getText()).contains("lots");
        shotWithoutErrors("05b-values-kept-aside-of-one-reason");
    }

    @Test
    @Order(7)
    void theQuarantinePagesAndOpensARowWithItsReason() {
        browser.go("#/quarantine");
        WebElement page = browser.page("quarantine");
        assertThat(page.findElements(By.cssSelector("tbody tr"))).hasSize(25);
        shotWithoutErrors("06-quarantine");
        browser.find(By.id("next-page")).click();
        browser.visible(By.xpath("//span[@class='page-number' and text()='page 2']"));
        List<WebElement> secondPage = browser.all(By.cssSelector(".page[data-page='quarantine'] tbody tr"));
        assertThat(secondPage).isNotEmpty();
        secondPage.get(0).click();
        WebElement reason = browser.visible(By.id("quarantine-reason"));
        assertThat(reason.getText()).containsAnyOf("no_identity", "parent_quarantined", "missing_required",
                "orphan_reference", "unparseable_date");
        assertThat(browser.find(By.id("original-row")).findElements(By.cssSelector("tr"))).hasSizeGreaterThan(2);
        shotWithoutErrors("07-quarantined-row");
    }

    @Test
    @Order(8)
    void theAuditLogListsChangesAndShowsOne() {
        browser.go("#/audit");
        WebElement page = browser.page("audit");
        List<WebElement> rows = page.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).isNotEmpty();
        rows.get(0).click();
        assertThat(browser.visible(By.cssSelector("#audit-detail .card")).getText()).isNotBlank();
        shotWithoutErrors("08-audit");
    }

    @Test
    @Order(9)
    void theStatusPageShowsHealthAndMigrations() {
        browser.go("#/status");
        WebElement page = browser.page("status");
        assertThat(page.getText()).contains("healthy", "core-");
        shotWithoutErrors("09-migrations-and-health");
    }

    @Test
    @Order(10)
    void anotherTownOfTheUserIsChosenWithTheSwitcherAndLoggingOutForgetsTheKey() {
        browser.go("#/overview");
        browser.page("overview");
        new Select(browser.find(By.id("town-switcher"))).selectByValue("fluenti");
        browser.visible(By.xpath("//span[@id='who-role' and text()='viewer']"));
        WebElement page = browser.page("overview");
        assertThat(browser.all(By.id("nav-audit"))).as("a viewer has no audit page").isEmpty();
        assertThat(legend(page)).contains("fluenti");
        shotWithoutErrors("10-overview-as-viewer-in-fluenti");

        browser.find(By.id("logout")).click();
        browser.visible(By.id("key"));
        assertThat(browser.script("return sessionStorage.getItem('townhall.key')")).isNull();
        assertThat(severe(browser.consoleLog())).isEmpty();
    }

    private void shotWithoutErrors(String name) {
        browser.screenshot(name);
        assertThat(severe(browser.consoleLog())).as("errors in the browser console on " + name).isEmpty();
    }

    private static List<String> severe(List<LogEntry> log) {
        return log.stream().filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    private static List<String> legend(WebElement page) {
        return page.findElements(By.cssSelector(".legend li")).stream().map(WebElement::getText).toList();
    }
}
