/**
 * The report page: one self-contained HTML file (inline CSS, inline SVG, no script, nothing fetched), so it
 * opens offline and can be mailed or attached as it is. Every text that comes from user YAML or from the
 * results is escaped. Deterministic: the same charts and provenance give the same bytes (no dates).
 */
import type { Chart, ChartOutcome, SkippedChart, Table, TableSection } from '../charts/chart.js';
import { isChart } from '../charts/chart.js';
import { formatNumber, formatPercent } from '../format.js';
import type { Provenance, ReportInput } from '../inputs.js';
import { escapeXml as esc } from './escape.js';
import { FONT_FAMILY } from './theme.js';

export interface PageOptions {
  readonly title: string;
  /** The name and version of the program making the report (`kube-netsim 0.1.0`). */
  readonly generator: string;
  /** Whether `<id>.png` files sit beside the page (links are added). */
  readonly png: boolean;
  /** "What this shows": sentences computed from the results, first on the page. */
  readonly story?: readonly string[];
}

const CSS = `
:root { color-scheme: light; }
body { font-family: ${FONT_FAMILY}; color: #222; background: #fff; margin: 0 auto; max-width: 760px; padding: 24px 20px 48px; line-height: 1.45; font-size: 15px; }
h1 { font-size: 24px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 36px 0 6px; border-top: 1px solid #ddd; padding-top: 18px; }
p { margin: 6px 0; }
.lede { color: #555; }
.story { background: #f6f7f9; border-left: 4px solid #4269d0; padding: 4px 14px 8px; margin: 12px 0; }
.story h2 { border: 0; margin: 6px 0 2px; padding: 0; font-size: 16px; }
figure { margin: 12px 0; }
figure svg { display: block; max-width: 100%; height: auto; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; margin: 10px 0; }
dl.provenance dt { color: #555; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: 'DejaVu Sans Mono', ui-monospace, monospace; font-size: 13px; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 3px 10px 3px 0; text-align: right; border-bottom: 1px solid #eee; }
th:first-child, td:first-child { text-align: left; }
.note { color: #555; font-size: 14px; }
.files { font-size: 13px; color: #555; }
nav ol { padding-left: 22px; margin: 6px 0; }
footer { margin-top: 40px; color: #777; font-size: 13px; border-top: 1px solid #ddd; padding-top: 10px; }
`;

export function reportHtml(
  input: ReportInput,
  charts: readonly ChartOutcome[],
  svgs: ReadonlyMap<string, string>,
  options: PageOptions,
  tables: readonly TableSection[] = [],
): string {
  const drawn = charts.filter(isChart);
  // Table sections follow the chart they name, or come after every chart.
  const drawnIds = new Set(drawn.map((c) => c.id));
  const following = (id: string | null): TableSection[] =>
    tables.filter((t) => (id === null ? t.after === undefined || !drawnIds.has(t.after) : t.after === id));
  const sections: { id: string; title: string; html: () => string }[] = [];
  for (const c of drawn) {
    sections.push({ id: c.id, title: c.title, html: () => chartSection(c, svgs.get(c.id) ?? '', options) });
    for (const t of following(c.id)) sections.push({ id: t.id, title: t.title, html: () => tableSection(t) });
  }
  for (const t of following(null)) sections.push({ id: t.id, title: t.title, html: () => tableSection(t) });
  const skipped = charts.filter((c): c is SkippedChart => !isChart(c));
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>');
  parts.push('<html lang="en">');
  parts.push('<head>');
  parts.push('<meta charset="utf-8">');
  parts.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  parts.push(`<meta name="generator" content="${esc(options.generator)}">`);
  parts.push(`<title>${esc(options.title)}</title>`);
  parts.push(`<style>${CSS}</style>`);
  parts.push('</head>');
  parts.push('<body>');
  parts.push('<header>');
  parts.push(`<h1>${esc(options.title)}</h1>`);
  if (options.story && options.story.length > 0) {
    parts.push(`<section id="summary" class="story"><h2>What this shows</h2><p>${esc(options.story.join(' '))}</p></section>`);
  }
  parts.push(`<p class="lede">${esc(lede(input))}</p>`);
  parts.push('</header>');
  parts.push(provenanceSection(input.provenance, input));
  if (sections.length > 1) {
    parts.push('<nav><ol>');
    for (const c of sections) parts.push(`<li><a href="#${esc(c.id)}">${esc(c.title)}</a></li>`);
    parts.push('</ol></nav>');
  }
  for (const section of sections) parts.push(section.html());
  if (skipped.length > 0) {
    parts.push('<section id="not-shown">');
    parts.push('<h2>Not shown</h2>');
    parts.push('<ul>');
    for (const s of skipped) parts.push(`<li><strong>${esc(s.title)}</strong>: ${esc(s.reason)}.</li>`);
    parts.push('</ul>');
    parts.push('</section>');
  }
  parts.push(`<footer>Made by ${esc(options.generator)} (<code>netsim report</code>) from the stored results in <code>${esc(input.name)}</code>; re-made from the same results, this page is identical byte for byte.</footer>`);
  parts.push('</body>');
  parts.push('</html>');
  return `${parts.join('\n')}\n`;
}

