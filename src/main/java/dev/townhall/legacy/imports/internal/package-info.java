/**
 * Internals of the importer ({@code legacy.imports}). Not API; may change without notice. The stages of one run:
 * {@code MappingLoader}/{@code Mapping} (the mapping file), {@code Prepared} (checked against the catalogs),
 * {@code SourceReader} (streaming reads), {@code RowProcessor} deciding each row's outcome with {@code ValueMapper}
 * (values: normalisers, maps, references, {@code Lookups}) and {@code MergeMatcher} (the merge rule, keys from
 * {@code MatchKeys}), into a {@code Batch} of typed rows ({@code TargetRow}, {@code LegacyRows}) that
 * {@code BatchWriter} COPYs with its checkpoint; {@code Ledger} (runs, lock) and {@code Reconciler} (accounting and
 * relationship checks) around it. Nothing here uses the generator's internals: the importer must work on legacy
 * databases the generator never made.
 */
package dev.townhall.legacy.imports.internal;
