/**
 * Internals of the generator ({@code legacy.generate}): word lists, the world model, per-table row makers, the ways
 * values are spoiled, and COPY streaming. Not API; may change without notice. The importer must not use any of it:
 * it has to work on legacy databases this code never made.
 */
package dev.townhall.legacy.generate.internal;
