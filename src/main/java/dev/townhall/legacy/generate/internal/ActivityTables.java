package dev.townhall.legacy.generate.internal;

import dev.townhall.legacy.generate.internal.World.Person;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/** Robbie's activity log (the bulk of the data) and its meeting transcripts. */
final class ActivityTables {
    static final int ACTIVITY_ROWS = 63_669;
    static final int TRANSCRIPT_ROWS = 264;
    static final List<String> ACTIVITY_COLUMNS = List.of("id", "type", "subject", "body", "contact_id",
            "company_id", "deal_id", "timestamp", "source", "metadata");
    static final List<String> TRANSCRIPT_COLUMNS = List.of("id", "meeting_title", "started_at", "duration_seconds",
            "attendees", "transcript", "summary", "deal_id");

    /** Bodies of 100 KB to 1 MB: a few pasted logs and threads that never got trimmed. */
    static final int LONG_BODIES = 24;
    static final int LONGEST_BODY = 1_000_000;

    private static final String[] TYPES = {"EMAIL", "EMAIL", "EMAIL", "EMAIL", "EMAIL", "EMAIL", "EMAIL", "EMAIL",
            "EMAIL", "CALL", "CALL", "CALL", "MEETING", "MEETING", "NOTE", "NOTE", "NOTE", "NOTE", "TASK", "TASK"};
    private static final String[] EMOJI = {"🎯 ", "📞 ", "✅ ", "🚀 ", "🔥 ", "📅 "};

    private final World world;
    private final Prose prose;

    ActivityTables(World world, Prose prose) {
        this.world = world;
        this.prose = prose;
    }

    List<TableSpec> specs() {
        return List.of(
                new TableSpec("activities", ACTIVITY_COLUMNS, ACTIVITY_ROWS, this::activities),
                new TableSpec("meeting_transcripts", TRANSCRIPT_COLUMNS, TRANSCRIPT_ROWS, this::transcripts));
    }

    // ---- activities --------------------------------------------------------------------------------------------

    private void activities(Dice dice, RowSink out) throws SQLException {
        int rows = ACTIVITY_ROWS;
        BitSet longBody = dice.marks(rows, LONG_BODIES);
        int longest = longBody.nextSetBit(dice.below(rows));
        longest = longest < 0 ? longBody.nextSetBit(0) : longest;
        BitSet badJson = dice.marks(rows, rows * 3 / 100);
        BitSet wrongCaseType = dice.marks(rows, rows * 4 / 100);
        BitSet seconds = dice.marks(rows, 120);      // epoch seconds in a milliseconds column
        BitSet oddTime = dice.marks(rows, 12);       // null, zero or far future
        BitSet mojibake = dice.marks(rows, rows * 2 / 100);
        long span = Mess.LAST_SECOND - Mess.FIRST_SECOND;
        long id = 10_000_000L;
        for (int r = 0; r < rows; r++) {
            id += dice.between(1, 20);
            String type = TYPES[dice.below(TYPES.length)];
            long second = Mess.FIRST_SECOND + span * r / rows + dice.between(-3 * 86_400, 3 * 86_400);
            long millis = second * 1000 + dice.below(1000);

            // most activity concerns a few busy contacts: skew the choice towards the low rows
            double u = dice.unit();
            int contactRow = (int) (u * u * World.HUBSPOT_CONTACT_ROWS);
            Person person = world.people.get(world.hubspotContact[contactRow]);
            double c = dice.unit();
            Object contactId = c < 0.77 ? (Object) world.hubspotContactId[contactRow] : c < 0.97 ? null
                    : world.orphanContactId(dice);
            double k = dice.unit();
            Object companyId = k < 0.60 ? world.hubspotIdOfCompany(person.company())
                    : k < 0.65 ? (Object) world.hubspotCompanyId[dice.below(World.HUBSPOT_COMPANY_ROWS)]
                    : k < 0.98 ? null : world.orphanCompanyId(dice);
            double d = dice.unit();
            Object dealId = d < 0.06 ? (Object) world.dealId[dice.below(World.HUBSPOT_DEALS)]
                    : d < 0.064 ? world.orphanDealId(dice) : null;

            String subject = subject(dice, type, person);
            String body;
            if (longBody.get(r)) {
                body = r == longest ? prose.text(dice, LONGEST_BODY) : prose.text(dice, dice.between(100_000, 900_000));
            } else {
                body = body(dice, type, person);
            }
            if (mojibake.get(r)) {
                if (subject != null && Mojibake.damageable(subject)) {
                    subject = Mess.mojibake(dice, subject);
                }
                body = body == null ? null : Mess.mojibake(dice, body.contains("’") || body.contains("—") ? body
                        : body + " Merci — à bientôt, " + person.first() + " 😊");
            }
            Object timestamp = millis;
            if (seconds.get(r)) {
                timestamp = second;
            } else if (oddTime.get(r)) {
                timestamp = dice.pick(null, 0L, 4_102_444_800_000L, -1L);
            }
            out.row(id,
                    wrongCaseType.get(r) ? (dice.chance(0.7) ? type.toLowerCase(Locale.ROOT)
                            : type.charAt(0) + type.substring(1).toLowerCase(Locale.ROOT)) : type,
                    subject,
                    body,
                    contactId,
                    companyId,
                    dealId,
                    timestamp,
                    source(dice, type),
                    badJson.get(r) ? Mess.invalidJson(dice) : metadata(dice, type));
        }
    }

