package dev.townhall.towns;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Work done as one user acting in one town. Every call runs in its own transaction whose first statement sets the
 * acting user and town with {@code SET LOCAL} semantics ({@code set_config(…, true)}), so the context cannot leak
 * into the next use of the pooled connection. The database decides what that context may see: a town the user is
 * not a member of grants nothing, and no context sees nothing.
 *
 * <p>A context is immutable; {@link #limitedTo(Role)} and {@link #withStatementTimeout(Duration)} return narrower
 * copies. A role cap is passed to the database ({@code townhall.role_cap}), where {@code core.acting_membership()}
 * limits the membership role by it, so every policy sees the capped role; a cap can only lower. A context capped
 * at {@link Role#VIEWER} also runs its transactions read-only, so it writes nothing at all, not even the rows a
 * viewer may otherwise change (their own profile, sessions and settings).
 */
public final class TownContext {
    static final String USER_SETTING = "townhall.user_id";
    static final String TOWN_SETTING = "townhall.town_id";
    static final String ROLE_CAP_SETTING = "townhall.role_cap";

    /** PostgreSQL's SQLSTATE for a statement cancelled by {@code statement_timeout} (query_canceled). */
    private static final String QUERY_CANCELED = "57014";
    /** PostgreSQL's SQLSTATE for a write attempted in a read-only transaction. */
    private static final String READ_ONLY_TRANSACTION = "25006";

    private final Jdbi jdbi;
    private final UUID userId;
    private final UUID townId;
    private final Role roleCap; // null: the membership role, unlimited
    private final Duration statementTimeout; // null: the database's setting

    TownContext(Jdbi jdbi, UUID userId, UUID townId) {
        this(jdbi, userId, townId, null, null);
    }

    private TownContext(Jdbi jdbi, UUID userId, UUID townId, Role roleCap, Duration statementTimeout) {
        this.jdbi = jdbi;
        this.userId = userId;
        this.townId = townId;
        this.roleCap = roleCap;
        this.statementTimeout = statementTimeout;
    }

    public UUID userId() {
        return userId;
    }

    public UUID townId() {
        return townId;
    }

    /** The role this context is limited to, when it is limited. */
    public Optional<Role> roleCap() {
        return Optional.ofNullable(roleCap);
    }

    /** The limit on each statement of this context's transactions, when one is set. */
    public Optional<Duration> statementTimeout() {
        return Optional.ofNullable(statementTimeout);
    }

    /**
     * This context limited to at most {@code cap}: the database treats the acting user as having the lesser of their
     * membership role and {@code cap} (and of any cap this context already has). It never raises a role.
     */
    public TownContext limitedTo(Role cap) {
        Role lesser = roleCap == null || rank(cap) < rank(roleCap) ? cap : roleCap;
        return new TownContext(jdbi, userId, townId, lesser, statementTimeout);
    }

    /** This context with every statement cancelled after {@code timeout} ({@link ErrorCode#TIMEOUT}). */
    public TownContext withStatementTimeout(Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new TownHallException(ErrorCode.CONFIG, "a statement timeout must be at least 1ms, got " + timeout);
        }
        return new TownContext(jdbi, userId, townId, roleCap, timeout);
    }

    /**
     * Runs {@code work} in one transaction under this context and returns its result. A statement cancelled by this
     * context's statement timeout fails with {@link ErrorCode#TIMEOUT}; a write under a viewer cap with
     * {@link ErrorCode#FORBIDDEN}.
     */
    public <T, X extends Exception> T inTransaction(HandleCallback<T, X> work) throws X {
        try {
            return jdbi.inTransaction(handle -> {
                enter(handle);
                return work.withHandle(handle);
            });
        } catch (Exception e) {
            Optional<TownHallException> refusal = refusal(e);
            if (refusal.isPresent()) {
                throw refusal.get();
            }
            throw e;
        }
    }

    private boolean readOnly() {
        return roleCap == Role.VIEWER;
    }

    /**
     * One statement sets the whole context, so entering it costs one round trip. It runs before every transaction's
     * work, so it goes straight to JDBC with positional parameters: through Jdbi's named binding and result mapping
     * it cost about as much CPU as the request's own query (bench api, JFR).
     */
    private void enter(Handle handle) {
        try (PreparedStatement settings = handle.getConnection().prepareStatement("""
                SELECT set_config(?, ?, true),
                       set_config(?, ?, true),
                       set_config(?, ?, true),
                       CASE WHEN ? <> '' THEN set_config('statement_timeout', ?, true) END,
                       CASE WHEN ? THEN set_config('transaction_read_only', 'on', true) END""")) {
            String timeoutMs = statementTimeout == null ? "" : Long.toString(statementTimeout.toMillis());
            settings.setString(1, USER_SETTING);
            settings.setString(2, userId.toString());
            settings.setString(3, TOWN_SETTING);
            settings.setString(4, townId.toString());
            settings.setString(5, ROLE_CAP_SETTING);
            settings.setString(6, roleCap == null ? "" : roleCap.sqlName());
            settings.setString(7, timeoutMs);
            settings.setString(8, timeoutMs);
            settings.setBoolean(9, readOnly());
            settings.executeQuery().close();
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null); // as Jdbi reports a failed statement
        }
    }

    /** What a failure caused by this context's own limits means for the caller, in the one error model. */
    private Optional<TownHallException> refusal(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                if (statementTimeout != null && QUERY_CANCELED.equals(sql.getSQLState())) {
                    return Optional.of(new TownHallException(ErrorCode.TIMEOUT, "a statement ran longer than its limit of "
                            + statementTimeout.toMillis() + " ms and was cancelled", e));
                }
                if (readOnly() && READ_ONLY_TRANSACTION.equals(sql.getSQLState())) {
                    return Optional.of(new TownHallException(ErrorCode.FORBIDDEN,
                            "role viewer may only read; this tried to write", e));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** How much a role may do, as core.role_rank() ranks it in the database. */
    private static int rank(Role role) {
        return switch (role) {
            case OWNER -> 4;
            case ADMIN -> 3;
            case MEMBER, SERVICE -> 2;
            case VIEWER -> 1;
        };
    }
}
