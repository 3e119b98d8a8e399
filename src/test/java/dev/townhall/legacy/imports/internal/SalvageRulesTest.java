package dev.townhall.legacy.imports.internal;

import dev.townhall.TownHallException;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pure parts of the salvage rules: epoch units by magnitude, the day/month order a column's unambiguous
 * values decide, default_from templates, and the mapping file's checks of identity, default_from and fallback_from.
 */
class SalvageRulesTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void epochSecondsAndMillisecondsAreToldApartByMagnitudeInBothDirections() {
        Instant moment = Instant.parse("2021-03-04T05:06:07Z");
        // a milliseconds column holding seconds, and holding milliseconds
        assertThat(Dates.epochMillis(1_614_834_367L, 100_000_000_000L)).isEqualTo(moment);
        assertThat(Dates.epochMillis(1_614_834_367_000L, 100_000_000_000L)).isEqualTo(moment);
        // text epochs: 9-10 digits are seconds, 12-13 digits milliseconds, 11 digits are neither
        assertThat(Dates.parse("1614834367", UTC)).isEqualTo(moment);
        assertThat(Dates.parse("1614834367000", UTC)).isEqualTo(moment);
        assertThat(Dates.parse("16148343670", UTC)).isNull();
        // a text "0" is too short to tell its unit; a number column's 0 is the epoch itself, which the
        // plausibility window (not the parser) makes unknown
        assertThat(Dates.parse("0", UTC)).isNull();
        assertThat(Dates.epochMillis(0, 100_000_000_000L)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aColumnsUnambiguousDatesDecideHowItsAmbiguousOnesAreRead() {
        Dates.Inference dayFirst = Dates.infer('/', 40, 0);
        assertThat(dayFirst.order()).isEqualTo(Dates.Order.DAY_FIRST);
        assertThat(dayFirst.basis()).isEqualTo("inferred from 40 day-first and 0 month-first unambiguous slashed dates");
        assertThat(dayFirst.note()).as("against the default: every ambiguous value says why")
                .startsWith("ambiguous slashed date read day-first");
        Dates.Inference us = Dates.infer('/', 1, 30);
        assertThat(us.order()).as("one typo does not flip a column").isEqualTo(Dates.Order.MONTH_FIRST);
        assertThat(us.note()).as("agrees with the default").isNull();
        Dates.Inference conflicting = Dates.infer('/', 10, 12);
        assertThat(conflicting.order()).isEqualTo(Dates.Order.MONTH_FIRST);
        assertThat(conflicting.basis()).startsWith("default: conflicting evidence");
        assertThat(conflicting.note()).contains("(the default)");
        Dates.Inference none = Dates.infer('.', 0, 0);
        assertThat(none.order()).as("dots stay European without evidence").isEqualTo(Dates.Order.DAY_FIRST);
        assertThat(none.note()).isNull();
        assertThat(Dates.infer('.', 0, 5).order()).isEqualTo(Dates.Order.MONTH_FIRST);

        Dates.Orders european = new Dates.Orders(Dates.Order.DAY_FIRST, Dates.Order.DAY_FIRST, dayFirst.note(), null);
        assertThat(Dates.parse("03/04/2021", UTC, european)).isEqualTo(Instant.parse("2021-04-03T00:00:00Z"));
        assertThat(Dates.parse("03/04/2021", UTC)).as("the default").isEqualTo(Instant.parse("2021-03-04T00:00:00Z"));
        assertThat(Dates.parse("25/04/2021", UTC, european)).isEqualTo(Instant.parse("2021-04-25T00:00:00Z"));
        assertThat(Dates.parse("04.03.2021 05:06", UTC, new Dates.Orders(Dates.Order.MONTH_FIRST,
                Dates.Order.MONTH_FIRST, null, null))).isEqualTo(Instant.parse("2021-04-03T05:06:00Z"));
        assertThat(Dates.parse("25/12/2020", UTC)).as("a day above 12 in a month-first column means one thing")
                .isEqualTo(Instant.parse("2020-12-25T00:00:00Z"));
        assertThat(Dates.parse("12/25/2020", UTC, european)).isEqualTo(Instant.parse("2020-12-25T00:00:00Z"));
        assertThat(Dates.parse("31/04/2020", UTC, european)).as("no 31 April in either order").isNull();
        assertThat(european.noteFor("03/04/2021")).isEqualTo(dayFirst.note());
        assertThat(european.noteFor("25/04/2021")).as("unambiguous").isNull();
        assertThat(european.noteFor("04/04/2021")).as("day = month reads the same either way").isNull();
        assertThat(Dates.ambiguousSeparator("03.04.2021 10:00")).isEqualTo('.');
        assertThat(Dates.ambiguousSeparator("2021-03-04")).isEqualTo((char) 0);
    }

    @Test
    void defaultTemplatesFillFromTheRowOrGiveNothing() {
        DefaultTemplate meeting = DefaultTemplate.parse("Meeting on {started_at|date} with {source.attendees|list}");
        assertThat(meeting.placeholders()).containsExactly(
                new DefaultTemplate.Placeholder("started_at", false, "date"),
                new DefaultTemplate.Placeholder("attendees", true, "list"));
        Map<String, String> values = Map.of("started_at", "2024-03-05", "attendees", "Allan; Kristina,Allan ,");
        assertThat(meeting.render(p -> p.filter() == null || p.filter().equals("date") ? values.get(p.name())
                : DefaultTemplate.textFilter(p.filter(), values.get(p.name()))))
                .isEqualTo("Meeting on 2024-03-05 with Allan, Kristina");
        assertThat(meeting.render(p -> p.source() ? null : "2024-03-05")).as("a missing value: the next template")
                .isNull();
        assertThat(meeting.render(p -> "  ")).isNull();
        assertThat(DefaultTemplate.parse("(unknown)").render(p -> null)).isEqualTo("(unknown)");
        assertThat(DefaultTemplate.textFilter("local_part", "Jane.Doe@Acme.com")).isEqualTo("Jane.Doe");
        assertThat(DefaultTemplate.textFilter("local_part", "@acme.com")).isNull();
        assertThat(DefaultTemplate.textFilter("words", "one two three four five six seven eight nine ten"))
                .isEqualTo("one two three four five six seven eight …");
        assertThat(DefaultTemplate.textFilter("list", "a,b,c,d,e,f,g")).isEqualTo("a, b, c, d, e, and 2 more");
        assertThatThrownBy(() -> DefaultTemplate.parse("Deal {company_id|upper}"))
                .hasMessageContaining("unknown filter 'upper'");
        assertThatThrownBy(() -> DefaultTemplate.parse("Deal {Company}")).hasMessageContaining("brace");
    }

    @Test
    void theMappingFileRefusesSalvageRulesItCannotApply() {
        String valid = table("identity: [first_name, email]", "first_name: {from: firstname, required: true,"
                + " default_from: [\"{email|local_part}\", \"(unknown)\"]}");
        assertThat(MappingLoader.parse(valid, "test.yaml").tables().get(0).identity())
                .containsExactly("first_name", "email");
        assertRefused(table("identity: [phone]", "first_name: {from: firstname}"),
                "sources.robbie.tables[0] (contacts).identity: names 'phone', which this table's columns do not fill");
        assertRefused(table("", "first_name: {from: firstname, default_from: \"{phone}\"}"),
                ".columns.first_name.default_from: '{phone}' names {phone}, which this mapping does not fill");
        assertRefused(table("", "first_name: {from: firstname, default_from: \"{email|name}\"}"),
                "|name needs a ref column");
        assertRefused(table("", "first_name: {from: firstname, default: x, default_from: \"{email}\"}"),
                ".default_from: only applies to a column read from the source");
        assertRefused(table("", "first_name: {from: firstname, ref: robbie.contacts, default_from: \"x\"}"),
                ".default_from: only applies to a column read from the source (not a ref)");
        assertRefused(table("", "first_name: {from: firstname, default_from: \"{first_name}\"}"),
                "names the column itself");
        assertRefused(table("", "first_name: {from: firstname, default_from: \"{email|shout}\"}"),
                "unknown filter 'shout'");
        assertRefused(table("", "first_name: {from: firstname, normalise: timestamp, on_invalid: quarantine,"
                + " fallback_from: other}"), ".fallback_from: a refused value quarantines the row");
        assertRefused(table("", "first_name: {from: firstname, fallback_from: firstname}"),
                "names firstname, the column's own source");
        assertRefused(table("", "first_name: {value: x, fallback_from: other}"),
                ".fallback_from: only a column read from one source column");
    }

    private static void assertRefused(String yaml, String message) {
        assertThatThrownBy(() -> MappingLoader.parse(yaml, "test.yaml")).isInstanceOf(TownHallException.class)
                .hasMessageStartingWith("mapping file test.yaml: ").hasMessageContaining(message);
    }

    private static String table(String tableLine, String firstName) {
        return """
                version: 1
                organisation: testpilot
                town: aurora
                sources:
                  robbie:
                    tables:
                      - table: contacts
                        target: crm.contacts
                        key: id
                        %s
                        columns:
                          %s
                          email: {from: email, normalise: email}
                """.formatted(tableLine, firstName);
    }
}