    private String subject(Dice dice, String type, Person person) {
        String topic = Prose.fill(dice, dice.pick(Words.TOPICS));
        String subject = switch (type) {
            case "EMAIL" -> dice.pick("Re: ", "RE: ", "Fwd: ", "", "", "") + Character.toUpperCase(topic.charAt(0))
                    + topic.substring(1);
            case "CALL" -> dice.pick("Call with ", "Call: ", "Outbound call to ") + person.first();
            case "MEETING" -> "Meeting: " + topic;
            case "TASK" -> "Follow up on " + topic;
            default -> dice.chance(0.5) ? null : "Note: " + topic;
        };
        return subject != null && dice.chance(0.015) ? dice.pick(EMOJI) + subject : subject;
    }

    private String body(Dice dice, String type, Person person) {
        double roll = dice.unit();
        if (roll < 0.03) {
            return null;
        } else if (roll < 0.05) {
            return "";
        }
        int length = switch (type) {
            case "EMAIL" -> dice.between(250, 3_000);
            case "CALL" -> dice.between(40, 600);
            case "MEETING" -> dice.between(200, 2_500);
            case "TASK" -> dice.between(10, 300);
            default -> dice.between(40, 1_500);
        };
        String text = prose.text(dice, length);
        if (type.equals("EMAIL")) {
            if (dice.chance(0.2)) {
                text = text + "\n\nOn " + dice.pick(Words.DAYS) + ", " + person.fullName() + " <" + person.email()
                        + "> wrote:\n> " + prose.sentence(dice) + "\n> " + prose.sentence(dice);
            } else if (dice.chance(0.05)) {
                text = "<html><body><p>" + text.replace("\n\n", "</p><p>") + "</p><br>--<br>Sent from my iPhone"
                        + "</body></html>";
            }
        }
        return text;
    }

    private static String source(Dice dice, String type) {
        double roll = dice.unit();
        if (roll < 0.03) {
            return null;
        } else if (roll < 0.05) {
            return dice.pick("HubSpot", "HUBSPOT", "Gmail");
        }
        return switch (type) {
            case "EMAIL" -> dice.pick("gmail", "gmail", "outlook", "hubspot");
            case "CALL" -> dice.pick("aircall", "hubspot", "zoom");
            case "MEETING" -> dice.pick("zoom", "google_calendar", "hubspot");
            case "NOTE" -> dice.pick("hubspot", "manual");
            default -> "hubspot";
        };
    }

