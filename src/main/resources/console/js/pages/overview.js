// Rows per table and town, as the caller sees them (row-level security decides), as figures per town, a bar chart
// and a table.

import { get } from '../api.js';
import { h, show, card, table, formatCount } from '../dom.js';
import { barChart } from '../charts.js';

export async function render(view, ctx) {
  // {"tables": {"crm.companies": {"aurora": 7909, "fluenti": 3}, ...}}
  const { tables } = await get('/api/v1/towns/overview');
  const rows = Object.entries(tables ?? {}).map(([name, perTown]) => ({
    table: name,
    values: perTown,
    total: Object.values(perTown).reduce((sum, n) => sum + Number(n), 0),
  })).filter((r) => r.total > 0).sort((a, b) => b.total - a.total || a.table.localeCompare(b.table));
  const towns = ordered(unique(rows.flatMap((r) => Object.keys(r.values))), ctx.towns.map((t) => t.slug));
  const series = towns.map((slug) => ({ key: slug, label: slug, color: ctx.townColor(slug) }));
  const townTotal = (slug) => rows.reduce((sum, r) => sum + (r.values[slug] ?? 0), 0);

  show(view, 
    h('p', { class: 'lede' }, `What ${ctx.me.user.handle ?? 'you'} can read, counted per table and owning town.`),
    h('div', { class: 'stats' }, series.map((s) => h('div', { class: 'stat', style: `--accent:${s.color}` },
      h('span', { class: 'stat-label' }, s.label), h('span', { class: 'stat-value' }, formatCount(townTotal(s.key))),
      h('span', { class: 'stat-unit' }, 'rows')))),
    card('Rows per table', barChart({
      rows: rows.map((r) => ({ label: r.table, values: r.values })),
      series,
      title: 'rows per table, by owning town',
    })),
    card('Figures', table([
      { label: 'table', value: (r) => h('code', {}, r.table) },
      ...towns.map((slug) => ({ label: slug, align: 'num', value: (r) => formatCount(r.values[slug] ?? 0) })),
      { label: 'total', align: 'num', class: 'strong', value: (r) => formatCount(r.total) },
    ], rows, { empty: 'No rows you can read yet.' })));
}

function unique(values) {
  return [...new Set(values)];
}

/** The towns in the organisation's order (capital first), any others after them. */
function ordered(slugs, order) {
  const rank = (slug) => (order.indexOf(slug) === -1 ? order.length : order.indexOf(slug));
  return slugs.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
