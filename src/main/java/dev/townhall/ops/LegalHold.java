package dev.townhall.ops;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * One row of {@code ops.legal_holds}: while in force (no {@code until}, or until later than now) no policy touches the
 * rows of {@code table} it covers: of {@code town} (empty: every town), the row {@code row} (empty: every row).
 */
public record LegalHold(UUID id, String table, Optional<String> town, Optional<UUID> row, String reason,
                        Optional<OffsetDateTime> until) {
}
