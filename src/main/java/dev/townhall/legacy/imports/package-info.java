/**
 * The importer: {@link dev.townhall.legacy.imports.Importer} brings any database of the old "Robbie" and
 * "Robbie_Allan" shapes into TownHall as an {@link dev.townhall.legacy.imports.ImportPlan} (a mapping file) says,
 * returning an {@link dev.townhall.legacy.imports.ImportReport}. Everything else (mapping model, normalisers, merge
 * keys, COPY batches, run ledger, reconciliation) is in {@code legacy.imports.internal} and is not API.
 *
 * <h2>Outcomes</h2>
 * Every source row ends as exactly one of: <b>imported</b> (it became a new row; {@code legacy.id_map} outcome
 * {@code imported}), <b>merged</b> into an existing row ({@code merged}, with that row's id), or <b>quarantined</b>
 * ({@code legacy.quarantine}: reason code, sentence, the original row as JSON). Values an imported row had to go
 * without are kept in {@code legacy.value_issues} with the raw value; nothing read is dropped silently. Target ids are
 * name-based (UUID v5 of town, source, table and source id), so a resumed run writes what an uninterrupted one would.
 *
 * <h2>Merge rules</h2>
 * <ol>
 * <li>Rows of a table without a unique key that repeat a key (Apollo's CSV loads) are one record: the first one's
 * row. Their source ids are {@code key#n}, numbered by content hash.</li>
 * <li>Companies: same normalised domain (the host name without scheme, credentials, port, path, trailing dot or
 * {@code www.}, lower case, an international name as punycode; a name without spaces that is a host name counts as
 * one); else same name key (folded, "the" and legal forms dropped: "The ACME Corp." = "acme") where the
 * domains do not disagree.</li>
 * <li>Contacts: same e-mail (trimmed, lower case, without {@code mailto:}, angle brackets or trailing dot); else same first and last name at the same company where the
 * e-mails do not disagree.</li>
 * <li>These keys are defined once ({@code MatchKeys}): the merge, the {@code company_by_name} and
 * {@code contact_by_email} lookups and the reconciliation's relationship check all use them.</li>
 * <li>Several candidates are never chosen between: the row is quarantined ({@code ambiguous_match}).</li>
 * <li>Merging fills blanks and records who supplied them ({@code legacy.filled_values}); a differing value is not
 * overwritten but recorded in {@code legacy.merge_conflicts} with the value kept, the value not kept and both
 * sources ({@code first_non_empty}). Deals, activities and the rest never merge.</li>
 * </ol>
 *
 * <h2>Users</h2>
 * A legacy text user id names a user when, trimmed and lower-cased, it is the handle, e-mail or alias of a user the
 * mapping lists (created without password or membership when missing; recorded in {@code legacy.id_map} as
 * {@code user_text_id}, outcome {@code mapped}), or the handle or e-mail of an existing user of the organisation.
 * Any other id is never guessed: the row keeps no owner and the id waits in {@code legacy.value_issues}
 * ({@code unknown_user}).
 *
 * <h2>Deferred references</h2>
 * A reference whose parent does not exist ({@code orphan_reference}) or is in quarantine ({@code parent_quarantined})
 * does not hold its row back: the row is imported with the reference empty and the legacy key kept in
 * {@code legacy.deferred_links}. Every run ends by linking the pending references whose parent has arrived since (a
 * delta that brought it, a quarantined parent accepted or retried), and the reconciliation counts them pending and
 * resolved per source table. Only a reference the row cannot exist without ({@code required}) still quarantines.
 *
 * <h2>Salvage</h2>
 * A row that can become a meaningful TownHall row is imported; what it could not keep is a value issue. A table's
 * {@code identity} columns (contacts: names, e-mail, phone, LinkedIn URL; companies: name, domain, website) decide
 * whether a row is anyone at all ({@code no_identity} otherwise). A required column's {@code default_from} templates
 * give a new row an honest default ("Meeting on 2024-03-05 with Allan, Kristina", a contact by its e-mail's local
 * part), flagged {@code default_name} with the stored text; a merged row keeps the existing value. A column's
 * {@code fallback_from} reads another source column when its own value is missing or refused (a sentinel created
 * date falls back to the last-modified date), flagged {@code fallback_value}. Text date columns read their ambiguous
 * day/month dates in the order their unambiguous values show (per column and separator, decided before the run,
 * listed in the report's {@code dateOrders}; an ambiguous value read against the separator's default is noted
 * {@code ambiguous_date}).
 *
 * <h2>Quarantine reasons</h2>
 * {@code no_identity} (none of the table's identity columns has a usable value), {@code missing_required} (a new
 * row lacks a required value that has no default; the sentence names a refused value's reason),
 * {@code orphan_reference} and {@code parent_quarantined} (only for a required reference, or where the mapping
 * says {@code on_missing: quarantine}), {@code invalid_email}, {@code unparseable_date}, {@code implausible_date},
 * {@code unmapped_value} (e.g. a CRM stage the map does not know), {@code negative_amount}, {@code absurd_amount},
 * {@code ambiguous_match}, {@code ambiguous_reference}, {@code rejected_by_target} (the database refused the row:
 * its message is the reason). Which refused values quarantine a row and which are only noted is the mapping's
 * {@code on_invalid}/{@code on_missing} choice per column. {@code import --retry-quarantine} re-imports open entries,
 * parents before children: a reviewer's {@code fixed_row} where set ({@code quarantine accept}), else the row as the
 * source holds it now (fixed at the source), else as it was quarantined.
 *
 * <h2>Runs</h2>
 * One import per town at a time (advisory lock). Batches are committed with their checkpoint; a run that died is
 * marked {@code interrupted} and the next run with the same options resumes from its checkpoints. A second run skips
 * rows whose content hash is unchanged (idempotent), updates rows that changed (delta), and retries nothing
 * quarantined unless asked. A dry run does everything in one transaction that is rolled back.
 */
package dev.townhall.legacy.imports;
