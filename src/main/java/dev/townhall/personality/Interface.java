package dev.townhall.personality;

import java.util.Locale;

/**
 * The interface a change came through, kept as the instance's {@code last_interface} and the mood event's
 * {@code interface} (the values of ai-030's CHECKs).
 */
public enum Interface {
    CHAT, CODE, CLI, API, WEB, SLACK, EMAIL, VOICE, MCP;

    /** The value the schema stores. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
