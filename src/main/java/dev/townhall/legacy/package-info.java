/**
 * The old "Robbie" and "Robbie_Allan" databases: {@link dev.townhall.legacy.LegacyGenerator} builds demo copies of
 * them (the shapes of {@code legacy-schemas.md}, the seeds' sizes, realistic mess), deterministic from a seed.
 */
package dev.townhall.legacy;
