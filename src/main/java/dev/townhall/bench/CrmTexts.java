package dev.townhall.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Realistic CRM texts from a seed: short notes, emails, and transcript chunks of about 150–220 word pieces (each still
 * within the local model's window, so the benchmark measures the model, not the chunker).
 */
final class CrmTexts {
    static final int NOTES = 250;
    static final int EMAILS = 150;

    private static final String[] PEOPLE = {"Anna Keller", "Tom Brady", "Priya Shah", "Luis García", "Mei Chen",
            "Oskar Nilsson", "Fatima Zahra", "Jonas Weber", "Chloé Martin", "Sam O'Neill"};
    private static final String[] COMPANIES = {"Northwind Traders", "Acme Logistics", "Blue Harbor Health",
            "Fjord Analytics", "Cedar & Pine Legal", "Helios Solar", "Quantum Bakery", "Riverbend Schools"};
    private static final String[] TOPICS = {"the renewal contract", "the overdue invoice", "the onboarding plan",
            "the pricing proposal", "the security questionnaire", "the data migration", "the pilot in Lyon",
            "the support escalation", "the annual budget", "the integration with their ERP"};
    private static final String[] NOTES_TEMPLATES = {"Called %s about %s; call back Thursday.",
            "%s asked for a discount on %s. Need approval from finance.",
            "Met %s at the trade fair, interested in %s.", "Left a voicemail for %s regarding %s.",
            "%s is worried about %s and the timeline slipping.", "Sent %s the revised figures for %s."};
    private static final String[] SENTENCES = {"Thanks for your time on the call yesterday.",
            "As discussed, I have attached the updated figures for your review.",
            "Could you confirm whether the purchase order has been approved on your side?",
            "Our legal team had a few comments on clause 7, which I summarise below.",
            "The payment for last quarter is still outstanding, could you look into it?",
            "We can offer a ten percent discount if the contract is signed before the end of the month.",
            "Let me know a time next week that suits you for a short follow-up.",
            "The migration went smoothly except for a handful of duplicate contacts.",
            "I have looped in our support lead, who will reach out today.",
            "Please find the meeting notes and next steps at the end of this email."};
    private static final String[] SPOKEN = {"yeah so I think the main thing for us is", "honestly the budget is tight this year",
            "we had some trouble with the last vendor on", "if you could send over the numbers for", "I'd need to check with my manager about",
            "the team really liked the demo, especially", "our procurement process usually takes about six weeks for",
            "can we talk about the timeline for", "I'm not sure the integration covers", "that sounds reasonable, let's pencil in"};

    private CrmTexts() {
    }

    static List<String> generate(Random random, int count) {
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (i < NOTES) {
                texts.add(String.format(pick(random, NOTES_TEMPLATES), pick(random, PEOPLE), pick(random, TOPICS)));
            } else if (i < NOTES + EMAILS) {
                texts.add(email(random));
            } else {
                texts.add(transcript(random));
            }
        }
        return texts;
    }

    private static String email(Random random) {
        StringBuilder email = new StringBuilder("Hi ").append(pick(random, PEOPLE).split(" ")[0]).append(",\n\n");
        for (int s = 3 + random.nextInt(6); s > 0; s--) {
            email.append(pick(random, SENTENCES)).append(' ');
        }
        return email.append("\n\nBest regards,\n").append(pick(random, PEOPLE)).append(", ")
                .append(pick(random, COMPANIES)).toString();
    }

    private static String transcript(Random random) {
        StringBuilder chunk = new StringBuilder();
        while (chunk.length() < 700 + random.nextInt(250)) {
            chunk.append(pick(random, PEOPLE)).append(": ").append(pick(random, SPOKEN)).append(' ')
                    .append(pick(random, TOPICS)).append(". ");
        }
        return chunk.toString().strip();
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
