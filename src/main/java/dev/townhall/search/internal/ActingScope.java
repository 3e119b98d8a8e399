package dev.townhall.search.internal;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.UUID;

/**
 * Whom a search transaction acts for (the acting town, whether it is the capital, the towns it may read), read in
 * the same statement that applies {@link VectorQuery#SESSION_SETTINGS}, so a search pays one round trip for both.
 * A user who is no active member of the town is refused here, before anything is searched.
 */
public record ActingScope(UUID actingTown, boolean capital, List<UUID> readableTowns) {
    public static ActingScope read(Handle handle, int limit) {
        return handle.createQuery("""
                        SELECT m.town_id, m.is_capital, core.readable_town_ids() AS readable, %s
                        FROM core.acting_membership() m""".formatted(VectorQuery.SESSION_SETTINGS))
                .bind("efSearch", VectorQuery.firstEfSearch(limit))
                .map((rs, ctx) -> new ActingScope(rs.getObject(1, UUID.class), rs.getBoolean(2),
                        List.of((UUID[]) rs.getArray(3).getArray())))
                .findOne()
                .orElseThrow(() -> new TownHallException(ErrorCode.FORBIDDEN,
                        "this user is not an active member of this town, so there is nothing to search"));
    }
}
