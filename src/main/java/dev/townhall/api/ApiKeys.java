package dev.townhall.api;

import dev.townhall.ErrorCode;
import dev.townhall.TownHallException;
import dev.townhall.api.internal.ApiKeyStore;
import dev.townhall.api.internal.ApiKeyStore.KeyLookup;
import dev.townhall.api.internal.ApiKeyStore.KeyRow;
import dev.townhall.api.internal.ApiKeyStore.Membership;
import dev.townhall.api.internal.ApiKeyToken;
import dev.townhall.towns.Role;
import dev.townhall.towns.Town;
import dev.townhall.towns.TownContext;
import dev.townhall.towns.Towns;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API keys: made, listed and revoked by an operator (the CLI, as the owner role, each change audited), and checked
 * on every request. A key ({@code th_<prefix>_<secret>}) acts as its user in its town, or in another town of its
 * user that the request names, with at most the role it was made with; the database enforces that limit
 * ({@code core.role_cap()}), so a {@code viewer} key writes nothing whatever its user may do.
 *
 * <p>Works on the pools of the {@link Towns} it is made on; it opens none of its own.
 */
public final class ApiKeys {
    /** One message for every way a credential can fail, so failures tell a caller nothing about which keys exist. */
    private static final String UNAUTHENTICATED_MESSAGE = "missing or invalid API key (send Authorization: Bearer th_…)";
    private static final Duration SHORTEST_EXPIRY = Duration.ofMinutes(1);
    private static final Duration LONGEST_EXPIRY = Duration.ofDays(3650);
    private static final int NAME_MAX_LENGTH = 200;
    private static final Pattern EXPIRY = Pattern.compile("([0-9]{1,7})([dhm])");
    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Towns towns;
    private final ApiKeyStore store;

    private ApiKeys(Towns towns, ApiKeyStore store) {
        this.towns = towns;
        this.store = store;
    }

    /** API keys of the organisation {@code towns} works in, on its pools. */
    public static ApiKeys on(Towns towns) {
        return new ApiKeys(towns, new ApiKeyStore(towns.appJdbi(), towns.orgId()));
    }

