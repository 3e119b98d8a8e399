// Is the service healthy, and which schema release and changesets does the database carry?

import { get, ApiError } from '../api.js';
import { h, show, card, table, badge, formatTime, errorBox } from '../dom.js';

export async function render(view) {
  const [health, migrations] = await Promise.all([healthOf(), get('/api/v1/migrations')]);
  const applied = [...(migrations.applied ?? [])].reverse();
  const pending = migrations.pending ?? [];
  show(view, 
    h('div', { class: 'stats' },
      stat('service', health.status === 'ok' ? badge('healthy', 'good') : badge(health.status ?? 'down', 'bad')),
      stat('schema release', migrations.release ?? '–'),
      stat('changesets applied', String(applied.length)),
      stat('pending', pending.length === 0 ? badge('none', 'good') : badge(String(pending.length), 'warn'))),
    card('Health', health.error ? errorBox(health.error) : null, facts(health)),
    pending.length > 0 ? card('Pending changesets', changesets(pending)) : null,
    card('Applied changesets (newest first)', changesets(applied)));
}

/** /health answers 503 with the same JSON body when something is wrong; that is a status to show, not an error. */
async function healthOf() {
  try {
    return await get('/health');
  } catch (error) {
    return { status: 'unavailable', error: error instanceof ApiError ? error : new ApiError(0, 'error', String(error)) };
  }
}

function stat(label, value) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value));
}

function facts(health) {
  const entries = Object.entries(health).filter(([key]) => key !== 'error');
  return h('dl', { class: 'facts', id: 'health' }, entries.map(([key, value]) => [
    h('dt', {}, key.replaceAll('_', ' ')),
    h('dd', {}, typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)),
  ]));
}

function changesets(list) {
  return table([
    { label: 'changeset', value: (c) => h('code', {}, c.id) },
    { label: 'author', value: (c) => c.author },
    { label: 'file', value: (c) => c.filename },
    { label: 'applied', value: (c) => formatTime(c.executed_at) },
  ], list);
}
