package dev.townhall.ops;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a retention policy does to a row that is due. */
public enum RetentionAction {
    /** The column becomes NULL, or {@code [redacted]} where it must hold text. */
    REDACT,
    /** The whole row goes. */
    DELETE,
    /** The column becomes a random placeholder ({@code anon-…}, keeping an e-mail's shape), linked to nothing. */
    ANONYMISE;

    /** The name stored in {@code ops.retention_policies.action}. */
    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RetentionAction parse(String text) {
        for (RetentionAction action : values()) {
            if (action.sqlName().equals(text)) {
                return action;
            }
        }
        throw TownHallException.forField(ErrorCode.INVALID_INPUT, "action", "an action is one of "
                + Arrays.stream(values()).map(RetentionAction::sqlName).collect(Collectors.joining(", "))
                + "; got '" + text + "'");
    }
}
