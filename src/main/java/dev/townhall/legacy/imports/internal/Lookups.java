package dev.townhall.legacy.imports.internal;

import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The reference lookups a mapping may name: {@code contact_by_email} and {@code company_by_name} (a host name is
 * looked up as a domain, anything else by name key). The keys are {@link MatchKeys}'s, the rows those of the
 * {@link RunState}'s merge indexes; several rows are never chosen between. Row processing and the reconciliation's
 * relationship check both ask here.
 */
public final class Lookups {
    public static final String CONTACT_BY_EMAIL = "contact_by_email";

    /** What a lookup found: one row's id, or why there is none ({@code code}, {@code reason}). */
    public record Found(UUID id, String code, String reason) {
        static Found one(UUID id) {
            return new Found(id, null, null);
        }

        static Found none(String code, String reason) {
            return new Found(null, code, reason);
        }
    }

    private final RunState state;
    private final Predicate<String> isPlaceholder;

    public Lookups(RunState state, Predicate<String> isPlaceholder) {
        this.state = state;
        this.isPlaceholder = isPlaceholder;
    }

    /** The target table lookup {@code lookup} searches. */
    public static String targetTable(String lookup) {
        return lookup.equals(CONTACT_BY_EMAIL) ? "crm.contacts" : "crm.companies";
    }

    /** Runs lookup {@code lookup} for {@code text} (stripped, not blank). */
    public Found find(String lookup, String text) {
        if (lookup.equals(CONTACT_BY_EMAIL)) {
            String email;
            try {
                email = Normalisers.email(text, isPlaceholder);
            } catch (InvalidValue e) {
                return Found.none("invalid_email", "'" + text + "' is not an e-mail address to look a contact up by");
            }
            if (email == null) {
                return Found.none("orphan_reference", "'" + text + "' names no contact");
            }
            return single(state.index("crm.contacts").byPrimary(MatchKeys.email(email)), "contact", "contacts",
                    "e-mail " + email);
        }
        RunState.TargetIndex companies = state.index("crm.companies");
        String host = MatchKeys.hostOfName(text);
        if (host != null) {
            return single(companies.byPrimary(host), "company", "companies", "domain " + host);
        }
        String key = MatchKeys.companyName(TextRepair.repair(text));
        return single(key == null ? Set.of() : companies.byName(key), "company", "companies",
                "name '" + text.strip() + "'");
    }

    private static Found single(Set<UUID> ids, String row, String rows, String what) {
        if (ids.size() == 1) {
            return Found.one(ids.iterator().next());
        }
        return ids.isEmpty() ? Found.none("orphan_reference", "no imported " + row + " has the " + what)
                : Found.none("ambiguous_reference", ids.size() + " " + rows + " have the " + what);
    }
}
