// Import runs, and for the chosen run (the latest by default) where every source row went: imported, merged into
// an existing row or quarantined, per source table, against the migration plan's own figures; then its salvage
// review: the values its rows were imported without (by reason, #/imports/<run>?reason=<code> for one) and the
// references it imported empty that still wait for their parent.

import { get, items } from '../api.js';
import { h, show, card, table, badge, formatCount, formatTime, shortId, sourceId, errorBox } from '../dom.js';
import { barChart } from '../charts.js';

// imported rows split into clean and with values kept aside (rows_with_value_issues is part of rows_imported)
const OUTCOMES = [
  { key: 'rows_clean', label: 'imported clean', color: '#16a34a' },
  { key: 'rows_with_value_issues', label: 'imported, values kept aside', color: '#86efac' },
  { key: 'rows_merged', label: 'merged', color: '#2563eb' },
  { key: 'rows_quarantined', label: 'quarantined', color: '#f59e0b' },
  { key: 'unaccounted_rows', label: 'unaccounted', color: '#dc2626' },
];
const STATUS_TONE = { succeeded: 'good', running: 'info', failed: 'bad', interrupted: 'warn' };
const SALVAGE_PAGE = 25;
/** What an empty salvage list also means: the API answers the town's other members with an empty list. */
const ADMINS_ONLY = 'The salvage review is visible to the town\'s owners and admins only.';

export async function render(view, ctx) {
  const runs = items(await get('/api/v1/import-runs', { sort: '-started_at', limit: 50 }));
  if (runs.length === 0) {
    show(view, h('p', { class: 'empty' }, 'No import has run in this town yet (./townhall import).'));
    return;
  }
  const chosen = runs.find((r) => r.id === ctx.rest[0]) ?? runs[0];
  const reason = ctx.params.get('reason');
  // value issues grouped by reason (reason_code leads an index, so it is a sort the API allows; ties go by id), links
  // by the table whose column waits (status leads no index, so the API cannot filter it: linksCard leaves resolved out)
  const issuesPage = (cursor) => get('/api/v1/value-issues',
    { run_id: chosen.id, reason_code: reason, sort: 'reason_code', limit: SALVAGE_PAGE, cursor });
  const linksPage = (cursor) => get('/api/v1/deferred-links',
    { run_id: chosen.id, sort: 'target_table', limit: SALVAGE_PAGE, cursor });
  const [lines, issues, links] = await Promise.all([
    get('/api/v1/reconciliation', { run_id: chosen.id, limit: 500 }), issuesPage(), linksPage()]);
  const reconciliation = items(lines)
    .sort((a, b) => `${a.source_db}.${a.source_table}`.localeCompare(`${b.source_db}.${b.source_table}`));

  show(view, 
    card('Import runs', table([
      { label: 'started', value: (r) => formatTime(r.started_at) },
      { label: 'run', value: (r) => shortId(r.id) },
      { label: 'into', value: (r) => ctx.townSlug(r.town_id) },
      { label: 'mode', value: (r) => r.mode + (r.dry_run ? ' (dry run)' : '') },
      { label: 'status', value: (r) => badge(r.status, STATUS_TONE[r.status]) },
      { label: 'sources', class: 'wrap narrow', value: (r) => (r.sources ?? []).join(', ') },
      { label: 'read', align: 'num', value: (r) => formatCount(r.rows_read) },
      { label: 'imported', align: 'num', value: (r) => formatCount(r.rows_imported) },
      { label: 'merged', align: 'num', value: (r) => formatCount(r.rows_merged) },
      { label: 'quarantined', align: 'num', value: (r) => formatCount(r.rows_quarantined) },
    ], runs, {
      onRowClick: (r) => ctx.navigate(`#/imports/${r.id}`),
      rowClass: (r) => (r === chosen ? 'selected' : null),
    })),
    reconciliationCard(chosen, reconciliation),
    valueIssuesCard(chosen, reason, issues, issuesPage, ctx),
    linksCard(links, linksPage));
}