    /**
     * Makes a key for {@code userRef} (handle, username or email) in {@code townSlug}, where the user must be an
     * active member. {@code role} may lower the key below the user's role there, never raise it; without it the key
     * keeps the user's role of now (a later promotion does not widen an existing key). {@code name} defaults to
     * USER@TOWN. Returns the key's text, which is stored nowhere: only its prefix and SHA-256 hash are.
     */
    public CreatedKey create(String userRef, String townSlug, Optional<Role> role, Optional<Duration> expiresIn,
                             String name) {
        String keyName = name == null ? userRef + "@" + townSlug : name.strip();
        if (keyName.isEmpty() || keyName.length() > NAME_MAX_LENGTH) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "name",
                    "a key's name must be 1 to " + NAME_MAX_LENGTH + " characters");
        }
        expiresIn.ifPresent(ApiKeys::requireExpiry);
        UUID user = towns.userId(userRef);
        Town town = towns.town(townSlug);
        ApiKeyToken token = ApiKeyToken.generate();
        ApiKeyInfo info = towns.ownerJdbi().inTransaction(h -> {
            Membership membership = store.membership(h, user, town.id(), role)
                    .orElseThrow(() -> TownHallException.forField(ErrorCode.INVALID_INPUT, "town", userRef
                            + " is not an active member of " + townSlug + "; a key acts as its user in its town"
                            + " (add a membership with ./townhall members add)"));
            if (role.isPresent() && membership.limited() != role.get()) {
                throw TownHallException.forField(ErrorCode.INVALID_INPUT, "role", "a key's role may only lower its"
                        + " user's: " + userRef + " is " + membership.role().sqlName() + " in " + townSlug
                        + ", so the key cannot be " + role.get().sqlName());
            }
            UUID id = store.insert(h, user, town.id(), keyName, token, role.orElse(membership.role()), expiresIn);
            towns.audit(h, town.id(), "api_key.create", "core.api_keys", id);
            return store.infos(h, Optional.of(id), Optional.empty()).get(0);
        });
        return new CreatedKey(info, token.text());
    }

    /** The organisation's keys, or one town's, never with a secret or hash. */
    public List<ApiKeyInfo> list(Optional<String> townSlug) {
        Optional<UUID> town = townSlug.map(slug -> towns.town(slug).id());
        return towns.ownerJdbi().withHandle(h -> store.infos(h, Optional.empty(), town));
    }

    /**
     * Revokes the key with id or prefix {@code idOrPrefix} (with or without {@code th_}); it stops working at once.
     * Revoking a revoked key changes nothing. {@link ErrorCode#NOT_FOUND} when there is no such key.
     */
    public ApiKeyInfo revoke(String idOrPrefix) {
        String ref = idOrPrefix.strip();
        Optional<UUID> id = ID.matcher(ref).matches() ? Optional.of(UUID.fromString(ref)) : Optional.empty();
        String prefix = ApiKeyToken.parse(ref).map(ApiKeyToken::prefix)
                .orElse(ref.startsWith("th_") ? ref.substring(3) : ref);
        return towns.ownerJdbi().inTransaction(h -> {
            KeyRow key = store.find(h, id, prefix).orElseThrow(() -> new TownHallException(ErrorCode.NOT_FOUND,
                    "no API key with id or prefix '" + ref + "' (see ./townhall keys list)"));
            if (store.revoke(h, key.id())) {
                towns.audit(h, key.townId(), "api_key.revoke", "core.api_keys", key.id());
            }
            return store.infos(h, Optional.of(key.id()), Optional.empty()).get(0);
        });
    }

    /**
     * Who the key {@code bearerToken} (the text after {@code Bearer }) acts as, in {@code townSlug} when given, else
     * in the key's own town. One lookup query; the key's last use is recorded at most once a minute.
     *
     * @throws TownHallException {@link ErrorCode#UNAUTHENTICATED} for a missing, malformed, unknown, wrong, revoked
     *                           or expired key (one message for all); {@link ErrorCode#FORBIDDEN} when the key's user
     *                           is not an active member of the town
     */
    public Caller authenticate(String bearerToken, Optional<String> townSlug) {
        ApiKeyToken key = ApiKeyToken.parse(bearerToken).orElseThrow(ApiKeys::unauthenticated);
        KeyLookup found = store.lookup(key.prefix(), townSlug)
                .filter(k -> key.matches(k.keyHash()) && k.usable())
                .orElseThrow(ApiKeys::unauthenticated);
        if (found.needsTouch()) {
            store.touch(found.keyId(), found.keyHash());
        }
        if (found.townId().isEmpty() || found.townSlug().isEmpty() || found.role().isEmpty()) {
            throw new TownHallException(ErrorCode.FORBIDDEN, townSlug
                    .map(slug -> "this key's user is not an active member of town '" + slug + "'")
                    .orElse("this key's user is no longer an active member of the key's town"));
        }
        Role role = found.role().get();
        TownContext context = towns.as(found.userId(), found.townId().get()).limitedTo(role);
        return new Caller(found.keyId(), key.prefix(), found.userId(), found.townId().get(), found.townSlug().get(),
                role, context);
    }

    /** {@code 90d}, {@code 12h}, {@code 30m}: how long a new key lasts, as {@code keys create --expires} takes it. */
    public static Duration parseExpiresIn(String text) {
        Matcher m = EXPIRY.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "expires", "expiry must be a whole number of"
                    + " days, hours or minutes, like 90d, 12h or 30m; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration expiresIn = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        requireExpiry(expiresIn);
        return expiresIn;
    }

    private static void requireExpiry(Duration expiresIn) {
        if (expiresIn.compareTo(SHORTEST_EXPIRY) < 0 || expiresIn.compareTo(LONGEST_EXPIRY) > 0) {
            throw TownHallException.forField(ErrorCode.INVALID_INPUT, "expires",
                    "a key must expire between 1m and 3650d from now, got " + expiresIn.toMinutes() + "m");
        }
    }

    private static TownHallException unauthenticated() {
        return new TownHallException(ErrorCode.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE);
    }
}
