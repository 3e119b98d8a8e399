package dev.townhall.mcp.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The text of one read-only query, checked lexically before it reaches the database, and every name it mentions.
 *
 * <p>The lexer follows PostgreSQL's own (standard_conforming_strings on): {@code '…'} strings, {@code E'…'} strings
 * with backslash escapes, {@code $tag$…$tag$} dollar quotes, {@code "quoted identifiers"}, {@code --} comments and
 * nested {@code /* *}{@code /} comments, so a {@code ;} or a keyword hidden in a string or comment is told apart from
 * one that is code. Forms whose reading is easy to get wrong are refused rather than lexed: {@code U&'…'} and
 * {@code U&"…"} escapes, and an {@code E'…'} string continued on another line (PostgreSQL keeps backslash escapes in
 * the continuation). It refuses a {@code ;} other than one ending the query, even in a string or comment (the JDBC
 * driver splits statements by its own reading, so none is ever sent), a text not starting with SELECT, WITH, VALUES
 * or TABLE, unbalanced parentheses, row locks ({@code FOR UPDATE/SHARE}) and every keyword of a statement that
 * writes or changes the session, anywhere as code.
 *
 * <p>{@link #names()} is every identifier the query mentions, not only those before a {@code (}: PostgreSQL also
 * calls a one-argument function written as a column ({@code t.fn} is {@code fn(t)}), so the caller checks every
 * name against the functions of the database. Names of functions that run SQL text of their own or act outside the
 * transaction are refused here already, whatever their volatility, so the refusal says why; so are the system views
 * showing other sessions' SQL (the application role's sessions serve every user).
 */
final class ReadOnlyQuery {
    static final int MAX_CHARS = 8_000;
    /** NAMEDATALEN - 1: PostgreSQL cuts longer identifiers, so a cut name is the one it looks up. */
    private static final int MAX_IDENTIFIER_BYTES = 63;

    private static final Set<String> FIRST_WORDS = Set.of("select", "with", "values", "table");
    /** Keywords of statements that write, lock or change the session; as code they have no read-only use. */
    private static final Set<String> REFUSED_KEYWORDS = Set.of("insert", "update", "delete", "merge", "copy", "do",
            "call", "set", "reset", "lock", "grant", "revoke", "create", "alter", "drop", "truncate", "vacuum",
            "analyze", "listen", "notify", "unlisten", "prepare", "execute", "deallocate", "discard", "into");
    /** Functions that run a query text of their own (which could call anything) or act beyond the transaction. */
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("set_config", "query_to_xml", "query_to_xmlschema",
            "query_to_xml_and_xmlschema", "cursor_to_xml", "cursor_to_xmlschema", "ts_stat", "ts_rewrite", "pg_notify",
            // these read a table named in a string, past the check of the names a query mentions
            "table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema", "schema_to_xml", "schema_to_xmlschema",
            "schema_to_xml_and_xmlschema", "database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema");
    private static final List<String> REFUSED_FUNCTION_PREFIXES = List.of("pg_advisory", "pg_try_advisory", "lo_",
            "dblink", "pg_sleep");
    /**
     * System views and functions showing the SQL of other sessions of the application role (every user's) or of
     * earlier requests on the same pooled connection.
     */
    private static final Set<String> OTHER_SESSIONS = Set.of("pg_stat_activity", "pg_stat_get_activity",
            "pg_stat_statements", "pg_prepared_statements", "pg_prepared_statement", "pg_cursors", "pg_cursor");
    private static final String OTHER_SESSIONS_PREFIX = "pg_stat_get_backend";

    private final String text;
    private final Set<String> names;

    private ReadOnlyQuery(String text, Set<String> names) {
        this.text = text;
        this.names = names;
    }

    /** The query without its trailing {@code ;}, ready to be nested as a subquery. */
    String text() {
        return text;
    }

    /** Every identifier the query mentions: unquoted ones in lower case, quoted ones as written. */
    Set<String> names() {
        return names;
    }

    /** {@code sql} checked, or INVALID_INPUT (field {@code query}) naming why it is refused. */
    static ReadOnlyQuery parse(String sql) {
        if (sql.length() > MAX_CHARS) {
            throw refused("query is " + sql.length() + " characters long; at most " + MAX_CHARS + " are accepted");
        }
        return new Lexer(sql).read();
    }

    private static TownHallException refused(String why) {
        return TownHallException.forField(ErrorCode.INVALID_INPUT, "query", why);
    }

    private static final class Lexer {
        private final String sql;
        private final Set<String> names = new TreeSet<>();
        private int at;
        private int depth;
        private String firstWord;
        private String previousWord;
        private int end = -1; // where the trailing ';' is, once seen as code

        Lexer(String sql) {
            this.sql = sql;
        }

        ReadOnlyQuery read() {
            while (skipSpaceAndComments()) {
                if (end >= 0) {
                    throw refused("query may hold one statement only; nothing may follow its ';'");
                }
                char c = sql.charAt(at);
                if (firstWord == null && !wordStart(c)) {
                    throw refused("query must start with SELECT, WITH, VALUES or TABLE");
                }
                if (c == ';') {
                    end = at++;
                } else if (c == '\'') {
                    string(false);
                } else if (c == '"') {
                    quotedIdentifier();
                } else if (c == '$' && dollarQuoteAhead()) {
                    dollarQuote();
                } else if (wordStart(c)) {
                    word();
                } else if (digit(c)) {
                    // PostgreSQL 15 reads "1e" or "1abc" as a number and a word, as this does
                    while (at < sql.length() && digit(sql.charAt(at))) {
                        at++;
                    }
                    previousWord = null;
                } else {
                    symbol(c);
                }
            }
            if (firstWord == null) {
                throw refused("query must be one SELECT, WITH, VALUES or TABLE statement; it is empty");
            }
            if (depth != 0) {
                throw refused("query has an unclosed '('");
            }
            // not even in a string or comment: the JDBC driver splits statements at ';' by its own reading of the text
            if (sql.indexOf(';') != end || sql.lastIndexOf(';') != end) {
                throw refused("query may hold ';' only at its end, not even in a string or comment (write chr(59))");
            }
            return new ReadOnlyQuery(end < 0 ? sql : sql.substring(0, end), names);
        }

        /** Skips white space and comments; true when a token follows. */
        private boolean skipSpaceAndComments() {
            while (at < sql.length()) {
                if (space(sql.charAt(at))) {
                    at++;
                } else if (sql.startsWith("--", at)) {
                    at = lineCommentEnd(at);
                } else if (sql.startsWith("/*", at)) {
                    blockComment();
                } else {
                    return true;
                }
            }
            return false;
        }

        /** Where the -- comment at {@code start} ends: as in PostgreSQL, at a carriage return as well as a newline. */
        private int lineCommentEnd(int start) {
            int i = start;
            while (i < sql.length() && sql.charAt(i) != '\n' && sql.charAt(i) != '\r') {
                i++;
            }
            return i;
        }

        private void blockComment() {
            int nesting = 0;
            do {
                if (at >= sql.length()) {
                    throw refused("query has an unclosed /* comment");
                }
                if (sql.startsWith("/*", at)) {
                    nesting++;
                    at += 2;
                } else if (sql.startsWith("*/", at)) {
                    nesting--;
                    at += 2;
                } else {
                    at++;
                }
            } while (nesting > 0);
        }

        /** A string from its opening quote at {@code at}; an E'…' string ({@code escapes}) knows backslashes. */
        private void string(boolean escapes) {
            at++;
            while (true) {
                if (at >= sql.length()) {
                    throw refused("query has an unclosed string");
                }
                char c = sql.charAt(at++);
                if (escapes && c == '\\') {
                    at++;
                } else if (c == '\'') {
                    if (at < sql.length() && sql.charAt(at) == '\'') {
                        at++;
                    } else {
                        break;
                    }
                }
            }
            if (escapes && continuedOnAnotherLine()) {
                throw refused("query continues an E'…' string on another line; write it as one string");
            }
            previousWord = null;
        }

        /** Whether only white space and -- comments stand between here and a quote. */
        private boolean continuedOnAnotherLine() {
            int i = at;
            while (i < sql.length()) {
                if (space(sql.charAt(i))) {
                    i++;
                } else if (sql.startsWith("--", i)) {
                    i = lineCommentEnd(i);
                } else {
                    return sql.charAt(i) == '\'';
                }
            }
            return false;
        }

        private void quotedIdentifier() {
            StringBuilder name = new StringBuilder();
            at++;
            while (true) {
                if (at >= sql.length()) {
                    throw refused("query has an unclosed quoted identifier");
                }
                char c = sql.charAt(at++);
                if (c == '"') {
                    if (at < sql.length() && sql.charAt(at) == '"') {
                        at++;
                    } else {
                        break;
                    }
                }
                name.append(c);
            }
            name(name.toString());
            previousWord = null;
        }

        /** A {@code $} at {@code at} opening a dollar quote: {@code $$} or {@code $tag$} ({@code $1} is a parameter). */
        private boolean dollarQuoteAhead() {
            int i = at + 1;
            if (i < sql.length() && !digit(sql.charAt(i))) {
                while (i < sql.length() && wordPart(sql.charAt(i)) && sql.charAt(i) != '$') {
                    i++;
                }
                return i < sql.length() && sql.charAt(i) == '$';
            }
            return false;
        }

        private void dollarQuote() {
            String delimiter = sql.substring(at, sql.indexOf('$', at + 1) + 1);
            int close = sql.indexOf(delimiter, at + delimiter.length());
            if (close < 0) {
                throw refused("query has an unclosed " + delimiter + " quote");
            }
            at = close + delimiter.length();
            previousWord = null;
        }

        private void word() {
            int start = at;
            while (at < sql.length() && wordPart(sql.charAt(at))) {
                at++;
            }
            String word = asciiLowerCase(sql.substring(start, at));
            char next = at < sql.length() ? sql.charAt(at) : ' ';
            if (word.equals("u") && next == '&' && at + 1 < sql.length() && "'\"".indexOf(sql.charAt(at + 1)) >= 0) {
                throw refused("query uses a U&'…' or U&\"…\" escape; write the characters themselves");
            }
            if (firstWord == null) {
                if (!FIRST_WORDS.contains(word)) {
                    throw refused("query must start with SELECT, WITH, VALUES or TABLE");
                }
                firstWord = word;
            }
            if (word.equals("e") && next == '\'') {
                string(true);
                return;
            }
            if (REFUSED_KEYWORDS.contains(word)) {
                throw refused("query may not use " + word.toUpperCase(Locale.ROOT)
                        + ": only one read-only SELECT, WITH, VALUES or TABLE statement is run");
            }
            if ("for".equals(previousWord) && Set.of("share", "no", "key").contains(word)) {
                throw refused("query may not lock rows (FOR " + word.toUpperCase(Locale.ROOT) + ")");
            }
            name(word);
            previousWord = word;
        }

        private void name(String name) {
            if (REFUSED_FUNCTIONS.contains(name) || REFUSED_FUNCTION_PREFIXES.stream().anyMatch(name::startsWith)) {
                throw refused("query may not call " + name + ": it runs SQL of its own or acts beyond the query");
            }
            if (OTHER_SESSIONS.contains(name) || name.startsWith(OTHER_SESSIONS_PREFIX)) {
                throw refused("query may not read " + name + ": it shows the SQL of other sessions");
            }
            names.add(truncated(name));
        }

        private void symbol(char c) {
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                throw refused("query closes a ')' it never opened");
            }
            at++;
            previousWord = null;
        }

        /** PostgreSQL's white space: ASCII only; other characters belong to words, as there. */
        private static boolean space(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
        }

        private static boolean digit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean wordStart(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
        }

        private static boolean wordPart(char c) {
            return wordStart(c) || digit(c) || c == '$';
        }

        /** As PostgreSQL folds an unquoted identifier: ASCII letters only. */
        private static String asciiLowerCase(String word) {
            StringBuilder lower = new StringBuilder(word.length());
            word.chars().forEach(c -> lower.append((char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c)));
            return lower.toString();
        }

        /** As PostgreSQL cuts an identifier: to its first 63 bytes, at a character boundary. */
        private static String truncated(String name) {
            int bytes = 0;
            for (int i = 0; i < name.length(); i = name.offsetByCodePoints(i, 1)) {
                bytes += new String(Character.toChars(name.codePointAt(i))).getBytes(StandardCharsets.UTF_8).length;
                if (bytes > MAX_IDENTIFIER_BYTES) {
                    return name.substring(0, i);
                }
            }
            return name;
        }
    }
}
