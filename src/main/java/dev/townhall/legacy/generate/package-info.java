/**
 * The demo legacy databases: {@link dev.townhall.legacy.generate.LegacyGenerator} builds the old "Robbie" and
 * "Robbie_Allan" databases (the shapes of {@code legacy-schemas.md}, the seeds' sizes, realistic mess: different id
 * types, duplicates across sources, orphans, bad e-mails, mixed date formats, mojibake), byte-identical for the same
 * seed, into a {@link dev.townhall.legacy.generate.LegacyTarget}, and returns a
 * {@link dev.townhall.legacy.generate.GenerateReport}. Its word lists, world model, row makers and COPY streaming are
 * in {@code legacy.generate.internal} and are not API.
 */
package dev.townhall.legacy.generate;
