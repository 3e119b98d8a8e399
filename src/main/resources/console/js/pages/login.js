// Log in with an API key: it is checked by asking the server who it acts as, then kept in sessionStorage.

import { get, session } from '../api.js';
import { h, errorBox } from '../dom.js';

const KEY_SHAPE = /^th_[A-Za-z0-9]{12}_[A-Za-z0-9]{40}$/;

export function render({ onLoggedIn, error }) {
  const message = h('div', { class: 'login-message', 'aria-live': 'polite' }, error ? errorBox(error) : null);
  const input = h('input', {
    type: 'password', id: 'key', name: 'key', autocomplete: 'off', spellcheck: 'false', required: true,
    placeholder: 'th_…', 'aria-describedby': 'key-help',
  });
  const button = h('button', { type: 'submit', id: 'login' }, 'Log in');
  const form = h('form', {
    class: 'login-form',
    onsubmit: async (event) => {
      event.preventDefault();
      const key = input.value.trim();
      if (!KEY_SHAPE.test(key)) {
        message.replaceChildren(errorBox({ message: 'That is not a TownHall key: keys look like th_<12 characters>_<40 characters>.' }));
        return;
      }
      button.disabled = true;
      session.logIn(key);
      try {
        await get('/api/v1/me');
        onLoggedIn();
      } catch (failure) {
        session.logOut();
        message.replaceChildren(errorBox(failure));
        button.disabled = false;
        input.select();
      }
    },
  },
  h('label', { for: 'key' }, 'API key'),
  input,
  h('p', { class: 'hint', id: 'key-help' },
    'Create one with ', h('code', {}, './townhall keys create --user YOU --town TOWN'),
    '. It stays in this browser tab only (sessionStorage) and is sent as a bearer token.'),
  button,
  message);
  return h('section', { class: 'login card' }, h('h1', {}, 'Log in to TownHall'), form);
}
