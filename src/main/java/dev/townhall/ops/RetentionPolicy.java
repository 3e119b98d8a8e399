package dev.townhall.ops;

import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code ops.retention_policies}: rows of {@code table} (of {@code town}, or every town) whose
 * {@code ageColumn} is older than {@code after} get {@code action} on {@code column} (empty: the whole row).
 */
public record RetentionPolicy(UUID id, String table, Optional<String> town, Optional<String> column,
                              RetentionAction action, String after, String ageColumn, boolean legalHold) {
}
