// Small DOM helpers: elements are built with h(), text is always set as text (never parsed as HTML), and a few
// formatters keep numbers and dates the same on every page.

export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (the charts). */
export function svg(tag, attrs = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  setAttributes(element, attrs);
  append(element, children);
  return element;
}

function setAttributes(element, attrs) {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class') {
      element.setAttribute('class', value);
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
}

/** Replaces the children of {@code element} (null, undefined and false children are left out). */
export function show(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : String(child));
  }
}

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 3 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatCount(value) {
  return value === null || value === undefined || value === '' ? '–' : integer.format(Number(value));
}

export function formatScore(value) {
  return value === null || value === undefined ? '–' : decimal.format(Number(value));
}

export function formatTime(value) {
  if (!value) {
    return '–';
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTime.format(date);
}

/** A uuid cut to its first group, with the whole value as a tooltip. */
export function shortId(id) {
  return id ? h('code', { class: 'id', title: id }, String(id).slice(0, 8)) : '–';
}

const SOURCE_ID_SHOWN = 12;

/** A legacy id as it was; a long one (a uuid) cut short, whole in its tooltip. */
export function sourceId(id) {
  return id && id.length > SOURCE_ID_SHOWN ? h('code', { class: 'id', title: id }, `${id.slice(0, SOURCE_ID_SHOWN)}…`) : id;
}

export function badge(text, tone = 'neutral') {
  return h('span', { class: `badge badge-${tone}` }, text);
}

/** Pretty-printed JSON in a scrollable block. */
export function jsonBlock(value) {
  return h('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

/**
 * A table: columns are {label, value(row) → text or node, align?: 'num', class?}; onRowClick makes rows
 * clickable (and reachable with the keyboard); rowClass(row) adds a class to a row (e.g. 'selected').
 */
export function table(columns, rows, { onRowClick, rowClass = () => null, empty = 'Nothing here yet.', caption } = {}) {
  if (rows.length === 0) {
    return h('p', { class: 'empty' }, empty);
  }
  const head = h('tr', {}, columns.map((c) => h('th', { class: c.align === 'num' ? 'num' : null, scope: 'col' }, c.label)));
  const body = rows.map((row) => {
    const cells = columns.map((c) => {
      const value = c.value(row);
      return h('td', { class: [c.align === 'num' ? 'num' : '', c.class ?? ''].join(' ').trim() || null },
        value === null || value === undefined || value === '' ? '–' : value);
    });
    if (!onRowClick) {
      return h('tr', { class: rowClass(row) }, cells);
    }
    return h('tr', {
      class: ['clickable', rowClass(row) ?? ''].join(' ').trim(),
      tabindex: '0',
      onclick: () => onRowClick(row),
      onkeydown: (event) => {
        if (event.key === 'Enter') {
          onRowClick(row);
        }
      },
    }, cells);
  });
  return h('div', { class: 'table-wrap' },
    h('table', {}, caption ? h('caption', {}, caption) : null, h('thead', {}, head), h('tbody', {}, body)));
}

/** A card: a titled section of a page. */
export function card(title, ...children) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, children);
}

export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' },
    h('strong', {}, error.status ? `${error.status} ${error.code}` : 'Error'), ' ', error.message,
    error.field ? h('span', { class: 'field' }, ` (field: ${error.field})`) : null);
}

export function loading(what) {
  return h('p', { class: 'loading' }, `Loading ${what}…`);
}