function reconciliationCard(run, rows) {
  const unaccounted = rows.reduce((sum, r) => sum + Number(r.unaccounted_rows ?? 0), 0);
  const summary = h('p', { class: 'lede' },
    'Run ', shortId(run.id), ` (${formatTime(run.started_at)}) read ${formatCount(run.rows_read)} rows from`
    + ` ${rows.length} source tables: `,
    unaccounted === 0
      ? badge('every row accounted for', 'good')
      : badge(`${formatCount(unaccounted)} rows unaccounted`, 'bad'),
    run.error ? h('span', { class: 'error-text' }, ` ${run.error}`) : null);
  if (rows.length === 0) {
    return card('Reconciliation', summary, h('p', { class: 'empty' }, 'This run recorded no reconciliation.'));
  }
  return card('Reconciliation', summary,
    barChart({
      // a table the run read nothing from has no shares to draw; the table below still lists it
      rows: rows.filter((r) => Number(r.rows_read) > 0).map((r) => ({
        label: `${r.source_db}.${r.source_table}`,
        values: Object.fromEntries(OUTCOMES.map((o) => [o.key, o.key === 'rows_clean'
          ? Number(r.rows_imported) - Number(r.rows_with_value_issues ?? 0) : Number(r[o.key] ?? 0)])),
        note: `${formatCount(r.rows_read)} read`,
      })),
      // unaccounted rows are a bug the table shows anyway; the legend names them only when there are some
      series: unaccounted === 0 ? OUTCOMES.filter((o) => o.key !== 'unaccounted_rows') : OUTCOMES,
      normalized: true,
      title: 'where each source table\'s rows went',
    }),
    table([
      { label: 'source table', value: (r) => h('code', {}, `${r.source_db}.${r.source_table}`) },
      { label: 'plan', align: 'num', value: (r) => formatCount(r.expected_rows) },
      { label: 'read', align: 'num', value: (r) => formatCount(r.rows_read) },
      { label: 'read − plan', align: 'num', value: (r) => difference(r.plan_difference) },
      { label: 'imported', align: 'num', value: (r) => formatCount(r.rows_imported) },
      { label: 'of them with values kept aside', align: 'num', value: (r) => formatCount(r.rows_with_value_issues) },
      { label: 'merged', align: 'num', value: (r) => formatCount(r.rows_merged) },
      { label: 'quarantined', align: 'num', value: (r) => formatCount(r.rows_quarantined) },
      { label: 'unaccounted', align: 'num', value: (r) => (Number(r.unaccounted_rows) === 0
        ? h('span', { class: 'ok' }, '0') : badge(formatCount(r.unaccounted_rows), 'bad')) },
      { label: 'links waiting', align: 'num', value: (r) => formatCount(r.links_pending) },
      { label: 'links made', align: 'num', value: (r) => formatCount(r.links_resolved) },
      { label: 'quarantined because', class: 'wrap', value: (r) => reasons(r.quarantined_by_reason) },
    ], rows));
}

function difference(value) {
  if (value === null || value === undefined) {
    return '–';
  }
  const n = Number(value);
  return n === 0 ? '0' : h('span', { class: 'diff' }, `${n > 0 ? '+' : '−'}${formatCount(Math.abs(n))}`);
}

function reasons(byReason) {
  const entries = Object.entries(byReason ?? {}).sort((a, b) => b[1] - a[1]);
  return entries.length === 0 ? '' : h('span', { class: 'chips' },
    entries.map(([code, n]) => h('span', { class: 'chip' }, `${code} ${formatCount(n)}`)));
}

/** Where a salvage row came from. */
const SOURCE_COLUMNS = [
  { label: 'source table', value: (r) => h('code', {}, `${r.source_db}.${r.source_table}`) },
  { label: 'source id', value: (r) => sourceId(r.source_id) },
];

/** The TownHall row concerned, as a reference: the console has no page that opens a single record. */
const TARGET_COLUMN = { label: 'TownHall row', value: (r) => [h('code', {}, r.target_table), ' ', shortId(r.target_id)] };

