// Import runs, and for the chosen run (the latest by default) where every source row went: imported, merged into
// an existing row or quarantined, per source table, against the migration plan's own figures.

import { get, items } from '../api.js';
import { h, show, card, table, badge, formatCount, formatTime, shortId } from '../dom.js';
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

export async function render(view, ctx) {
  const runs = items(await get('/api/v1/import-runs', { sort: '-started_at', limit: 50 }));
  if (runs.length === 0) {
    show(view, h('p', { class: 'empty' }, 'No import has run in this town yet (./townhall import).'));
    return;
  }
  const chosen = runs.find((r) => r.id === ctx.rest[0]) ?? runs[0];
  const reconciliation = items(await get('/api/v1/reconciliation', { run_id: chosen.id, limit: 500 }))
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
      { label: 'of them with values kept aside', align: 'num', value: (r) => formatCount(r.rows_with_value_issues) },
      { label: 'merged', align: 'num', value: (r) => formatCount(r.rows_merged) },
      { label: 'quarantined', align: 'num', value: (r) => formatCount(r.rows_quarantined) },
    ], runs, {
      onRowClick: (r) => ctx.navigate(`#/imports/${r.id}`),
      rowClass: (r) => (r === chosen ? 'selected' : null),
    })),
    reconciliationCard(chosen, reconciliation));
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
