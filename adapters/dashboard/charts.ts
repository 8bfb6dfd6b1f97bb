import { html, type Markup } from '../../src/conversation/index.ts';

/**
 * Server-rendered SVG bar charts, drawn by hand. The dashboard needs one kind of chart (labelled horizontal
 * bars on a known scale, mostly 0–100 %), which is a few rectangles; a plotting library (Observable Plot with a
 * DOM shim) would add two dependencies and inline styles that the page's Content-Security-Policy forbids, for
 * nothing here. Colours are presentation attributes; every chart has a title, a description and, on the page, the
 * same figures in a table beside it, so the chart is never the only way to read them.
 */
export interface Bar {
  label: string;
  /** Null: suppressed or unknown, drawn as no bar with the text `shown`. */
  value: number | null;
  shown: string;
}

let chartSeq = 0;
// Each bar under its label, so long group and round names fit on a phone as well as a desktop.
const ROW = 44;
const BAR_W = 320;
const WIDTH = BAR_W + 100;

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function barChart(opts: { title: string; description: string; bars: readonly Bar[]; max?: number }): Markup<'html'> {
  const id = `chart-${++chartSeq}`;
  const max = opts.max ?? Math.max(1, ...opts.bars.map((b) => b.value ?? 0));
  const height = opts.bars.length * ROW + 8;
  const rows = opts.bars.map((b, i) => {
    const y = 4 + i * ROW;
    const w = b.value === null ? 0 : Math.max(b.value > 0 ? 2 : 0, Math.round((b.value / max) * BAR_W));
    return html.tag`<g><text x="0" y="${y + 14}" fill="#1f2937" font-size="14">${clip(b.label, 52)}</text><rect x="0" y="${y + 20}" width="${w}" height="16" fill="#1d4ed8"></rect><text x="${w + 6}" y="${y + 33}" fill="#1f2937" font-size="14">${b.shown}</text></g>`;
  });
  return html.tag`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="${id}-t ${id}-d" data-testid="chart" preserveAspectRatio="xMinYMin meet"><title id="${id}-t">${opts.title}</title><desc id="${id}-d">${opts.description}</desc>${rows}</svg>`;
}
