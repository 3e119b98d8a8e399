// Search everything the caller may read: hybrid (meaning and words), semantic (meaning) or keyword (words).

import { get } from '../api.js';
import { h, show, badge, formatScore, errorBox } from '../dom.js';

const MODES = [
  { value: 'hybrid', label: 'Hybrid', help: 'meaning and words' },
  { value: 'semantic', label: 'Semantic', help: 'meaning' },
  { value: 'keyword', label: 'Keyword', help: 'words' },
];
const LIMIT = 10;

export async function render(view, ctx) {
  const q = ctx.params.get('q') ?? '';
  const mode = MODES.some((m) => m.value === ctx.params.get('mode')) ? ctx.params.get('mode') : 'hybrid';
  const input = h('input', { type: 'search', id: 'search-query', name: 'q', value: q, placeholder: 'What are you looking for?',
    'aria-label': 'search text', autofocus: true });
  const form = h('form', {
    class: 'search-form',
    onsubmit: (event) => {
      event.preventDefault();
      const data = new FormData(form);
      ctx.navigate(`#/search?${new URLSearchParams({ q: String(data.get('q')).trim(), mode: data.get('mode') })}`);
    },
  },
  input,
  h('div', { class: 'modes', role: 'radiogroup', 'aria-label': 'search mode' }, MODES.map((m) => h('label', { title: m.help },
    h('input', { type: 'radio', name: 'mode', value: m.value, checked: m.value === mode }), m.label))),
  h('button', { type: 'submit', id: 'search-button' }, 'Search'));
  const results = h('div', { id: 'search-results' });
  show(view, form, results);
  if (!q.trim()) {
    show(results, h('p', { class: 'empty' }, 'Type a few words; hybrid finds rows by meaning and by their words.'));
    return;
  }
  try {
    const { hits } = await get('/api/v1/search', { q, mode, limit: LIMIT });
    show(results, hits.length === 0
      ? h('p', { class: 'empty' }, `Nothing you can read matches “${q}”.`)
      : h('ol', { class: 'hits' }, hits.map((hit) => result(hit, ctx))));
  } catch (error) {
    show(results, errorBox(error));
  }
}

function result(hit, ctx) {
  return h('li', { class: 'hit' },
    h('div', { class: 'hit-head' },
      badge(hit.type, 'info'),
      h('span', { class: 'hit-title' }, hit.title || '(untitled)'),
      h('span', { class: 'hit-town', style: `--accent:${ctx.townColor(hit.town)}` }, hit.town),
      hit.shared ? badge('shared with you', 'neutral') : null,
      h('span', { class: 'hit-score', title: 'score' }, formatScore(hit.score))),
    h('p', { class: 'snippet' }, marked(hit.snippet ?? '')));
}

/** The snippet with the words it matched («like this») highlighted; everything else stays plain text. */
function marked(snippet) {
  return snippet.split(/«([^»]*)»/).map((part, i) => (i % 2 === 1 ? h('mark', {}, part) : part));
}
