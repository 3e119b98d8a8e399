// The console's shell: log in, who am I (and which of my towns), the navigation, and a hash router
// (#/page/part?param=value) that renders one page module at a time into <main>.

import { get, items, session, ApiError } from './api.js';
import { h, errorBox } from './dom.js';
import { PALETTE } from './charts.js';
import * as login from './pages/login.js';
import * as overview from './pages/overview.js';
import * as activities from './pages/activities.js';
import * as search from './pages/search.js';
import * as imports from './pages/imports.js';
import * as quarantine from './pages/quarantine.js';
import * as audit from './pages/audit.js';
import * as status from './pages/status.js';

/** The pages in navigation order; adminOnly pages are hidden for members and viewers (the API would say 403). */
const PAGES = [
  { path: 'overview', label: 'Towns overview', page: overview },
  { path: 'activities', label: 'Activities', page: activities },
  { path: 'search', label: 'Search', page: search },
  { path: 'imports', label: 'Import reconciliation', page: imports, adminOnly: true },
  { path: 'quarantine', label: 'Quarantine', page: quarantine, adminOnly: true },
  { path: 'audit', label: 'Audit log', page: audit, adminOnly: true },
  { path: 'status', label: 'Migrations & health', page: status },
];
const HOME = 'overview';
const ADMIN_ROLES = ['owner', 'admin'];
const UNKNOWN_TOWN_COLOR = '#9ca3af';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');

/** Who the key acts as, and the towns of the organisation as this caller sees them (null: logged out). */
let identity = null;

function route() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  const [name, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { name: name || HOME, rest, params: new URLSearchParams(query) };
}

export function navigate(hash) {
  if (window.location.hash === hash) {
    render();
  } else {
    window.location.hash = hash;
  }
}

async function loadIdentity() {
  const me = await get('/api/v1/me');
  const towns = items(await get('/api/v1/towns', { fields: 'id,slug,name,is_capital', limit: 500 }));
  towns.sort((a, b) => Number(b.is_capital) - Number(a.is_capital) || a.slug.localeCompare(b.slug));
  identity = { me, towns };
}

/** Everything a page needs to know about the caller and the towns, plus the route. */
function context(current) {
  const { me, towns } = identity;
  const byId = new Map(towns.map((t) => [t.id, t]));
  const colorOf = new Map(towns.map((t, i) => [t.slug, PALETTE[i % PALETTE.length]]));
  return {
    ...current,
    me,
    towns,
    navigate,
    isAdmin: ADMIN_ROLES.includes(me.role),
    /** The slug of a town id (or the id itself when the caller cannot see that town). */
    townSlug: (id) => byId.get(id)?.slug ?? id,
    townColor: (slug) => colorOf.get(slug) ?? UNKNOWN_TOWN_COLOR,
  };
}

async function render() {
  const current = route();
  if (!session.key) {
    identity = null;
    showShell(false);
    document.title = 'Log in · TownHall';
    main.replaceChildren(login.render({ onLoggedIn: () => navigate(`#/${HOME}`) }));
    return;
  }
  try {
    if (!identity) {
      await loadIdentity();
    }
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      session.logOut();
      identity = null;
      showShell(false);
      main.replaceChildren(login.render({ onLoggedIn: () => navigate(`#/${HOME}`), error }));
      return;
    }
    showShell(false);
    main.replaceChildren(errorBox(error));
    return;
  }
  const ctx = context(current);
  const entry = PAGES.find((p) => p.path === current.name && (!p.adminOnly || ctx.isAdmin))
    ?? PAGES.find((p) => p.path === HOME);
  showShell(true, entry, ctx);
  document.title = `${entry.label} · TownHall`;
  const view = h('div', { class: 'page', 'data-page': entry.path });
  main.replaceChildren(h('h1', {}, entry.label), view);
  try {
    await entry.page.render(view, ctx);
  } catch (error) {
    view.replaceChildren(errorBox(error));
  }
  view.setAttribute('data-ready', 'true');
}

function showShell(loggedIn, entry, ctx) {
  nav.hidden = !loggedIn;
  who.hidden = !loggedIn;
  if (!loggedIn) {
    nav.replaceChildren();
    who.replaceChildren();
    return;
  }
  nav.replaceChildren(h('ul', {}, PAGES.filter((p) => !p.adminOnly || ctx.isAdmin).map((p) =>
    h('li', {}, h('a', { href: `#/${p.path}`, class: p === entry ? 'active' : null, id: `nav-${p.path}` }, p.label)))));
  who.replaceChildren(...whoAmI(ctx));
}

function whoAmI(ctx) {
  const { me } = ctx;
  const choices = me.towns ?? [];
  const town = choices.length > 1
    ? h('select', {
      id: 'town-switcher',
      'aria-label': 'Act in town',
      onchange: (event) => switchTown(event.target.value),
    }, choices.map((t) => h('option', { value: t.slug, selected: t.slug === me.town.slug }, townLabel(t))))
    : h('span', { class: 'town' }, townLabel(me.town));
  return [
    h('span', { class: 'user', id: 'who-user', title: me.user.email ?? '' }, me.user.handle ?? me.user.email),
    h('span', { class: 'sep' }, 'in'),
    town,
    h('span', { class: `role role-${me.role}`, id: 'who-role' }, me.role),
    h('button', { type: 'button', class: 'secondary', id: 'logout', onclick: logOut }, 'Log out'),
  ];
}

function townLabel(town) {
  return `${town.name ?? town.slug}${town.capital ? ' ★' : ''}`;
}

async function switchTown(slug) {
  session.chooseTown(slug);
  identity = null;
  await render();
}

function logOut() {
  session.logOut();
  identity = null;
  navigate('#/');
}

window.addEventListener('hashchange', render);
render();
