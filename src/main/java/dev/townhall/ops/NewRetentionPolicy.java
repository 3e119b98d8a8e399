package dev.townhall.ops;

import java.util.Optional;

/**
 * A policy to add: {@code town} a slug (empty: every town), {@code column} empty for the whole row (delete only),
 * {@code after} an age such as {@code 365d}, {@code 12w}, {@code 6mo}, {@code 2y} or {@code 48h}, {@code ageColumn}
 * the timestamp it is measured on (empty: created_at).
 */
public record NewRetentionPolicy(String table, Optional<String> town, Optional<String> column, RetentionAction action,
                                 String after, Optional<String> ageColumn, boolean legalHold) {
}
