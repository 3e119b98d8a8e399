package dev.townhall.towns;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;

import java.util.Arrays;
import java.util.Locale;

/** A membership role ({@code core.member_role}). */
public enum Role {
    OWNER, ADMIN, MEMBER, VIEWER, SERVICE;

    /** The role named {@code text} (any case), or a one-line error listing the valid ones. */
    public static Role parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TownHallException(ErrorCode.INVALID_INPUT, "role must be one of "
                    + Arrays.stream(values()).map(Role::sqlName).toList() + ", got '" + text + "'");
        }
    }

    public String sqlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean canWrite() {
        return this != VIEWER;
    }
}
