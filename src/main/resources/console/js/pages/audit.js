// The audit log (owners and admins): newest first, paged by cursor; a click shows what the change did to the row.

import { get, items } from '../api.js';
import { h, show, card, table, badge, formatTime, shortId } from '../dom.js';

const PAGE_SIZE = 25;
/** Users whose handles label the entries (one page; beyond it an entry shows the user's id). */
const USERS_NAMED = 500;
const ACTION_TONE = { insert: 'good', update: 'info', delete: 'bad' };

export async function render(view, ctx) {
  const cursor = ctx.params.get('cursor');
  const page = Number(ctx.params.get('page') ?? 1);
  const [list, users] = await Promise.all([
    get('/api/v1/audit', { sort: '-at', limit: PAGE_SIZE, cursor }),
    get('/api/v1/users', { fields: 'id,handle,email', limit: USERS_NAMED }),
  ]);
  const rows = items(list);
  const names = new Map(items(users).map((u) => [u.id, u.handle ?? u.email]));
  const detail = h('div', { id: 'audit-detail' });
  let chosen = null;
  const listing = () => table([
    { label: 'when', value: (r) => formatTime(r.at) },
    { label: 'town', value: (r) => (r.town_id ? ctx.townSlug(r.town_id) : 'organisation') },
    { label: 'who', value: (r) => (r.user_id ? names.get(r.user_id) ?? shortId(r.user_id) : r.actor) },
    { label: 'action', value: (r) => badge(r.action, ACTION_TONE[r.action] ?? 'neutral') },
    { label: 'table', value: (r) => (r.table_name ? h('code', {}, r.table_name) : '') },
    { label: 'row', value: (r) => shortId(r.row_id) },
  ], rows, {
    onRowClick: (r) => {
      chosen = r;
      tableHolder.replaceChildren(listing());
      detail.replaceChildren(change(r));
    },
    rowClass: (r) => (r === chosen ? 'selected' : null),
    empty: 'No audit entries you may read.',
  });
  const tableHolder = h('div', {}, listing());
  const pager = h('div', { class: 'pager' },
    h('span', { class: 'page-number' }, `page ${page}`),
    page > 1 ? h('a', { class: 'button secondary', href: '#/audit' }, '⟨⟨ newest') : null,
    list.next_cursor
      ? h('a', { class: 'button', id: 'next-page', href: `#/audit?${new URLSearchParams({ cursor: list.next_cursor, page: page + 1 })}` },
        'older ⟩')
      : h('span', { class: 'muted' }, 'oldest entry reached'));
  show(view, h('p', { class: 'lede' }, 'Who changed what, where. Click an entry to see the change.'),
    card(null, tableHolder, pager), detail);
}

/** The columns an entry changed, before and after (all columns for an insert or a delete). */
function change(entry) {
  const before = entry.before_data ?? {};
  const after = entry.after_data ?? {};
  const columns = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((c) => JSON.stringify(before[c]) !== JSON.stringify(after[c]));
  const show = (value) => (value === undefined ? '' : value === null ? 'null'
    : typeof value === 'object' ? JSON.stringify(value) : String(value));
  return card(`${entry.action} ${entry.table_name ?? ''} · ${formatTime(entry.at)}`,
    columns.length === 0
      ? h('p', { class: 'empty' }, 'This entry carries no row snapshot.')
      : table([
        { label: 'column', value: (c) => h('code', {}, c) },
        { label: 'before', class: 'wrap before', value: (c) => show(before[c]) },
        { label: 'after', class: 'wrap after', value: (c) => show(after[c]) },
      ], columns));
}
