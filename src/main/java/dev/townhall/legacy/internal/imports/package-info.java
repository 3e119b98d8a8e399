/**
 * Internals of the legacy importer: the mapping file's model and its loader, the named normalisers, the merge
 * indexes, streaming reads, COPY batches, the run ledger and the reconciliation. Not API; may change without
 * notice. Nothing here uses the generator's internals: the importer must work on legacy databases the generator
 * never made.
 */
package dev.townhall.legacy.internal.imports;
