/**
 * Internals of the {@code legacy} package: the generator's word lists, world model, per-table row makers, the ways
 * it spoils values, and COPY streaming. Not API; may change without notice. The importer must not use any of it:
 * it has to work on legacy databases this code never made.
 */
package dev.townhall.legacy.internal;
