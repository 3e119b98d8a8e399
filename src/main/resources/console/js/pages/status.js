// Is the service healthy, and which schema release and changesets does the database carry?

import { get, probe } from '../api.js';
import { h, show, card, table, badge, formatTime, errorBox } from '../dom.js';

export async function render(view) {
  const [health, migrations] = await Promise.all([healthOf(), get('/api/v1/migrations')]);
  const applied = [...migrations.applied].reverse();
  const { pending, unknown, release } = migrations;
  show(view,
    h('div', { class: 'stats' },
      stat('service', health.status === 'ok' ? badge('healthy', 'good') : badge(health.status, 'bad')),
      stat('schema release', release.database ?? 'unreleased',
        release.build && release.build !== release.database ? `this build: ${release.build}` : 'same as this build'),
      stat('changesets applied', String(applied.length),
        release.unreleased_changesets > 0 ? `${release.unreleased_changesets} after the last release` : null),
      stat('pending', pending.length === 0 ? badge('none', 'good') : badge(String(pending.length), 'warn'),
        migrations.current ? 'the database matches this build' : 'run ./townhall migrate')),
    card('Health', health.error ? errorBox(health.error) : null, facts(health)),
    pending.length > 0 ? card('Pending changesets (this build has them, the database not yet)', changesets(pending)) : null,
    unknown.length > 0 ? card('Applied changesets this build does not know', changesets(unknown)) : null,
    card('Applied changesets (newest first)', h('div', { class: 'scroll' }, changesets(applied))));
}

/** /health answers 503 with a JSON body when something is wrong: a status to show, not a failure of the page. */
async function healthOf() {
  try {
    return await probe('/health');
  } catch (error) {
    return { status: 'unreachable', error };
  }
}

function stat(label, value, note) {
  return h('div', { class: 'stat' }, h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-value' }, value),
    note ? h('span', { class: 'stat-unit' }, note) : null);
}

/** The health answer as terms and values; a nested object (the migration summary) as "name value" pairs. */
function facts(health) {
  const entries = Object.entries(health).filter(([key]) => key !== 'error');
  return h('dl', { class: 'facts', id: 'health' }, entries.map(([key, value]) => [
    h('dt', {}, key.replaceAll('_', ' ')),
    h('dd', {}, value !== null && typeof value === 'object'
      ? Object.entries(value).map(([k, v]) => `${k.replaceAll('_', ' ')} ${v ?? '–'}`).join(' · ')
      : String(value)),
  ]));
}

function changesets(list) {
  return table([
    { label: 'changeset', value: (c) => h('code', {}, c.id) },
    { label: 'author', value: (c) => c.author },
    { label: 'file', value: (c) => c.file },
    { label: 'applied', value: (c) => formatTime(c.executed_at) },
  ], list);
}
