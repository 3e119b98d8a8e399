package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Person;

import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Robbie's tasks and the assistant's chat history. */
final class AssistantTables {
    static final int TASK_ROWS = 745;
    static final int CHAT_ROWS = 2_496;
    static final List<String> TASK_COLUMNS = List.of("id", "title", "notes", "status", "priority", "due_date",
            "assigned_to", "contact_id", "completed");
    static final List<String> CHAT_COLUMNS = List.of("id", "session_id", "user_id", "role", "message", "created_at",
            "model", "tokens", "mood");

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final LocalDateTime SPRING_FORWARD = LocalDateTime.of(2024, 3, 10, 1, 0);
    private static final LocalDateTime FALL_BACK = LocalDateTime.of(2024, 11, 3, 0, 0);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final String[] STATUSES = {"NOT_STARTED", "NOT_STARTED", "NOT_STARTED", "IN_PROGRESS",
            "IN_PROGRESS", "COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED", "WAITING", "DEFERRED"};
    private static final List<String> MOODS = List.of("friendly", "focused", "playful", "bossy", "surprised",
            "blushing");
    private static final List<String> MODELS = List.of("gpt-4", "gpt-4o", "gpt-4-turbo", "claude-3-opus-20240229",
            "claude-3-5-sonnet", "llama3:8b");
    private static final List<String> QUESTIONS = List.of(
            "What's on my plate today?", "Draft a follow-up to {f} about {t}.", "Summarise the call with {c}.",
            "Who should I call first this week?", "Remind me about {t} on {d}.", "How did the {c} pilot go?",
            "Write a LinkedIn post about {t}.", "What’s the status of {t}?", "Any risks in the pipeline?",
            "Find everything about {c}.", "Prep me for the meeting with {f}.", "Thanks Robbie!");

    private final World world;
    private final Prose prose;

    AssistantTables(World world, Prose prose) {
        this.world = world;
        this.prose = prose;
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("tasks", TASK_COLUMNS, TASK_ROWS, this::tasks),
                new TableSpec("chat_history", CHAT_COLUMNS, CHAT_ROWS, this::chat));
    }

    // ---- tasks -------------------------------------------------------------------------------------------------

    private void tasks(Dice dice, RowSink out) throws SQLException {
        int rows = TASK_ROWS;
        BitSet contradicts = dice.marks(rows, 30);  // completed says one thing, status another
        BitSet orphanContact = dice.marks(rows, 20);
        int id = 0;
        for (int r = 0; r < rows; r++) {
            id += dice.chance(0.02) ? dice.between(2, 4) : 1; // deleted tasks leave gaps in the serial
            int contactRow = dice.below(World.HUBSPOT_CONTACT_ROWS);
            Person p = world.people.get(world.hubspotContact[contactRow]);
            String status = STATUSES[dice.below(STATUSES.length)];
            boolean completed = status.equals("COMPLETED") != contradicts.get(r);
            String template = dice.pick("Follow up with {f} about {t}", "Send proposal to {c}", "Prepare {t}",
                    "Call {f}", "Review {t}", "Update CRM after {t}", "Book meeting with {f}");
            String title = dice.chance(0.01) ? "" : Prose.fill(dice, template.replace("{f}", p.first()));
            double c = dice.unit();
            Object contactId = orphanContact.get(r) ? (Object) world.orphanContactId(dice)
                    : c < 0.7 ? world.hubspotContactId[contactRow] : null;
            double pr = dice.unit();
            out.row(id,
                    title,
                    dice.chance(0.5) ? null : prose.text(dice, dice.between(30, 500)),
                    status,
                    pr < 0.25 ? "LOW" : pr < 0.6 ? "MEDIUM" : pr < 0.85 ? "HIGH" : null,
                    dice.chance(0.15) ? null : Mess.dateText(dice, Mess.moment(dice)),
                    Mess.userId(dice, 0.06, 0.04),
                    contactId,
                    completed);
        }
    }

    // ---- chat_history ------------------------------------------------------------------------------------------

    private void chat(Dice dice, RowSink out) throws SQLException {
        int written = 0;
        int id = 0;
        long first = 1_672_531_200L; // 2023-01-01
        boolean springForwardPlanted = false;
        boolean fallBackPlanted = false;
        while (written < CHAT_ROWS) {
            String sessionId = dice.chance(0.7) ? "sess_" + dice.hex(12) : dice.uuid().toString();
            double u = dice.unit();
            String user = u < 0.80 ? "allan" : u < 0.89 ? "kristina" : u < 0.94 ? "andre"
                    : dice.pick(Words.UNKNOWN_USERS);
            // local wall-clock time in New York, stored without a zone; sessions come in time order (serial ids),
            // and the first session after each 2024 DST change is planted on it
            long instant = first + (Mess.LAST_SECOND - first) * written / CHAT_ROWS + dice.between(0, 2 * 86_400);
            LocalDateTime at = LocalDateTime.ofInstant(Instant.ofEpochSecond(instant), NEW_YORK);
            if (!springForwardPlanted && at.isAfter(SPRING_FORWARD)) {
                at = SPRING_FORWARD.plusMinutes(63);  // 02:03 on 2024-03-10: a time New York skipped
                springForwardPlanted = true;
            } else if (!fallBackPlanted && at.isAfter(FALL_BACK)) {
                at = FALL_BACK.plusMinutes(101);      // 01:41 on 2024-11-03: it happened twice that night
                fallBackPlanted = true;
            }
            int messages = Math.min(CHAT_ROWS - written, dice.between(2, 20));
            String model = dice.pick(MODELS);
            for (int m = 0; m < messages; m++) {
                id += dice.chance(0.01) ? 2 : 1;
                String role = m == 0 && dice.chance(0.2) ? "system" : (m % 2 == 0 ? "user" : "assistant");
                boolean assistant = role.equals("assistant");
                String message = switch (role) {
                    case "system" -> "You are Robbie, " + user + "'s AI copilot. Be concise, be " + dice.pick(MOODS)
                            + ".";
                    case "user" -> dice.chance(0.01) ? "" : Prose.fill(dice, dice.pick(QUESTIONS));
                    default -> reply(dice);
                };
                Integer tokens = assistant ? (dice.chance(0.05) ? null : dice.chance(0.003) ? -1
                        : dice.between(20, 1_500)) : (dice.chance(0.5) ? null : dice.between(3, 200));
                out.row(id,
                        sessionId,
                        user,
                        role,
                        message,
                        LOCAL.format(at),
                        assistant ? (dice.chance(0.03) ? null : model) : null,
                        tokens,
                        assistant ? mood(dice) : null);
                at = at.plusSeconds(dice.between(4, 240));
                written++;
            }
        }
    }

    private String reply(Dice dice) {
        String text = prose.text(dice, dice.between(80, 1_200));
        double roll = dice.unit();
        if (roll < 0.04) {
            return Mojibake.macRoman("🎯 " + text); // the seeds' own "üéØ"
        } else if (roll < 0.06) {
            return Mojibake.windows1252(text + " Let’s go!");
        } else if (roll < 0.15) {
            return "🎯 " + text;
        }
        return text;
    }

    private static String mood(Dice dice) {
        double roll = dice.unit();
        if (roll < 0.1) {
            return null;
        } else if (roll < 0.15) {
            return "neutral";
        } else if (roll < 0.17) {
            String mood = dice.pick(MOODS);
            return Character.toUpperCase(mood.charAt(0)) + mood.substring(1);
        } else if (roll < 0.172) {
            return "hangry";
        }
        return dice.pick(MOODS);
    }
}
