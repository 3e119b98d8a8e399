package dev.townhall.personality;

/** The prompt to use: the personality's slug, the mood it is in, and the prompt text for that pair. */
public record ActivePrompt(String personality, String mood, String prompt) {
}
