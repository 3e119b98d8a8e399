package dev.townhall.api.internal;

import dev.townhall.api.ApiKeyInfo;
import dev.townhall.towns.Role;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of API keys. Administration (create, list, revoke) runs in the operator's owner-role transactions it is
 * handed; authentication runs as the application role through the two SECURITY DEFINER functions made for it
 * ({@code core.find_api_key_caller}, {@code core.touch_api_key}), before there is any town context.
 */
public final class ApiKeyStore {
    private final Jdbi app;
    private final UUID orgId;

    public ApiKeyStore(Jdbi app, UUID orgId) {
        this.app = app;
        this.orgId = orgId;
    }

    /** A user's active membership role in a town, and that role limited by {@code cap} as the database limits it. */
    public record Membership(Role role, Role limited) {
    }

    /** What authentication learns from one lookup by prefix; nothing in it may be used before the hash matched. */
    public record KeyLookup(UUID keyId, String keyHash, UUID userId, boolean usable, boolean needsTouch,
                            Optional<UUID> townId, Optional<String> townSlug, Optional<Role> role) {
    }

    public Optional<Membership> membership(Handle h, UUID user, UUID town, Optional<Role> cap) {
        return h.createQuery("""
                        SELECT m.role::text, core.lesser_role(m.role, CAST(:cap AS core.member_role))::text
                        FROM core.memberships m
                        JOIN core.users u ON u.id = m.user_id AND u.org_id = m.org_id
                        JOIN core.towns t ON t.id = m.town_id AND t.org_id = m.org_id
                        WHERE m.org_id = :org AND m.user_id = :user AND m.town_id = :town
                          AND m.is_active AND u.is_active AND t.status = 'active'""")
                .bind("org", orgId).bind("user", user).bind("town", town)
                .bind("cap", cap.map(Role::sqlName).orElse(null))
                .map((rs, ctx) -> new Membership(Role.parse(rs.getString(1)), Role.parse(rs.getString(2))))
                .findOne();
    }

    /** Stores a new key (its prefix and hash, never its text) and returns its id. */
    public UUID insert(Handle h, UUID user, UUID town, String name, ApiKeyToken token, Role cap,
                       Optional<Duration> expiresIn) {
        return h.createQuery("""
                        INSERT INTO core.api_keys (org_id, town_id, user_id, name, key_prefix, key_hash, role_cap, expires_at)
                        VALUES (:org, :town, :user, :name, :prefix, :hash, CAST(:cap AS core.member_role),
                                now() + make_interval(secs => CAST(:expiresSeconds AS bigint)))
                        RETURNING id""")
                .bind("org", orgId).bind("town", town).bind("user", user).bind("name", name)
                .bind("prefix", token.prefix()).bind("hash", token.hash()).bind("cap", cap.sqlName())
                .bind("expiresSeconds", expiresIn.map(Duration::toSeconds).orElse(null))
                .mapTo(UUID.class).one();
    }

    /** Keys of the organisation, optionally only one key or one town's, oldest first within each town. */
    public List<ApiKeyInfo> infos(Handle h, Optional<UUID> keyId, Optional<UUID> townId) {
        return h.createQuery("""
                        SELECT k.id, k.key_prefix, k.name, coalesce(u.handle, u.email::text), t.slug,
                               coalesce(k.role_cap, m.role, 'viewer')::text,
                               k.created_at, k.expires_at, k.revoked_at, k.last_used_at
                        FROM core.api_keys k
                        JOIN core.users u ON u.id = k.user_id
                        JOIN core.towns t ON t.id = k.town_id
                        LEFT JOIN core.memberships m ON m.user_id = k.user_id AND m.town_id = k.town_id AND m.is_active
                        WHERE k.org_id = :org
                          AND (CAST(:key AS uuid) IS NULL OR k.id = CAST(:key AS uuid))
                          AND (CAST(:town AS uuid) IS NULL OR k.town_id = CAST(:town AS uuid))
                        ORDER BY t.slug, k.created_at, k.id""")
                .bind("org", orgId).bind("key", keyId.orElse(null)).bind("town", townId.orElse(null))
                .map((rs, ctx) -> info(rs))
                .list();
    }

    /** A key's id and the town it belongs to. */
    public record KeyRow(UUID id, UUID townId) {
    }

    /** The key of the organisation with id {@code id} or prefix {@code prefix}. */
    public Optional<KeyRow> find(Handle h, Optional<UUID> id, String prefix) {
        return h.createQuery("""
                        SELECT id, town_id FROM core.api_keys
                        WHERE org_id = :org AND (id = CAST(:id AS uuid) OR key_prefix = :prefix)""")
                .bind("org", orgId).bind("id", id.orElse(null)).bind("prefix", prefix)
                .map((rs, ctx) -> new KeyRow(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)))
                .findOne();
    }

    /** Marks a key revoked; false when it already was. */
    public boolean revoke(Handle h, UUID keyId) {
        return h.createUpdate("UPDATE core.api_keys SET revoked_at = now() WHERE id = :id AND revoked_at IS NULL")
                .bind("id", keyId).execute() > 0;
    }

    /**
     * One query: the key with {@code prefix} and the town ({@code townSlug}, else the key's own) it would act in.
     * Every keyed request starts with it, so it goes straight to JDBC with positional parameters, as
     * {@code TownContext} enters its context: Jdbi's named binding and mapping cost more CPU than the statement.
     */
    public Optional<KeyLookup> lookup(String prefix, Optional<String> townSlug) {
        return app.withHandle(h -> {
            try (PreparedStatement query = h.getConnection().prepareStatement("""
                    SELECT api_key_id, key_hash, user_id, is_usable, needs_touch, town_id, town_slug, role::text
                    FROM core.find_api_key_caller(?, ?)""")) {
                query.setString(1, prefix);
                query.setString(2, townSlug.orElse(null));
                try (ResultSet rs = query.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    KeyLookup found = new KeyLookup(rs.getObject(1, UUID.class), rs.getString(2),
                            rs.getObject(3, UUID.class), rs.getBoolean(4), rs.getBoolean(5),
                            Optional.ofNullable(rs.getObject(6, UUID.class)), Optional.ofNullable(rs.getString(7)),
                            Optional.ofNullable(rs.getString(8)).map(Role::parse));
                    if (rs.next()) { // a prefix is unique and a key acts in one town: never, as Jdbi's findOne checked
                        throw new IllegalStateException("more than one API key caller for one prefix");
                    }
                    return Optional.of(found);
                }
            } catch (SQLException e) {
                throw new UnableToExecuteStatementException(e, null); // as Jdbi reports a failed statement
            }
        });
    }

    /** Records that the key was used (the database writes at most once a minute per key). */
    public void touch(UUID keyId, String keyHash) {
        app.useHandle(h -> h.createQuery("SELECT core.touch_api_key(:id, :hash)")
                .bind("id", keyId).bind("hash", keyHash).mapTo(Boolean.class).one());
    }

    private static ApiKeyInfo info(ResultSet rs) throws SQLException {
        return new ApiKeyInfo(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), Role.parse(rs.getString(6)), instant(rs, 7).orElseThrow(), instant(rs, 8), instant(rs, 9),
                instant(rs, 10));
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
