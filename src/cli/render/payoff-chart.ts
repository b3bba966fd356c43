// ASCII payoff chart of the scenario table: net P&L (and condor-only) against SPX at expiry.
import type { ScenarioRow } from '../../domain/plan/types.ts';
import { formatCents } from '../../domain/money.ts';

export interface ChartOptions {
  readonly height: number;
  readonly columnWidth: number;
}

const DEFAULTS: ChartOptions = { height: 15, columnWidth: 2 };

/**
 * Rows are the scenario moves; '#' marks net P&L, 'o' the condor alone, '*' where they meet.
 * The zero line is drawn with '-'.
 */
export function renderPayoffChart(rows: readonly ScenarioRow[], opts: ChartOptions = DEFAULTS): string {
  if (rows.length === 0) return '(no scenarios)';
  const values = rows.flatMap((r) => [r.netPnl as number, r.condorPnl as number, 0]);
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const h = opts.height;
  const toRow = (v: number): number => Math.round(((max - v) / span) * (h - 1));
  const zeroRow = toRow(0);
  const grid: string[][] = Array.from({ length: h }, (_, y) =>
    Array.from({ length: rows.length }, () => (y === zeroRow ? '-' : ' ')),
  );
  rows.forEach((r, x) => {
    const yc = toRow(r.condorPnl);
    const yn = toRow(r.netPnl);
    const rowC = grid[yc];
    if (rowC) rowC[x] = 'o';
    const rowN = grid[yn];
    if (rowN) rowN[x] = yn === yc ? '*' : '#';
  });
  const labelFor = (y: number): string => formatCents(max - (span * y) / (h - 1));
  const labels = grid.map((_, y) =>
    y === zeroRow ? formatCents(0) : y === 0 || y === h - 1 ? labelFor(y) : '',
  );
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const pad = (ch: string): string => {
    const left = Math.floor((opts.columnWidth - 1) / 2);
    return ' '.repeat(left) + ch + ' '.repeat(opts.columnWidth - 1 - left);
  };
  const lines = grid.map((cells, y) => {
    const body = cells.map((ch) => (ch === '-' ? '-'.repeat(opts.columnWidth) : pad(ch))).join('');
    return `${(labels[y] ?? '').padStart(labelWidth)} |${body}`.trimEnd();
  });
  // Label the whole-percent moves only, centred under their column.
  const axis = Array.from({ length: rows.length * opts.columnWidth + 4 }, () => ' ');
  rows.forEach((r, x) => {
    if (!Number.isInteger(r.spxMovePct)) return;
    const t = `${r.spxMovePct > 0 ? '+' : ''}${r.spxMovePct}%`;
    const centre = x * opts.columnWidth + Math.floor((opts.columnWidth - 1) / 2);
    const start = Math.max(0, centre - Math.floor((t.length - 1) / 2));
    for (let i = 0; i < t.length; i++) axis[start + i] = t[i] ?? ' ';
  });
  lines.push(`${' '.repeat(labelWidth)} +${'-'.repeat(rows.length * opts.columnWidth)}`);
  lines.push(`${' '.repeat(labelWidth)}  ${axis.join('')}`.trimEnd());
  lines.push(`${' '.repeat(labelWidth)}  # net (condor + hedge)   o condor alone   * both`);
  return lines.join('\n');
}
