package dev.townhall.legacy.imports.internal;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The named normalisers on the forms legacy exports really hold; none guesses. */
class NormalisersTest {
    private static final Set<String> PLACEHOLDERS = Set.of("", "n/a", "tbd", "none", "test@test.com");

    private static Object apply(String name, Object value) throws InvalidValue {
        return apply(name, value, Map.of());
    }

    private static Object apply(String name, Object value, Map<String, Object> args) throws InvalidValue {
        return Normalisers.get(name).apply(value, new Stub(args));
    }

    @Test
    void mojibakeIsRepairedAndGenuineAccentsAreLeftAlone() {
        assertThat(TextRepair.repair("CafÃ© LumiÃ¨re")).isEqualTo("Café Lumière");
        assertThat(TextRepair.repair("donâ€™t")).isEqualTo("don’t");
        assertThat(TextRepair.repair("ðŸŽ¯ Sales")).isEqualTo("🎯 Sales");
        assertThat(TextRepair.repair("\uF8FFüéØ Sales playbook")).as("the seeds' own Mac Roman damage")
                .isEqualTo("🎯 Sales playbook");
        assertThat(TextRepair.repair("Ren√©e M√ºller")).isEqualTo("Renée Müller");
        assertThat(TextRepair.repair("RenÃƒÂ©e")).as("damaged twice").isEqualTo("Renée");
        for (String genuine : List.of("Müller & Söhne", "Café", "São Paulo", "naïve — done", "Zürich 🎯", "plain")) {
            assertThat(TextRepair.repair(genuine)).isSameAs(genuine);
        }
    }

    @Test
    void datesInEveryExportFormatBecomeInstantsInTheSourceZone() throws InvalidValue {
        assertThat(apply("timestamp", "2021-03-04T05:06:07Z")).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(apply("timestamp", "2021-03-04 05:06:07.250")).isEqualTo(Instant.parse("2021-03-04T05:06:07.250Z"));
        assertThat(apply("timestamp", "2021-03-04T05:06:07-08:00")).isEqualTo(Instant.parse("2021-03-04T13:06:07Z"));
        assertThat(apply("timestamp", "2021-03-04 05:06:07+00")).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(apply("timestamp", "03/04/2021")).as("slashes: US order").isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
        assertThat(apply("timestamp", "04.03.2021 05:06")).as("dots: European order")
                .isEqualTo(Instant.parse("2021-03-04T05:06:00Z"));
        assertThat(apply("timestamp", "1614834367")).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(apply("timestamp", "2024-03-10 02:03:00", Map.of("zone", "America/New_York")))
                .as("a time New York skipped moves forward by the gap").isEqualTo(Instant.parse("2024-03-10T07:03:00Z"));
        assertThat(apply("timestamp", "2024-11-03 01:41:00", Map.of("zone", "America/New_York")))
                .as("a time New York had twice takes the earlier offset").isEqualTo(Instant.parse("2024-11-03T05:41:00Z"));
        assertThat(apply("timestamp", "TBD")).isNull();
        assertInvalid("timestamp", "2021-02-30", "unparseable_date");
        assertInvalid("timestamp", "13/45/2020", "unparseable_date");
        assertInvalid("timestamp", "yesterday", "unparseable_date");
        assertInvalid("timestamp", "9999-12-31", "implausible_date");
        assertInvalid("timestamp", "1/1/1900", "implausible_date");
        assertThat(apply("epoch_millis", "1614834367000")).isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertThat(apply("epoch_millis", "1614834367")).as("seconds in a milliseconds column")
                .isEqualTo(Instant.parse("2021-03-04T05:06:07Z"));
        assertInvalid("epoch_millis", "0", "implausible_date");
        assertInvalid("epoch_millis", "4102444800000", "implausible_date");
    }

    @Test
    void amountsAsCrmTextBecomeCentsAndTheCurrencyIsRead() throws InvalidValue {
        Map<String, Object> max = Map.of("max_cents", 10_000_000_000L);
        assertThat(apply("money_cents", "$12,500.00", max)).isEqualTo(1_250_000L);
        assertThat(apply("money_cents", "12500", max)).isEqualTo(1_250_000L);
        assertThat(apply("money_cents", "12.5k", max)).isEqualTo(1_250_000L);
        assertThat(apply("money_cents", "USD 40,135", max)).isEqualTo(4_013_500L);
        assertThat(apply("money_cents", "12.500,00 €", max)).isEqualTo(1_250_000L);
        assertThat(apply("money_cents", "", max)).isNull();
        assertThat(apply("currency", "12.500,00 €")).isEqualTo("EUR");
        assertThat(apply("currency", "$1")).isEqualTo("USD");
        assertInvalidWith("money_cents", "-$5000", max, "negative_amount");
        assertInvalidWith("money_cents", "999999999999", max, "absurd_amount");
        assertInvalidWith("money_cents", "1e9", max, "absurd_amount");
        assertInvalidWith("money_cents", "lots", max, "unparseable_amount");
    }

