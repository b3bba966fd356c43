// `ironvix report --html FILE`: one self-contained page (inline CSS and SVG, no script, nothing
// fetched at view time) with four charts (equity curve, condor vs hedge P&L, coverage vs target,
// VIX with the days each regime signal fired) and the tables of the text report.
import type { BookReport } from '../../domain/accounting/book-report.ts';
import { formatCents } from '../../domain/money.ts';
import { describeSettlementProblem } from '../../domain/settlement.ts';
import type { SignalId } from '../../domain/signals/signal.ts';
import type { ReportHeader } from './report-text.ts';
import { formatIrr } from './report-text.ts';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface Series {
  readonly name: string;
  readonly color: string;
  readonly values: readonly (number | null)[];
  readonly dashed?: boolean;
}

interface Marker {
  readonly name: string;
  readonly color: string;
  /** Indices of the x labels where it fired. */
  readonly at: readonly number[];
}

const W = 900;
const H = 260;
const PAD = { left: 80, right: 20, top: 48, bottom: 40 };

function niceTicks(min: number, max: number, count = 5): number[] {
  if (min === max) return [min];
  const span = max - min;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

function lineChart(opts: {
  readonly id: string;
  readonly title: string;
  readonly labels: readonly string[];
  readonly series: readonly Series[];
  readonly format: (v: number) => string;
  readonly markers?: readonly Marker[];
}): string {
  const markers = opts.markers ?? [];
  const markerRows = markers.length * 12;
  const height = H + markerRows;
  const plotBottom = H - PAD.bottom;
  const all = opts.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  let min = Math.min(0, ...all);
  let max = Math.max(0, ...all);
  if (all.length === 0 || min === max) {
    min -= 1;
    max += 1;
  }
  const n = opts.labels.length;
  const x = (i: number): number => PAD.left + (n <= 1 ? 0.5 : i / (n - 1)) * (W - PAD.left - PAD.right);
  const y = (v: number): number => PAD.top + (1 - (v - min) / (max - min)) * (plotBottom - PAD.top);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" data-chart="${opts.id}" role="img" aria-label="${esc(opts.title)}" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}">`,
  );
  parts.push(`<title>${esc(opts.title)}</title>`);
  parts.push(`<text x="${PAD.left}" y="18" class="ct">${esc(opts.title)}</text>`);
  for (const t of niceTicks(min, max)) {
    parts.push(
      `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="${t === 0 ? 'zero' : 'grid'}"/>`,
    );
    parts.push(
      `<text x="${PAD.left - 6}" y="${(y(t) + 4).toFixed(1)}" class="yl">${esc(opts.format(t))}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(n / 8));
  opts.labels.forEach((l, i) => {
    if (i !== n - 1 && (i % every !== 0 || n - 1 - i < every / 2)) return;
    const anchor = i === n - 1 && n > 1 ? ' style="text-anchor:end"' : '';
    parts.push(`<text x="${x(i).toFixed(1)}" y="${plotBottom + 16}" class="xl"${anchor}>${esc(l)}</text>`);
  });
  for (const s of opts.series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    parts.push(
      `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed === true ? ' stroke-dasharray="6 4"' : ''} data-series="${esc(s.name)}"/>`,
    );
    s.values.forEach((v, i) => {
      if (v !== null && n <= 60)
        parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"/>`);
    });
  }
  markers.forEach((m, row) => {
    const my = H - 8 + row * 12;
    parts.push(`<text x="${PAD.left - 6}" y="${my + 4}" class="yl">${esc(m.name)}</text>`);
    for (const i of m.at)
      parts.push(
        `<rect x="${(x(i) - 3).toFixed(1)}" y="${my - 4}" width="6" height="8" fill="${m.color}" data-signal="${esc(m.name)}"/>`,
      );
  });
  const legend = [...opts.series.map((s) => ({ name: s.name, color: s.color }))];
  legend.forEach((s, i) => {
    const lx = PAD.left + 120 * i;
    parts.push(`<rect x="${lx}" y="26" width="12" height="12" fill="${s.color}"/>`);
    parts.push(`<text x="${lx + 16}" y="36" class="lg">${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

const SIGNAL_COLORS: Readonly<Record<SignalId, string>> = {
  rsi: '#8e44ad',
  macd: '#d35400',
  coiling: '#16a085',
  termStructure: '#c0392b',
  breadth: '#2c3e50',
  event: '#7f8c8d',
  macro: '#b7950b',
};

const dollars = (c: number): string => formatCents(Math.round(c / 100) * 100).replace(/\.00$/, '');

export function renderReportHtml(r: BookReport, h: ReportHeader): string {
  const labels = r.cycles.map((c) => c.cycleDate);
  let condorCum = 0;
  let hedgeCum = 0;
  let costCum = 0;
  const condor: number[] = [];
  const hedge: number[] = [];
  const costs: number[] = [];
  for (const c of r.cycles) {
    condorCum += c.condorPnlCents;
    hedgeCum += c.hedgePnlCents;
    costCum += c.commissionsCents + c.slippageCents;
    condor.push(condorCum);
    hedge.push(hedgeCum);
    costs.push(-costCum);
  }
  const signalIds = [...new Set(r.cycles.flatMap((c) => c.firedSignals))];
  const charts = [
    lineChart({
      id: 'equity',
      title: 'Equity curve: cumulative net P&L',
      labels,
      series: [{ name: 'net P&L', color: '#1f77b4', values: r.cycles.map((c) => c.cumulativeNetCents) }],
      format: dollars,
    }),
    lineChart({
      id: 'condor-vs-hedge',
      title: 'Condor vs hedge P&L (cumulative, at decision mid) and costs',
      labels,
      series: [
        { name: 'condor', color: '#2ca02c', values: condor },
        { name: 'hedge', color: '#d62728', values: hedge },
        { name: 'costs', color: '#7f7f7f', values: costs, dashed: true },
      ],
      format: dollars,
    }),
    lineChart({
      id: 'coverage',
      title: 'Coverage (hedge stress P&L / condor stress loss) vs target',
      labels,
      series: [
        {
          name: 'coverage',
          color: '#9467bd',
          values: r.cycles.map((c) => c.coverageFilled ?? c.coveragePlanned),
        },
        { name: 'target', color: '#ff7f0e', values: r.cycles.map((c) => c.coverageTarget), dashed: true },
      ],
      format: (v) => v.toFixed(2),
    }),
    lineChart({
      id: 'vix-signals',
      title: 'VIX and the days each regime signal fired',
      labels,
      series: [{ name: 'VIX', color: '#17becf', values: r.cycles.map((c) => c.vix) }],
      format: (v) => v.toFixed(0),
      markers: signalIds.map((id) => ({
        name: id,
        color: SIGNAL_COLORS[id],
        at: r.cycles.flatMap((c, i) => (c.firedSignals.includes(id) ? [i] : [])),
      })),
    }),
  ];
  const t = r.totals;
  const kv = (k: string, v: string): string => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`;
  const cycleRows = r.cycles
    .map(
      (c) =>
        `<tr><td>${c.cycleDate}</td><td>${c.traded ? c.condorQuantity : esc(c.noTradeReason ?? '')}</td>` +
        `<td>${c.condorSettled ? formatCents(c.condorPnlCents) : c.condorQuantity > 0 ? 'pending' : '-'}</td>` +
        `<td>${formatCents(c.hedgePnlCents)}</td><td>${formatCents(c.commissionsCents + c.slippageCents)}</td>` +
        `<td>${formatCents(c.netPnlCents)}</td><td>${formatCents(c.cumulativeNetCents)}</td>` +
        `<td>${(c.coverageFilled ?? c.coveragePlanned)?.toFixed(2) ?? '-'} / ${c.coverageTarget.toFixed(2)}</td>` +
        `<td>${c.carryShareOfCredit === null ? '-' : `${(c.carryShareOfCredit * 100).toFixed(0)}%`}</td>` +
        `<td>${c.vix?.toFixed(2) ?? '-'}</td><td>${esc(c.firedSignals.join(', '))}</td></tr>`,
    )
    .join('\n');
  const positionRows = r.positions
    .map(
      (p) =>
        `<tr><td>${p.openedOn}</td><td>${p.group}</td><td>${esc(p.description)}</td><td>${p.status}</td>` +
        `<td>${formatCents(p.pnlCents)}</td><td>${formatCents(p.capitalCents)}</td>` +
        `<td>${p.returnOnCapital === null ? '-' : `${(p.returnOnCapital * 100).toFixed(1)}%`}</td>` +
        `<td>${esc(p.irr.kind === 'rate' ? `${(p.irr.annual * 100).toFixed(1)}%` : 'n/a')}</td></tr>`,
    )
    .join('\n');
  const problems = r.settlementProblems
    .map((p) => `<li>E_SETTLEMENT_MISSING: ${esc(describeSettlementProblem(p))}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>ironvix report ${esc(h.from ?? '')} ${esc(h.to ?? '')}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#222;max-width:960px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{padding:3px 8px;border-bottom:1px solid #ddd;text-align:right}
th:first-child,td:first-child{text-align:left}
.chart{display:block;margin:12px 0;background:#fafafa;border:1px solid #e5e5e5}
.chart .ct{font-size:14px;font-weight:600}.chart .yl{font-size:10px;text-anchor:end;fill:#555}
.chart .xl{font-size:10px;text-anchor:middle;fill:#555}.chart .lg{font-size:11px}
.chart .grid{stroke:#e3e3e3}.chart .zero{stroke:#999}
.warn{color:#a00}
</style></head><body>
<h1>ironvix report</h1>
<p>Mode ${esc(h.mode)}, journal <code>${esc(h.journal)}</code>, cycles ${esc(h.from ?? 'first')} .. ${esc(h.to ?? 'last')}, as of ${esc(h.asOf)}.</p>
<table>
${kv('condor P&L (at decision mid)', formatCents(t.condorPnlCents))}
${kv('hedge P&L (at decision mid, marked)', formatCents(t.hedgePnlCents))}
${kv('commissions', formatCents(0 - t.commissionsCents))}
${kv('slippage vs mid', formatCents(0 - t.slippageCents))}
${kv('net P&L', formatCents(t.netPnlCents))}
${kv('realized in cash / open marks', `${formatCents(t.realizedCashCents)} / ${formatCents(t.openMarksCents)}`)}
${kv('book IRR (annual)', formatIrr(r.bookIrr))}
${kv('max drawdown', formatCents(r.drawdown.maxDrawdownCents))}
</table>
${problems === '' ? '' : `<h2 class="warn">Settlement problems (not booked)</h2><ul class="warn">${problems}</ul>`}
<h2>Charts</h2>
${charts.join('\n')}
<h2>Cycles</h2>
<table><tr><th>date</th><th>condors</th><th>condor</th><th>hedge</th><th>costs</th><th>net</th><th>cumulative</th><th>coverage/target</th><th>carry/credit</th><th>VIX</th><th>signals fired</th></tr>
${cycleRows}
</table>
<h2>Positions</h2>
<table><tr><th>opened</th><th>kind</th><th>position</th><th>status</th><th>P&amp;L</th><th>capital</th><th>return</th><th>IRR</th></tr>
${positionRows}
</table>
<p>Condor and hedge P&amp;L are at the mid of decision time; slippage is what fills paid beyond it. Hedge layers are marked at the mid each cycle recorded. IRR is annual (365-day XIRR); a one-day condor's is rarely finite: read its return on capital (max loss).</p>
</body></html>
`;
}