function valueIssuesCard(run, reason, first, nextPage, ctx) {
  const only = (code) => `#/imports/${run.id}${code ? `?${new URLSearchParams({ reason: code })}` : ''}`;
  return card('Values kept aside',
    h('p', { class: 'lede' }, 'Values the run could not keep: each row was imported without it (or with what is shown'
      + ' instead), and the legacy value waits here. Click a reason to see only its values.'),
    pagedTable([
      { label: 'reason', value: (r) => h('a', { class: 'badge badge-warn', href: only(r.reason_code) }, r.reason_code) },
      ...SOURCE_COLUMNS,
      { label: 'column', value: (r) => (r.column_name ? h('code', {}, r.column_name) : h('span', { class: 'muted' }, 'whole row')) },
      { label: 'raw value', class: 'wrap narrow', value: (r) => (r.raw_value === null ? null : h('code', { class: 'raw' }, r.raw_value)) },
      { label: 'stored instead', class: 'wrap narrow', value: (r) => (r.stored_value === null
        ? h('span', { class: 'muted' }, 'left empty') : h('code', { class: 'raw' }, r.stored_value)) },
      { label: 'why', class: 'wrap', value: (r) => r.reason },
      TARGET_COLUMN,
    ], first, nextPage, {
      id: 'value-issues',
      empty: `${reason ? `No value kept aside for ${reason} in this run.` : 'This run kept every value.'} ${ADMINS_ONLY}`,
      head: (rows) => reasonFilter(rows, reason, (code) => ctx.navigate(only(code))),
    }));
}

/** The reasons of the values shown (the API counts none per reason), and the chosen one. */
function reasonFilter(rows, reason, choose) {
  const codes = [...new Set([reason, ...rows.map((r) => r.reason_code)].filter(Boolean))].sort();
  return h('label', { class: 'filter' }, 'reason ',
    h('select', { id: 'reason-filter', onchange: (event) => choose(event.target.value) },
      h('option', { value: '' }, 'every reason'),
      codes.map((code) => h('option', { value: code, selected: code === reason }, code))));
}

function linksCard(first, nextPage) {
  return card('Links waiting',
    h('p', { class: 'lede' }, 'References the run imported empty because the parent row was missing or quarantined;'
      + ' the importer links them when the parent arrives.'),
    pagedTable([
      ...SOURCE_COLUMNS,
      { label: 'column', value: (r) => h('code', {}, r.column_name) },
      { label: 'parent', value: (r) => h('code', {}, r.lookup
        ? `lookup ${r.lookup}` : `${r.parent_source_db}.${r.parent_source_table}`) },
      { label: 'parent key', class: 'wrap narrow', value: (r) => h('code', { class: 'raw' }, r.parent_key) },
      { label: 'reason', value: (r) => badge(r.reason_code, 'warn') },
      TARGET_COLUMN,
    ], first, nextPage, {
      id: 'deferred-links',
      keep: (r) => r.status === 'pending',
      empty: `No link of this run is waiting. ${ADMINS_ONLY}`,
    }));
}

/**
 * A list that grows a page at a time: "more" asks for the page after the last one shown (nextPage(next_cursor)) and
 * adds its rows below. keep(row) leaves out rows the API cannot filter away; head(rows) stands above the table.
 */
function pagedTable(columns, first, nextPage, { id, empty, keep = () => true, head = () => null }) {
  const rows = items(first).filter(keep);
  let cursor = first.next_cursor;
  const holder = h('div', { id });
  const draw = (error) => show(holder, head(rows),
    table(columns, rows, { empty: cursor ? 'None among the rows read so far.' : empty }),
    error ? errorBox(error) : null,
    cursor ? h('div', { class: 'pager' },
      h('span', { class: 'page-number' }, `${formatCount(rows.length)} shown`),
      h('button', { type: 'button', class: 'button secondary', id: `${id}-more`, onclick: more }, 'more')) : null);
  async function more(event) {
    event.target.disabled = true;
    try {
      const page = await nextPage(cursor);
      rows.push(...items(page).filter(keep));
      cursor = page.next_cursor;
      draw();
    } catch (error) {
      draw(error);
    }
  }
  draw();
  return holder;
}
