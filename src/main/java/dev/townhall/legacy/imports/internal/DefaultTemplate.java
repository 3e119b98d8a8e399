package dev.townhall.legacy.imports.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code default_from} template of a mapping column: literal text with placeholders that name another column
 * of the same target row ({@code {started_at}}) or a source column ({@code {source.attendees}}), optionally through
 * a filter ({@code {started_at|date}}). A template whose placeholders do not all have a value gives nothing, so the
 * next template of the list is tried: "Meeting on {started_at|date} with {source.attendees|list}", then
 * "Meeting on {started_at|date}".
 */
public final class DefaultTemplate {
    /**
     * date: the day (ISO) of a timestamp or date; local_part: an e-mail address before its '@'; name: the name of
     * the row a reference column points at; list: a comma- or semicolon-separated list, tidied; words: the first
     * words of a text.
     */
    public static final Set<String> FILTERS = Set.of("date", "local_part", "name", "list", "words");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(source\\.)?([a-z_][a-z0-9_]*)(?:\\|([a-z_]+))?}");
    private static final int LIST_ITEMS = 5;
    private static final int WORDS = 8;

    /** A placeholder: a target column of the same row, or a source column ({@code source}), and its filter or null. */
    public record Placeholder(String name, boolean source, String filter) {
    }

    private final String text;
    /** Literal strings and {@link Placeholder}s, in order. */
    private final List<Object> parts;

    private DefaultTemplate(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Parses {@code text}; a malformed placeholder or an unknown filter is an IllegalArgumentException saying which. */
    public static DefaultTemplate parse(String text) {
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            literal(text.substring(at, m.start()), parts);
            String filter = m.group(3);
            if (filter != null && !FILTERS.contains(filter)) {
                throw new IllegalArgumentException("unknown filter '" + filter + "' in " + m.group() + " (known: "
                        + new java.util.TreeSet<>(FILTERS) + ")");
            }
            parts.add(new Placeholder(m.group(2), m.group(1) != null, filter));
            at = m.end();
        }
        literal(text.substring(at), parts);
        if (parts.stream().noneMatch(p -> p instanceof Placeholder) && text.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        return new DefaultTemplate(text, List.copyOf(parts));
    }

    private static void literal(String s, List<Object> parts) {
        if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
            throw new IllegalArgumentException("'" + s.strip() + "' holds a brace that is no placeholder"
                    + " ({column}, {column|filter} or {source.column})");
        }
        if (!s.isEmpty()) {
            parts.add(s);
        }
    }

    public List<Placeholder> placeholders() {
        return parts.stream().filter(p -> p instanceof Placeholder).map(p -> (Placeholder) p).toList();
    }

    /** The text with each placeholder replaced by {@code resolve}'s value; null when any value is null or blank. */
    public String render(Function<Placeholder, String> resolve) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Placeholder p) {
                String value = resolve.apply(p);
                if (value == null || value.isBlank()) {
                    return null;
                }
                out.append(value.strip());
            } else {
                out.append(part);
            }
        }
        String rendered = out.toString().strip().replaceAll("\\s+", " ");
        return rendered.isEmpty() ? null : rendered;
    }

    /** The text filters (list, words, local_part) applied to {@code value}; null when nothing is left. */
    static String textFilter(String filter, String value) {
        String t = TextRepair.repair(value).strip();
        return switch (filter) {
            case "local_part" -> {
                int at = t.indexOf('@');
                yield at <= 0 ? null : t.substring(0, at);
            }
            case "list" -> {
                List<String> items = new ArrayList<>();
                for (String item : t.split("[,;]")) {
                    String i = item.strip();
                    if (!i.isEmpty() && !items.contains(i)) {
                        items.add(i);
                    }
                }
                if (items.size() > LIST_ITEMS) {
                    int more = items.size() - LIST_ITEMS;
                    items = new ArrayList<>(items.subList(0, LIST_ITEMS));
                    items.add("and " + more + " more");
                }
                yield String.join(", ", items);
            }
            case "words" -> {
                String[] words = t.split("\\s+");
                yield words.length <= WORDS ? t : String.join(" ", List.of(words).subList(0, WORDS)) + " …";
            }
            default -> t;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
