// Source rows the importer could not take: a paged list (keyset cursor, so "next page" follows next_cursor and the
// browser's Back returns to the page before), and one row opened with its reason and the legacy row as it was read.

import { get, items } from '../api.js';
import { h, show, card, table, badge, formatTime, shortId, sourceId, jsonBlock } from '../dom.js';

const PAGE_SIZE = 25;
const STATUS_TONE = { open: 'warn', fixed: 'info', reimported: 'good', discarded: 'neutral' };

export async function render(view, ctx) {
  if (ctx.rest[0]) {
    await renderOne(view, ctx, ctx.rest[0]);
  } else {
    await renderList(view, ctx);
  }
}

async function renderList(view, ctx) {
  const cursor = ctx.params.get('cursor');
  const page = Number(ctx.params.get('page') ?? 1);
  // grouped by reason (reason_code leads an index, so it is a sort the API allows; ties go by id)
  const list = await get('/api/v1/quarantine', { sort: 'reason_code', limit: PAGE_SIZE, cursor });
  const rows = items(list);
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'page-number' }, `page ${page}`),
    page > 1 ? h('a', { class: 'button secondary', href: '#/quarantine', id: 'first-page' }, '⟨⟨ first page') : null,
    list.next_cursor
      ? h('a', {
        class: 'button', id: 'next-page',
        href: `#/quarantine?${new URLSearchParams({ cursor: list.next_cursor, page: page + 1 })}`,
      }, 'next page ⟩')
      : h('span', { class: 'muted' }, 'last page'));
  show(view, 
    h('p', { class: 'lede' }, 'Legacy rows the importer set aside, by reason. Click a row to see it as it was read.'),
    card(null, table([
      { label: 'reason', value: (r) => badge(r.reason_code, 'warn') },
      { label: 'source', value: (r) => h('code', {}, `${r.source_db}.${r.source_table}`) },
      { label: 'source id', value: (r) => sourceId(r.source_id) },
      { label: 'details', class: 'wrap', value: (r) => r.reason },
      { label: 'status', value: (r) => badge(r.status, STATUS_TONE[r.status]) },
      { label: 'run', value: (r) => shortId(r.run_id) },
    ], rows, {
      onRowClick: (r) => ctx.navigate(`#/quarantine/${encodeURIComponent(r.id)}`),
      empty: 'Nothing in quarantine: every legacy row was imported or merged.',
    }), pager));
}

async function renderOne(view, ctx, id) {
  const row = await get(`/api/v1/quarantine/${encodeURIComponent(id)}`);
  show(view, 
    h('p', {}, h('a', { href: '#/quarantine', id: 'back-to-list' }, '← back to the list')),
    card('Why it was set aside', h('dl', { class: 'facts', id: 'quarantine-reason' },
      fact('reason', badge(row.reason_code, 'warn')),
      fact('details', h('span', { class: 'reason' }, row.reason)),
      fact('source', h('code', {}, `${row.source_db}.${row.source_table}`)),
      fact('source id', row.source_id ?? '(none usable)'),
      fact('status', badge(row.status, STATUS_TONE[row.status])),
      fact('import run', h('a', { href: `#/imports/${row.run_id}` }, shortId(row.run_id))),
      fact('quarantined', formatTime(row.created_at)),
      row.resolved_at ? fact('resolved', formatTime(row.resolved_at)) : null)),
    card('The legacy row as read', rowTable(row.original_row, 'original-row'), h('details', {},
      h('summary', {}, 'as JSON'), jsonBlock(row.original_row))),
    row.fixed_row ? card('The reviewer\'s fixed row', rowTable(row.fixed_row, 'fixed-row')) : null);
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

/** A legacy row (a JSON object of its columns) as a two-column table; nested values as compact JSON. */
function rowTable(object, id) {
  const entries = Object.entries(object ?? {});
  return h('div', { class: 'table-wrap', id }, h('table', { class: 'kv' }, h('tbody', {}, entries.map(([column, value]) =>
    h('tr', {}, h('th', { scope: 'row' }, column),
      h('td', { class: value === null ? 'muted' : null },
        value === null ? 'null' : typeof value === 'object' ? JSON.stringify(value) : String(value)))))));
}
