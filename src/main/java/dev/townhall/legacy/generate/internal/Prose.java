package dev.townhall.legacy.generate.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Business-sounding sentences for subjects, bodies, notes and transcripts: a pool filled once from the templates in
 * {@link Words}, then drawn from, which keeps megabytes of text cheap to make.
 */
final class Prose {
    private static final int POOL = 2_000;

    private final List<String> sentences = new ArrayList<>(POOL);

    Prose(Dice dice) {
        for (int i = 0; i < POOL; i++) {
            sentences.add(fill(dice, dice.pick(Words.SENTENCES)));
        }
    }

    static String fill(Dice dice, String template) {
        StringBuilder out = new StringBuilder(template.length() + 32);
        for (int i = 0; i < template.length(); i++) {
            char ch = template.charAt(i);
            if (ch == '{' && i + 2 < template.length() && template.charAt(i + 2) == '}') {
                char slot = template.charAt(i + 1);
                out.append(switch (slot) {
                    case 'f' -> dice.pick(Words.FIRST_NAMES);
                    case 'c' -> dice.pick(Words.COMPANY_ROOTS) + " " + dice.pick(Words.COMPANY_NOUNS);
                    case 't' -> fill(dice, dice.pick(Words.TOPICS));
                    case 'd' -> dice.pick(Words.DAYS);
                    case 'n' -> Integer.toString(dice.between(2, 950));
                    default -> "{" + slot + "}";
                });
                i += 2;
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    String sentence(Dice dice) {
        return dice.pick(sentences);
    }

    /** Sentences, in paragraphs, until at least {@code chars} characters. */
    String text(Dice dice, int chars) {
        StringBuilder out = new StringBuilder(chars + 200);
        int inParagraph = 0;
        while (out.length() < chars) {
            if (inParagraph > 0) {
                boolean newParagraph = inParagraph >= 3 && dice.chance(0.3);
                out.append(newParagraph ? "\n\n" : " ");
                inParagraph = newParagraph ? 0 : inParagraph;
            }
            out.append(sentence(dice));
            inParagraph++;
        }
        return out.toString();
    }

    /** A meeting transcript: timestamped speaker turns, at least {@code chars} long. */
    String transcript(Dice dice, List<String> speakers, int chars) {
        StringBuilder out = new StringBuilder(chars + 200);
        int second = 0;
        while (out.length() < chars) {
            second += dice.between(4, 40);
            out.append(String.format(Locale.ROOT, "[%02d:%02d:%02d] ", second / 3600, second / 60 % 60, second % 60))
                    .append(dice.pick(speakers)).append(": ").append(sentence(dice));
            if (dice.chance(0.4)) {
                out.append(' ').append(sentence(dice));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
