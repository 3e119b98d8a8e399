// Two hand-written SVG charts (no charting library: decision in docs/decisions.md): horizontal stacked bars, one
// row per label, and vertical stacked columns, one per category (a month). Every bar carries a tooltip (<title>)
// with its exact figure; the tables beside the charts carry the same figures for reading.

import { h, svg, formatCount } from './dom.js';

/** Colours for series that have no meaning of their own (towns), in a fixed order. */
export const PALETTE = ['#2563eb', '#f59e0b', '#10b981', '#8b5cf6', '#ef4444', '#06b6d4', '#84cc16', '#ec4899'];

const FONT_PX = 12;
const CHAR_PX = 7; // average advance of a 12 px sans-serif glyph, to size the label column

/**
 * Horizontal stacked bars.
 * rows: [{label, values: {seriesKey: number}, note?}]; series: [{key, label, color}].
 * normalized: each bar fills the width and the segments are shares (the note, or the total, is printed after it).
 */
export function barChart({ rows, series, normalized = false, format = formatCount, width = 1000, title }) {
  const rowHeight = 30;
  const barHeight = 18;
  const top = 6;
  const axisHeight = 26;
  const longest = Math.max(0, ...rows.map((r) => String(r.label).length));
  const labelWidth = Math.min(300, Math.max(90, longest * CHAR_PX + 16));
  const trailer = normalized
    ? Math.max(60, Math.max(0, ...rows.map((r) => String(r.note ?? '').length)) * CHAR_PX + 16)
    : 80;
  const plotWidth = width - labelWidth - trailer;
  const totals = rows.map((r) => series.reduce((sum, s) => sum + (Number(r.values[s.key]) || 0), 0));
  const ticks = normalized ? [0, 0.25, 0.5, 0.75, 1] : niceTicks(Math.max(0, ...totals));
  const top_ = ticks[ticks.length - 1];
  const x = (v) => labelWidth + (v / top_) * plotWidth;
  const height = top + rows.length * rowHeight + axisHeight;

  const grid = ticks.map((t) => svg('g', { class: 'tick' },
    svg('line', { x1: x(t), x2: x(t), y1: top, y2: top + rows.length * rowHeight, class: 'grid' }),
    svg('text', { x: x(t), y: height - 8, 'text-anchor': 'middle' },
      normalized ? `${Math.round(t * 100)} %` : shortNumber(t))));

  const bars = rows.map((row, i) => {
    const y = top + i * rowHeight + (rowHeight - barHeight) / 2;
    const total = totals[i];
    let offset = 0;
    const segments = series.map((s) => {
      const value = Number(row.values[s.key]) || 0;
      if (value <= 0) {
        return null;
      }
      const share = normalized ? value / total : value;
      const rect = svg('rect', {
        x: x(offset), y, width: Math.max(1, x(offset + share) - x(offset)), height: barHeight,
        fill: s.color, rx: 2,
      }, svg('title', {}, `${row.label} · ${s.label}: ${format(value)}`
        + (normalized ? ` (${percent(value / total)})` : '')));
      offset += share;
      return rect;
    });
    return svg('g', { class: 'bar-row' },
      svg('text', { x: labelWidth - 10, y: y + barHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'central',
        class: 'label' }, row.label),
      total > 0 ? segments : svg('line', { x1: x(0), x2: x(0) + 1, y1: y, y2: y + barHeight, class: 'grid' }),
      svg('text', { x: (normalized ? x(1) : x(offset)) + 8, y: y + barHeight / 2, 'dominant-baseline': 'central',
        class: 'value' }, row.note ?? format(total)));
  });

  return figure(title, series, svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img',
    'aria-label': title ?? 'bar chart', 'font-size': FONT_PX,
  }, grid, bars));
}

/**
 * Vertical stacked columns, one per category (left to right).
 * value(category, seriesKey) → number; categoryLabel(category) → the axis text.
 */
export function columnChart({ categories, series, value, categoryLabel = String, format = formatCount,
  width = 1000, height = 320, title }) {
  const left = 56;
  const right = 12;
  const top = 12;
  const bottom = 34;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const totals = categories.map((c) => series.reduce((sum, s) => sum + (Number(value(c, s.key)) || 0), 0));
  const ticks = niceTicks(Math.max(0, ...totals));
  const top_ = ticks[ticks.length - 1];
  const y = (v) => top + plotHeight - (v / top_) * plotHeight;
  const band = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(2, Math.min(48, band * 0.72));
  const labelEvery = Math.max(1, Math.ceil(categories.length / Math.floor(plotWidth / 64)));

  const grid = ticks.map((t) => svg('g', { class: 'tick' },
    svg('line', { x1: left, x2: width - right, y1: y(t), y2: y(t), class: t === 0 ? 'axis' : 'grid' }),
    svg('text', { x: left - 8, y: y(t), 'text-anchor': 'end', 'dominant-baseline': 'central' }, shortNumber(t))));

  const columns = categories.map((category, i) => {
    const x = left + i * band + (band - barWidth) / 2;
    let offset = 0;
    const segments = series.map((s) => {
      const v = Number(value(category, s.key)) || 0;
      if (v <= 0) {
        return null;
      }
      const rect = svg('rect', { x, y: y(offset + v), width: barWidth, height: Math.max(1, y(offset) - y(offset + v)),
        fill: s.color }, svg('title', {}, `${categoryLabel(category)} · ${s.label}: ${format(v)}`));
      offset += v;
      return rect;
    });
    const label = i % labelEvery === 0
      ? svg('text', { x: x + barWidth / 2, y: height - bottom + 18, 'text-anchor': 'middle' }, categoryLabel(category))
      : null;
    return svg('g', { class: 'column' }, segments, label);
  });

  return figure(title, series, svg('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, class: 'chart', role: 'img',
    'aria-label': title ?? 'column chart', 'font-size': FONT_PX,
  }, grid, columns));
}

function figure(title, series, chart) {
  const legend = h('ul', { class: 'legend' }, series.map((s) =>
    h('li', {}, h('span', { class: 'swatch', style: `background:${s.color}` }), s.label)));
  return h('figure', { class: 'chart-figure' }, title ? h('figcaption', {}, title) : null, legend, chart);
}

/** 0 and 4 to 6 round steps above it, the last at or above max; whole numbers only (these are counts). */
export function niceTicks(max, target = 5) {
  if (!(max > 0)) {
    return [0, 1];
  }
  const raw = max / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw));
  const ticks = [];
  for (let t = 0; t < max + step; t += step) {
    ticks.push(t);
    if (t >= max) {
      break;
    }
  }
  return ticks;
}

function shortNumber(n) {
  if (n >= 1_000_000) {
    return `${trim(n / 1_000_000)}M`;
  }
  if (n >= 10_000) {
    return `${trim(n / 1_000)}k`;
  }
  return formatCount(n);
}

function trim(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function percent(share) {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}