function lede(input: ReportInput): string {
  const runs = input.points.reduce((n, p) => n + p.runs.length, 0);
  const configs = input.configurations.length;
  const what =
    input.kind === 'sweep'
      ? `A sweep of ${input.points.length} point${input.points.length === 1 ? '' : 's'} (${runs} run${runs === 1 ? '' : 's'})`
      : runs === 1
        ? 'One simulation run'
        : `${runs} simulation runs`;
  return `${what} of the Kubernetes Service data path${configs > 1 ? `, comparing ${configs} configurations` : ''}. Latencies are client send to response received; a dropped request never finished, and counts as slower than any latency.`;
}

function provenanceSection(p: Provenance, input: ReportInput): string {
  const rows: [string, string][] = [];
  rows.push(['Scenario', p.scenarios.map((s) => `<code>${esc(s)}</code>`).join(', ') || '–']);
  if (p.experiment !== null) rows.push(['Experiment', `<code>${esc(p.experiment)}</code>`]);
  if (p.files.length > 0) {
    rows.push(['Scenario files', p.files.map((f) => `<code>${esc(f.path)}</code> <small>sha256 ${esc(f.sha256.slice(0, 12))}</small>`).join('<br>')]);
  }
  if (p.overrides.length > 0) rows.push(['Overrides', p.overrides.map((o) => `<code>--set ${esc(o)}</code>`).join('<br>')]);
  if (p.parameters.length > 0) rows.push(['Varied', p.parameters.map((x) => `<code>${esc(x)}</code>`).join(', ')]);
  if (input.configurations.length > 1) rows.push(['Configurations', input.configurations.map((c) => esc(c)).join('<br>')]);
  rows.push([p.seeds.length === 1 ? 'Seed' : 'Seeds', seedsText(p.seeds)]);
  rows.push(['Replications', `${p.replications} per point`]);
  rows.push(['Confidence level', p.confidenceLevel === null ? '– (single runs: no intervals)' : esc(formatPercent(p.confidenceLevel, 4))]);
  rows.push(['Tool', p.tool === null ? '–' : esc(p.tool)]);
  if (p.warnings.length > 0) rows.push(['Warnings', p.warnings.map((w) => esc(w)).join('<br>')]);
  const dl = rows.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  return `<section id="provenance"><h2>Provenance</h2><dl class="provenance">${dl}</dl></section>`;
}

function seedsText(seeds: readonly (number | string)[]): string {
  const shown = seeds.slice(0, 10).map((s) => `<code>${esc(String(s))}</code>`);
  if (seeds.length > 10) shown.push(`… (${formatNumber(seeds.length, 6)} in all)`);
  return shown.join(', ') || '–';
}

function chartSection(chart: Chart, svg: string, options: PageOptions): string {
  const parts: string[] = [];
  parts.push(`<section id="${esc(chart.id)}">`);
  parts.push(`<h2>${esc(chart.title)}</h2>`);
  parts.push(`<p>${esc(chart.description)}</p>`);
  parts.push(`<figure>${inlineSvg(svg)}</figure>`);
  for (const note of chart.notes) parts.push(`<p class="note">${esc(note)}</p>`);
  if (chart.table) parts.push(tableHtml(chart.table));
  const files = [`data: ${[chart.id, ...(chart.moreData ?? []).map((m) => m.id)].map((id) => `<a href="${esc(id)}.csv">${esc(id)}.csv</a>`).join(', ')}`];
  if (options.png) files.push(`image: <a href="${esc(chart.id)}.png">${esc(chart.id)}.png</a>`);
  parts.push(`<p class="files">${files.join(' · ')}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

/** The standalone SVG without its namespace declaration (HTML knows `<svg>`; the page names no URL). */
function inlineSvg(svg: string): string {
  return svg.replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, '<svg');
}

function tableHtml(table: Table, align?: readonly ('left' | 'right')[]): string {
  // Only cells whose alignment differs from the stylesheet's (first column left, others right) get a style.
  const style = (i: number): string => {
    const want = align?.[i];
    if (want === undefined || want === (i === 0 ? 'left' : 'right')) return '';
    return ` style="text-align:${want}"`;
  };
  const head = `<tr>${table.header.map((h, i) => `<th${style(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const body = table.rows
    .map((r) => `<tr>${r.map((c, i) => `<td${style(i)}>${esc(c === null || c === undefined ? '–' : String(c))}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function tableSection(section: TableSection): string {
  const parts: string[] = [];
  parts.push(`<section id="${esc(section.id)}">`);
  parts.push(`<h2>${esc(section.title)}</h2>`);
  parts.push(`<p>${esc(section.description)}</p>`);
  parts.push(tableHtml(section.table, section.align));
  for (const note of section.notes) parts.push(`<p class="note">${esc(note)}</p>`);
  parts.push(`<p class="files">data: <a href="${esc(section.id)}.csv">${esc(section.id)}.csv</a></p>`);
  parts.push('</section>');
  return parts.join('\n');
}
