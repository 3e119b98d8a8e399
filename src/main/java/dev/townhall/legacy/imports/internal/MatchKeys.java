package dev.townhall.legacy.imports.internal;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keys companies and contacts are found by, defined once: the merge index of what is already imported, the
 * merge rule matching a new row, a reference lookup ({@code company_by_name}, {@code contact_by_email}) and the
 * reconciliation's relationship check all compute them here, so a lookup and a merge can never disagree about the
 * same host or address.
 * <ul>
 * <li>Company: its normalised domain (see {@link #host}); a name without one that is itself a host name counts as
 * that domain. Else its name key ({@link Names#companyKey}); a name that is a host name has none.</li>
 * <li>Contact: its e-mail (see {@link #email}); else first and last name folded, at the same company.</li>
 * </ul>
 */
public final class MatchKeys {
    /** A URL's scheme and "//". */
    static final Pattern SCHEME = Pattern.compile("^[a-z][a-z0-9+.-]*://", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOST_NAME = Pattern.compile(
            "[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\\.[a-z][a-z0-9-]*[a-z0-9]");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private MatchKeys() {
    }

    /**
     * The host of a domain or URL: no scheme, credentials, port, path, trailing dots or "www."; lower case, an
     * international name as punycode ({@code HTTPS://WWW.Bücher.example./x} is {@code xn--bcher-kva.example}).
     * Null when what is left is not a host name.
     */
    public static String host(String text) {
        if (text == null) {
            return null;
        }
        String candidate;
        try {
            candidate = hostCandidate(text.strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        return isHostName(candidate) ? candidate : null;
    }

    /**
     * {@link #host} before its final check: what is left of {@code text} once the wrapping is removed, possibly
     * empty or not a host name. Throws {@link IllegalArgumentException} when it cannot be written as punycode.
     */
    static String hostCandidate(String text) {
        String host = SCHEME.matcher(text).replaceFirst("");
        host = host.replaceFirst("^/+", "");
        int cut = firstIndexOf(host, "/?#\\ ");
        if (cut >= 0) {
            host = host.substring(0, cut);
        }
        int at = host.lastIndexOf('@');
        if (at >= 0) {
            host = host.substring(at + 1);
        }
        int colon = host.indexOf(':');
        if (colon >= 0) {
            host = host.substring(0, colon);
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
        if (host.startsWith("www.")) {
            host = host.substring(4);
        }
        return IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    }

    /** True when {@code candidate} (lower case, punycode) is a host name with a top-level domain. */
    static boolean isHostName(String candidate) {
        return HOST_NAME.matcher(candidate).matches();
    }

    private static int firstIndexOf(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The host a company name stands for ("Acme.com", "https://acme.com/"), or null for a name ("Acme Corp."). */
    public static String hostOfName(String name) {
        if (name == null || WHITESPACE.matcher(name.strip()).find()) {
            return null;
        }
        return host(name);
    }

    /** A company's primary key: its domain as a host, else the host its name is; null when it has neither. */
    public static String companyPrimary(String domain, String name) {
        if (domain != null) {
            String host = host(domain);
            // a stored value that is no host name (written before the importer) still matches itself
            return host != null ? host : domain.strip().toLowerCase(Locale.ROOT);
        }
        return hostOfName(name);
    }

    /** A company's name key; null for a name that is a host name (it is matched as a domain) or folds to nothing. */
    public static String companyName(String name) {
        return name == null || hostOfName(name) != null ? null : Names.companyKey(name);
    }

    /** An e-mail address as contacts are matched by: see {@link Normalisers#canonicalEmail}. */
    public static String email(String text) {
        return text == null ? null : Normalisers.canonicalEmail(text);
    }

    /** A contact's name key: first and last name folded, at one company; null without a name or a company. */
    public static String contactName(String firstName, String lastName, Object companyId) {
        String person = Names.personKey(firstName, lastName);
        return companyId == null || person == null ? null : person + "|" + companyId;
    }
}