    private static String metadata(Dice dice, String type) {
        double roll = dice.unit();
        if (roll < 0.08) {
            return null;
        } else if (roll < 0.09) {
            return "";
        } else if (roll < 0.11) {
            return "{}";
        }
        return switch (type) {
            case "EMAIL" -> "{\"direction\": \"" + dice.pick("outbound", "inbound") + "\", \"opens\": " + dice.below(9)
                    + ", \"clicks\": " + dice.below(3) + ", \"thread_id\": \"" + dice.hex(16) + "\"}";
            case "CALL" -> "{\"duration_s\": " + dice.between(0, 3_600) + ", \"outcome\": \""
                    + dice.pick("connected", "no_answer", "left_voicemail", "busy") + "\"}";
            case "MEETING" -> "{\"location\": \"" + dice.pick("Zoom", "Google Meet", "Office", "Café downtown")
                    + "\", \"attendees\": " + dice.between(2, 8) + "}";
            case "TASK" -> "{\"priority\": \"" + dice.pick("high", "normal", "low") + "\", \"done\": "
                    + dice.pick("true", "false") + "}";
            default -> "{\"pinned\": " + dice.pick("true", "false") + ", \"tags\": [\"" + dice.pick("q3", "renewal",
                    "risk", "vip") + "\"]}";
        };
    }

    // ---- meeting_transcripts -----------------------------------------------------------------------------------

    private void transcripts(Dice dice, RowSink out) throws SQLException {
        int rows = TRANSCRIPT_ROWS;
        BitSet longOnes = dice.marks(rows, 5);
        BitSet mojibake = dice.marks(rows, 8);
        BitSet oddDuration = dice.marks(rows, 4);
        for (int r = 0; r < rows; r++) {
            List<String> attendees = new ArrayList<>();
            List<String> speakers = new ArrayList<>(List.of("Allan"));
            int n = dice.between(1, 5);
            for (int a = 0; a < n; a++) {
                Person p = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
                speakers.add(p.first());
                double form = dice.unit();
                attendees.add(form < 0.55 ? p.email() : form < 0.7 ? Mess.emailVariant(dice, p.email()).strip()
                        : form < 0.9 ? p.fullName() : p.first());
            }
            attendees.add(dice.pick(0, attendees.size()), dice.pick("allan@testpilot.ai", "Allan", "Kristina",
                    "kristina@testpilot.ai", "Andre"));
            String separator = dice.pick(", ", ",", "; ", ";");
            Person lead = world.people.get(world.hubspotContact[dice.below(World.HUBSPOT_CONTACT_ROWS)]);
            String company = world.companies.get(lead.company()).name();
            String title = dice.chance(0.01) ? "" : switch (dice.below(4)) {
                case 0 -> company + " / TestPilot weekly sync";
                case 1 -> company + " — discovery call";
                case 2 -> "Demo for " + company;
                default -> Prose.fill(dice, "Check-in on {t}");
            };
            int length = longOnes.get(r) ? dice.between(200_000, 600_000) : dice.between(3_000, 60_000);
            String transcript = dice.chance(0.02) ? null : prose.transcript(dice, speakers, length);
            if (mojibake.get(r)) {
                title = Mess.mojibake(dice, "🎯 " + title);
                transcript = transcript == null ? null : Mess.mojibake(dice, transcript + "\nMerci — à bientôt!");
            }
            Integer duration = oddDuration.get(r) ? dice.pick(0, -300, 864_000, null)
                    : dice.chance(0.03) ? null : dice.between(900, 5_400);
            double d = dice.unit();
            Object dealId = d < 0.25 ? (Object) world.dealId[dice.below(World.HUBSPOT_DEALS)]
                    : d < 0.28 ? world.orphanDealId(dice) : null;
            out.row(dice.uuid(),
                    title,
                    Mess.timestamptz(Mess.moment(dice)),
                    duration,
                    dice.chance(0.02) ? null : String.join(separator, attendees),
                    transcript,
                    dice.chance(0.1) ? null : prose.text(dice, dice.between(150, 600)),
                    dealId);
        }
    }
}
