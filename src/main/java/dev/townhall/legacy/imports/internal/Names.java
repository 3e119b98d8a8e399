package dev.townhall.legacy.imports.internal;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Person names (splitting, capitalisation) and the keys names are compared by when duplicates merge. */
public final class Names {
    /** Legal forms dropped from a company name's key: "Acme Corp." and "ACME CORPORATION" are the same company. */
    private static final Set<String> LEGAL_FORMS = Set.of("inc", "incorporated", "llc", "corp", "corporation", "co",
            "company", "ltd", "limited", "gmbh", "ag", "sa", "sas", "sarl", "srl", "bv", "nv", "plc", "pty", "oy", "ab",
            "as", "kg", "lp", "llp");
    private static final Set<String> HONORIFICS = Set.of("dr", "mr", "mrs", "ms", "mx", "prof", "sir", "dame");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private Names() {
    }

    /** Lower case, accents removed, punctuation as spaces, single spaces. */
    public static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        String plain = MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT).replace("&", " and ");
        return NOT_ALNUM.matcher(plain).replaceAll(" ").strip();
    }

    /**
     * The key a company name merges by: folded, a leading "the" and trailing legal forms dropped ("The Acme Corp."
     * and "acme" share "acme"). Null when nothing is left. Whether a name is a host name instead, and so has no
     * name key, {@link MatchKeys#companyName} decides.
     */
    public static String companyKey(String name) {
        if (name == null) {
            return null;
        }
        List<String> words = new ArrayList<>(List.of(fold(name).split(" ")));
        words.removeIf(String::isEmpty);
        if (words.size() > 1 && words.get(0).equals("the")) {
            words.remove(0);
        }
        // "L.L.C." folds to "l l c": rejoin single letters before matching legal forms
        List<String> joined = new ArrayList<>();
        StringBuilder letters = new StringBuilder();
        for (String w : words) {
            if (w.length() == 1) {
                letters.append(w);
            } else {
                if (letters.length() > 0) {
                    joined.add(letters.toString());
                    letters.setLength(0);
                }
                joined.add(w);
            }
        }
        if (letters.length() > 0) {
            joined.add(letters.toString());
        }
        while (joined.size() > 1 && LEGAL_FORMS.contains(joined.get(joined.size() - 1))) {
            joined.remove(joined.size() - 1);
        }
        String key = String.join(" ", joined);
        return key.isEmpty() ? null : key;
    }

    /** The key person names merge by: first and last name folded. */
    public static String personKey(String first, String last) {
        String key = fold((first == null ? "" : first) + " " + (last == null ? "" : last));
        return key.isEmpty() ? null : key;
    }

    /** Collapses whitespace; a word written all in capitals or all in lower case is capitalised ("SMITH" → "Smith"). */
    public static String personName(String text) {
        String t = SPACES.matcher(text.strip()).replaceAll(" ");
        if (t.isEmpty()) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        for (String word : t.split(" ")) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(capitalise(word));
        }
        return out.toString();
    }

    private static String capitalise(String word) {
        boolean allUpper = word.equals(word.toUpperCase(Locale.ROOT));
        boolean allLower = word.equals(word.toLowerCase(Locale.ROOT));
        if (word.length() < 2 || !(allUpper || allLower) || !word.chars().anyMatch(Character::isLetter)) {
            return word;
        }
        StringBuilder out = new StringBuilder(word.length());
        boolean start = true;
        for (int i = 0; i < word.length(); i++) {
            char ch = word.charAt(i);
            out.append(start ? Character.toUpperCase(ch) : Character.toLowerCase(ch));
            start = ch == '-' || ch == '\'' || ch == '’';
        }
        return out.toString();
    }

    /**
     * Splits one full-name field: honorifics dropped ("dr."), "Last, First" turned around, then everything before
     * the last word is the first name. A single word is a first name with an empty last name.
     */
    public static String[] split(String fullName) {
        String t = SPACES.matcher(fullName.strip()).replaceAll(" ");
        int comma = t.indexOf(',');
        if (comma > 0 && comma == t.lastIndexOf(',')) {
            t = (t.substring(comma + 1) + " " + t.substring(0, comma)).strip();
        }
        List<String> words = new ArrayList<>(List.of(t.split(" ")));
        words.removeIf(String::isEmpty);
        while (words.size() > 1 && HONORIFICS.contains(words.get(0).toLowerCase(Locale.ROOT).replace(".", ""))) {
            words.remove(0);
        }
        if (words.isEmpty()) {
            return new String[] {"", ""};
        }
        if (words.size() == 1) {
            return new String[] {personName(words.get(0)), ""};
        }
        String last = words.remove(words.size() - 1);
        return new String[] {personName(String.join(" ", words)), personName(last)};
    }
}
