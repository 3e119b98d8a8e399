// Activities per month and town (CRM touches: emails, calls, meetings, …), counted by the server under row-level
// security, so each caller sees the months of the towns they may read.

import { get, items } from '../api.js';
import { h, show, card, table, formatCount } from '../dom.js';
import { columnChart } from '../charts.js';

export async function render(view, ctx) {
  const counts = items(await get('/api/v1/analytics/activities-per-month'));
  if (counts.length === 0) {
    show(view, h('p', { class: 'empty' }, 'No activities you can read yet.'));
    return;
  }
  const months = monthsBetween(counts.map((c) => c.month));
  const slugs = ctx.towns.map((t) => t.slug).filter((slug) => counts.some((c) => c.town === slug));
  counts.forEach((c) => { if (!slugs.includes(c.town)) slugs.push(c.town); });
  const perMonth = new Map(months.map((m) => [m, {}]));
  counts.forEach((c) => { perMonth.get(c.month)[c.town] = Number(c.activities); });
  const series = slugs.map((slug) => ({ key: slug, label: slug, color: ctx.townColor(slug) }));
  const total = (m) => slugs.reduce((sum, slug) => sum + (perMonth.get(m)[slug] ?? 0), 0);

  show(view, 
    h('p', { class: 'lede' }, `${formatCount(counts.reduce((sum, c) => sum + Number(c.activities), 0))} activities`
      + ` from ${monthLabel(months[0], true)} to ${monthLabel(months[months.length - 1], true)}.`),
    card('Activities per month', columnChart({
      categories: months,
      series,
      value: (m, slug) => perMonth.get(m)[slug] ?? 0,
      categoryLabel: (m) => monthLabel(m, m.endsWith('-01') || m === months[0]),
      title: 'activities per month, by town',
    })),
    card('Figures (newest month first)', h('div', { class: 'scroll' }, table([
      { label: 'month', value: (m) => monthLabel(m, true) },
      ...slugs.map((slug) => ({ label: slug, align: 'num', value: (m) => formatCount(perMonth.get(m)[slug] ?? 0) })),
      { label: 'total', align: 'num', class: 'strong', value: (m) => formatCount(total(m)) },
    ], [...months].reverse()))));
}

/** Every month from the first to the last given ('YYYY-MM'), so quiet months show as gaps, not as nothing. */
function monthsBetween(values) {
  const sorted = [...new Set(values)].sort();
  const [firstYear, firstMonth] = sorted[0].split('-').map(Number);
  const last = sorted[sorted.length - 1];
  const months = [];
  for (let year = firstYear, month = firstMonth; ; month += 1) {
    if (month > 12) {
      year += 1;
      month = 1;
    }
    const key = `${year}-${String(month).padStart(2, '0')}`;
    months.push(key);
    if (key >= last) {
      return months;
    }
  }
}

const MONTH = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const MONTH_YEAR = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

function monthLabel(month, withYear) {
  const [year, m] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year, m - 1, 1));
  return (withYear ? MONTH_YEAR : MONTH).format(date);
}
