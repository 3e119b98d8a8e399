package dev.townhall.compat;

import java.time.Instant;

/** A bound login as {@code ./townhall logins list} shows it: never its password, which is stored nowhere readable. */
public record LoginInfo(String name, String user, String town, String schema, boolean readOnly, Instant createdAt) {
}