    @Test
    void emailsPhonesAndDomainsAreNormalisedOrRefused() throws InvalidValue {
        assertThat(apply("email", "  John.Doe@ACME.com\t")).isEqualTo("john.doe@acme.com");
        assertThat(apply("email", "mailto:john@acme.com")).isEqualTo("john@acme.com");
        assertThat(apply("email", "test@test.com")).as("a placeholder").isNull();
        for (String bad : List.of("john@acme", "john@@acme.com", "john at acme.com", "a@x.com; b@x.com", "john@")) {
            assertInvalid("email", bad, "invalid_email");
        }
        Map<String, Object> us = Map.of("default_country", "1");
        assertThat(apply("phone", "(415) 555-0100", us)).isEqualTo("+14155550100");
        assertThat(apply("phone", "1-415-555-0100", us)).isEqualTo("+14155550100");
        assertThat(apply("phone", "415.555.0100 x123", us)).isEqualTo("+14155550100;ext=123");
        assertThat(apply("phone", "+49 (0) 30 1234567", us)).isEqualTo("+49301234567");
        assertThat(apply("phone", "0044 20 7946 0000", us)).isEqualTo("+442079460000");
        assertThat(apply("phone", "030 123 4567", us)).as("no country is invented").isEqualTo("0301234567");
        assertInvalidWith("phone", "+1 (555) CALL-NOW", us, "invalid_phone");
        assertInvalidWith("phone", "555", us, "invalid_phone");
        assertThat(apply("domain", "HTTPS://WWW.Acme.com/about/?utm=1")).isEqualTo("acme.com");
        assertThat(apply("domain", "http://acme.com//")).isEqualTo("acme.com");
        assertThat(apply("domain", "n/a")).isNull();
        assertInvalid("domain", "not a domain", "invalid_domain");
    }

    @Test
    void countsRangesYearsAndJson() throws InvalidValue {
        assertThat(apply("headcount", "1,200")).isEqualTo(1_200L);
        assertThat(apply("headcount", "51-200")).isNull();
        assertThat(apply("headcount_range", "11 - 50")).isEqualTo("11-50");
        assertThat(apply("headcount_range", "1,000+")).isEqualTo("1,000+");
        assertInvalid("headcount", "200ish", "unparseable_number");
        assertInvalid("year", "2099", "out_of_range");
        assertThat(apply("year", "1998")).isEqualTo(1998L);
        assertThat(apply("json_object", "{\"b\": 1, \"a\": [1, 2]}")).isEqualTo(new Json("{\"b\":1,\"a\":[1,2]}"));
        for (String bad : List.of("{\"opens\": 3,", "{'a': 1}", "{\"a\": 1}}", "NaN", "{opens: 3}", "{\"x\": 01}")) {
            assertInvalid("json_object", bad, "invalid_json");
        }
        assertThat(apply("tags", " sales, playbook ,onboarding,,")).isEqualTo(List.of("sales", "playbook", "onboarding"));
        assertThat(Names.split("Roe, Jane")).containsExactly("Jane", "Roe");
        assertThat(Names.split("dr. john SMITH")).containsExactly("John", "Smith");
        assertThat(Names.companyKey("The ACME Corp.")).isEqualTo(Names.companyKey("acme, L.L.C.")).isEqualTo("acme");
        assertThat(MatchKeys.companyName("acme.com")).as("a host name is matched as a domain").isNull();
    }

    private static void assertInvalid(String name, String value, String code) {
        assertInvalidWith(name, value, Map.of(), code);
    }

    private static void assertInvalidWith(String name, String value, Map<String, Object> args, String code) {
        assertThatThrownBy(() -> apply(name, value, args)).as(name + " '" + value + "'")
                .isInstanceOf(InvalidValue.class)
                .matches(e -> ((InvalidValue) e).reasonCode().equals(code), "reason " + code);
    }

    /** The run's side of a normaliser call: UTC, the default window, the test's placeholders. */
    private record Stub(Map<String, Object> args) implements Normalisers.ValueContext {
        @Override
        public ZoneId zone() {
            Object zone = args.get("zone");
            return zone == null ? ZoneId.of("UTC") : ZoneId.of(zone.toString());
        }

        @Override
        public Instant plausibleFrom() {
            return Instant.parse("1970-01-02T00:00:00Z");
        }

        @Override
        public Instant plausibleTo() {
            return Instant.parse("2100-01-01T00:00:00Z");
        }

        @Override
        public boolean isPlaceholder(String text) {
            return PLACEHOLDERS.contains(text.strip().toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public UUID user(String textId) throws InvalidValue {
            throw new InvalidValue("unknown_user", textId);
        }

        @Override
        public void note(String reasonCode, String rawValue, String message, Object stored) {
        }

        @Override
        public Object arg(String name) {
            return new HashMap<>(args).get(name);
        }

        @Override
        public Object mapped(String value) {
            return value;
        }
    }
}
