package dev.townhall.mcp.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lexical checks of the sql tool, without a database: what is code and what is only in a string or comment. */
class ReadOnlyQueryTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1",
            "select 1;",
            "SELECT 1; -- done\n",
            "SELECT 1 /* a, DELETE */ ;",
            "WITH x AS (SELECT 1 AS a) SELECT a FROM x",
            "VALUES (1), (2)",
            "TABLE crm.contacts",
            "SELECT 'a, DELETE FROM crm.contacts, SET x' AS s",
            "SELECT 'it''s fine'",
            "SELECT E'\\' DELETE FROM t \\\\'",
            "SELECT $$ DROP TABLE t $$, $tag$ $$ $tag$",
            "SELECT \"update\", \"set\" FROM (SELECT 1 AS \"update\", 2 AS \"set\") x",
            "SELECT /* nested /* comment */ still */ 1",
            "SELECT update_count, settings, into_x FROM t",
            "SELECT a$b$c FROM t",
            "SELECT substring('abc' from 1 for 2)",
    })
    void acceptsOneReadOnlyStatementWhateverItsStringsAndCommentsSay(String sql) {
        assertThat(ReadOnlyQuery.parse(sql).text()).doesNotEndWith(";");
    }

    @Test
    void dropsOnlyTheTrailingSemicolonAndWhatFollowsIt() {
        assertThat(ReadOnlyQuery.parse("SELECT 'x' ; -- bye").text()).isEqualTo("SELECT 'x' ");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 'a; b'",
            "SELECT 1 /* ; */",
            "SELECT 1 -- ;",
            "SELECT 1; -- ;",
            "SELECT $$;$$",
            "SELECT \"a;b\" FROM t",
    })
    void refusesASemicolonEvenInAStringOrComment(String sql) {
        assertRefused(sql, "';' only at its end");
    }

    @Test
    void endsALineCommentAtACarriageReturnAsPostgresqlDoes() {
        assertRefused("SELECT 1 --\r, set_config('townhall.town_id', 'x', true)", "may not call set_config");
        assertRefused("SELECT 1 --\r, 2 FROM t FOR UPDATE", "may not use UPDATE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT 1; DELETE FROM crm.contacts",
            "SELECT 1; SELECT 2",
            "SELECT 1;;",
            "SELECT ';'; SELECT 2",
            "SELECT E'\\''; SELECT 2 --'",
            "SELECT $a$ $b$ $a$; SELECT 1",
            "SELECT /* */ 1; /* x */ SELECT 2",
    })
    void refusesStackedStatements(String sql) {
        assertRefused(sql, "one statement only");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "INSERT INTO t VALUES (1)",
            "DELETE FROM t",
            "SET townhall.user_id = 'x'",
            "DO $$ BEGIN END $$",
            "COPY t TO STDOUT",
            "EXPLAIN SELECT 1",
            "BEGIN",
            "(SELECT 1)",
            "'x'",
            "\"select\" 1",
            "e'select'",
    })
    void refusesWhatDoesNotStartAsAQuery(String sql) {
        assertRefused(sql, "must start with SELECT, WITH, VALUES or TABLE");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d",
            "WITH u AS (UPDATE t SET a = 1 RETURNING *) SELECT * FROM u",
            "SELECT * INTO copy_of_t FROM t",
            "SELECT * FROM t FOR UPDATE",
            "SELECT 1 /* ok */ -- fine\n, (SELECT 2 FROM t FOR update) \n; -- x\n",
            "select 1 from t where exists (select 1) and false or (WITH x AS (insert into t values (1)) select 1) is null",
    })
    void refusesWritesAnywhereAsCode(String sql) {
        assertRefused(sql, "may not use");
    }

    @Test
    void refusesRowLocksAndNamesThem() {
        assertRefused("SELECT * FROM t FOR SHARE", "may not lock rows (FOR SHARE)");
        assertRefused("SELECT * FROM t FOR KEY SHARE", "may not lock rows (FOR KEY)");
        assertRefused("SELECT * FROM t FOR NO KEY UPDATE", "may not lock rows (FOR NO)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT set_config('townhall.user_id', '00000000-0000-0000-0000-000000000000', true)",
            "SELECT pg_catalog.SET_CONFIG('a', 'b', true)",
            "SELECT set_config /* x */ ('a', 'b', true)",
            "SELECT \"set_config\"('a', 'b', true)",
            "SELECT query_to_xml('select 1', true, true, '')",
            "SELECT * FROM ts_stat('select 1')",
            "SELECT pg_advisory_lock(1)",
            "SELECT pg_try_advisory_xact_lock(1)",
            "SELECT lo_import('/etc/passwd')",
            "SELECT pg_sleep(10)",
            "SELECT pg_notify('c', 'x')",
    })
    void refusesFunctionsThatRunSqlOfTheirOwnOrActBeyondTheQuery(String sql) {
        assertRefused(sql, "may not call");
    }

    @Test
    void refusesFormsThatAreEasyToMisreadAndSaysWhy() {
        assertRefused("SELECT U&'\\0027; DELETE'", "U&");
        assertRefused("SELECT u&\"d\\0061ta\" FROM t", "U&");
        assertRefused("SELECT E'a'\n'\\' ; DELETE FROM t; --'", "another line");
        assertRefused("SELECT 'open", "unclosed string");
        assertRefused("SELECT $x$ open", "unclosed $x$ quote");
        assertRefused("SELECT /* /* */ 1", "unclosed /* comment");
        assertRefused("SELECT \"open", "unclosed quoted identifier");
        assertRefused("SELECT (1", "unclosed '('");
        assertRefused("SELECT 1) AS q, (SELECT 2", "never opened");
        assertRefused("", "empty");
        assertRefused("-- only a comment", "empty");
    }

    @Test
    void refusesTheSystemViewsShowingOtherSessionsSql() {
        assertRefused("SELECT query FROM pg_stat_activity", "may not read pg_stat_activity");
        assertRefused("SELECT pg_catalog.pg_stat_get_backend_activity(1)", "may not read pg_stat_get_backend_activity");
        assertRefused("SELECT statement FROM pg_prepared_statements", "may not read pg_prepared_statements");
    }

    @Test
    void refusesAnOverLongQueryNamingTheLimit() {
        String sql = "SELECT '" + "x".repeat(ReadOnlyQuery.MAX_CHARS) + "'";
        assertRefused(sql, "at most " + ReadOnlyQuery.MAX_CHARS);
    }

    @Test
    void namesEveryIdentifierAsPostgresqlFoldsAndCutsIt() {
        String longName = "n".repeat(70);
        assertThat(ReadOnlyQuery.parse("SELECT c.First_Name, \"Mixed Case\", nextval ('s'), t.fn, " + longName
                        + " FROM crm.contacts c WHERE x = 'not_a_name' -- nor_this\n")
                .names())
                .contains("c", "first_name", "Mixed Case", "nextval", "fn", "crm", "contacts", "n".repeat(63))
                .doesNotContain("not_a_name", "nor_this", longName);
    }

    @Property
    void anyRefusedKeywordAsCodeIsRefusedWhereverItStands(@ForAll("refusedKeywords") String keyword,
                                                          @ForAll("harmlessWords") String before,
                                                          @ForAll("harmlessWords") String after) {
        assertRefused("SELECT " + before + " " + keyword + " " + after, "may not use " + keyword.toUpperCase());
    }

    @Property
    void aRefusedKeywordInsideAStringCommentOrQuotedNameIsOnlyText(@ForAll("refusedKeywords") String keyword,
                                                                    @ForAll("hidingPlaces") String hidingPlace) {
        ReadOnlyQuery.parse("SELECT " + hidingPlace.replace("KW", keyword + ", " + keyword) + " AS x");
    }

    @Provide
    Arbitrary<String> refusedKeywords() {
        return Arbitraries.of("insert", "UPDATE", "Delete", "merge", "copy", "do", "call", "set", "reset", "lock",
                "grant", "revoke", "create", "alter", "drop", "truncate", "vacuum", "analyze", "listen", "notify",
                "prepare", "execute", "deallocate", "discard", "into");
    }

    @Provide
    Arbitrary<String> harmlessWords() {
        return Arbitraries.of("", "a", "a,", "1 +", "'s'", "(1)", "x.y", "/* c */", "$$ d $$", "\"q\"", "e'\\''");
    }

    @Provide
    Arbitrary<String> hidingPlaces() {
        return Arbitraries.of("'KW'", "E'\\'KW'", "$$KW$$", "$t$KW$t$", "\"KW\"", "/* KW */ 1", "/* /* KW */ */ 1",
                "-- KW\n1", "-- KW\r1");
    }

    private static void assertRefused(String sql, String why) {
        assertThatThrownBy(() -> ReadOnlyQuery.parse(sql))
                .isInstanceOfSatisfying(TownHallException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT))
                .hasMessageContaining(why);
    }
}
