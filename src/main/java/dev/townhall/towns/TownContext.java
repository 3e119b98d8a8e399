package dev.townhall.towns;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

import java.util.UUID;

/**
 * Work done as one user acting in one town. Every call runs in its own transaction that starts by setting the
 * acting user and town with {@code SET LOCAL} semantics ({@code set_config(…, true)}), so the context cannot leak
 * into the next use of the pooled connection. The database decides what that context may see: a town the user is
 * not a member of grants nothing, and no context sees nothing.
 */
public final class TownContext {
    static final String USER_SETTING = "townhall.user_id";
    static final String TOWN_SETTING = "townhall.town_id";

    private final Jdbi jdbi;
    private final UUID userId;
    private final UUID townId;

    TownContext(Jdbi jdbi, UUID userId, UUID townId) {
        this.jdbi = jdbi;
        this.userId = userId;
        this.townId = townId;
    }

    public UUID userId() {
        return userId;
    }

    public UUID townId() {
        return townId;
    }

    /** Runs {@code work} in one transaction under this context and returns its result. */
    public <T, X extends Exception> T inTransaction(HandleCallback<T, X> work) throws X {
        return jdbi.inTransaction(handle -> {
            enter(handle, userId, townId);
            return work.withHandle(handle);
        });
    }

    static void enter(Handle handle, UUID user, UUID town) {
        handle.createQuery("SELECT set_config(:userSetting, :user, true), set_config(:townSetting, :town, true)")
                .bind("userSetting", USER_SETTING)
                .bind("user", user.toString())
                .bind("townSetting", TOWN_SETTING)
                .bind("town", town.toString())
                .mapTo(String.class)
                .first();
    }
}
