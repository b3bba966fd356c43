// `ironvix report` as text: totals split condor / hedge / costs, the book's IRR, drawdown and
// Greeks, one line per cycle, one per position, and every settlement problem with its code.
import type { BookReport, CyclePnl, PositionPnl } from '../../domain/accounting/book-report.ts';
import type { Irr } from '../../domain/accounting/irr.ts';
import { formatCents } from '../../domain/money.ts';
import { describeSettlementProblem } from '../../domain/settlement.ts';
import { renderTable } from './table.ts';

export interface ReportHeader {
  readonly mode: string;
  readonly journal: string;
  readonly from: string | null;
  readonly to: string | null;
  /** ISO time the report is as of. */
  readonly asOf: string;
}

export function formatIrr(i: Irr): string {
  return i.kind === 'rate' ? pct(i.annual) : `n/a (${i.reason})`;
}

function pct(x: number | null, digits = 1): string {
  if (x === null) return '-';
  if (Math.abs(x) >= 100) return `${x > 0 ? '>' : '<'}${x > 0 ? '+' : '-'}10000%`;
  return `${(x * 100).toFixed(digits)}%`;
}

function ratio(x: number | null): string {
  return x === null ? '-' : x.toFixed(2);
}

function cycleRow(c: CyclePnl): string[] {
  return [
    c.cycleDate,
    c.traded ? String(c.condorQuantity) : (c.noTradeReason ?? 'no trade'),
    c.condorSettled ? formatCents(c.condorPnlCents) : c.condorQuantity > 0 ? 'pending' : '-',
    formatCents(c.hedgePnlCents),
    formatCents(c.commissionsCents + c.slippageCents),
    formatCents(c.netPnlCents),
    formatCents(c.cumulativeNetCents),
    `${ratio(c.coverageFilled ?? c.coveragePlanned)} / ${ratio(c.coverageTarget)}`,
    pct(c.carryShareOfCredit, 0),
    c.vix === null ? '-' : c.vix.toFixed(2),
    c.firedSignals.join(','),
  ];
}

function positionRow(p: PositionPnl): string[] {
  return [
    p.openedOn,
    p.group,
    p.description,
    p.status,
    formatCents(p.pnlCents),
    formatCents(p.capitalCents),
    pct(p.returnOnCapital),
    p.irr.kind === 'rate' ? pct(p.irr.annual) : 'n/a',
  ];
}

export function renderReportText(r: BookReport, h: ReportHeader): string {
  const t = r.totals;
  const out: string[] = [];
  const range = `${h.from ?? 'first cycle'} .. ${h.to ?? 'last cycle'}`;
  out.push(`ironvix report (${h.mode}, journal ${h.journal}), cycles ${range}, as of ${h.asOf}`);
  if (r.cycles.length === 0) {
    out.push('', 'No cycles in this range: nothing to report.');
    return `${out.join('\n')}\n`;
  }
  out.push('');
  out.push(
    renderTable(
      [{ header: 'P&L' }, { header: 'amount', align: 'right' }],
      [
        ['condor (at decision mid)', formatCents(t.condorPnlCents)],
        ['hedge (at decision mid, marked)', formatCents(t.hedgePnlCents)],
        ['commissions', formatCents(0 - t.commissionsCents)],
        ['slippage vs mid', formatCents(0 - t.slippageCents)],
        ['net', formatCents(t.netPnlCents)],
        ['  realized in cash', formatCents(t.realizedCashCents)],
        ['  open marks', formatCents(t.openMarksCents)],
      ],
    ),
  );
  const dd = r.drawdown;
  out.push('');
  out.push(`Book IRR (annual): ${formatIrr(r.bookIrr)}`);
  out.push(
    `Max drawdown: ${formatCents(dd.maxDrawdownCents)}${dd.peak === null ? '' : ` (peak ${dd.peak}, trough ${dd.trough ?? ''})`}`,
  );
  if (r.greeks !== null) {
    const g = r.greeks;
    out.push(
      `Greeks after the last cycle (dollars): condor delta ${formatCents(g.condor.deltaCentsPerPoint)}/SPX pt, ` +
        `gamma ${formatCents(g.condor.gammaCentsPerPointSquared)}/pt², vega ${formatCents(g.condor.vegaCentsPerVolPoint)}/vol pt; ` +
        `hedge delta ${formatCents(g.hedge.deltaCentsPerPoint)}/VX pt, vega ${formatCents(g.hedge.vegaCentsPerVolPoint)}/vol pt; ` +
        `theta ${formatCents(g.thetaTotalCentsPerSession)}/session`,
    );
  }
  if (r.pendingSettlements > 0)
    out.push(`Pending settlements: ${r.pendingSettlements} contract(s) not yet due.`);
  out.push('', 'Cycles');
  out.push(
    renderTable(
      [
        { header: 'date' },
        { header: 'condors' },
        { header: 'condor', align: 'right' },
        { header: 'hedge', align: 'right' },
        { header: 'costs', align: 'right' },
        { header: 'net', align: 'right' },
        { header: 'cumulative', align: 'right' },
        { header: 'coverage/target', align: 'right' },
        { header: 'carry/credit', align: 'right' },
        { header: 'VIX', align: 'right' },
        { header: 'signals fired' },
      ],
      r.cycles.map(cycleRow),
    ),
  );
  out.push('', 'Positions');
  out.push(
    renderTable(
      [
        { header: 'opened' },
        { header: 'kind' },
        { header: 'position' },
        { header: 'status' },
        { header: 'P&L', align: 'right' },
        { header: 'capital', align: 'right' },
        { header: 'return', align: 'right' },
        { header: 'IRR', align: 'right' },
      ],
      r.positions.map(positionRow),
    ),
  );
  if (r.settlementProblems.length > 0) {
    out.push('', 'Settlement problems (not booked)');
    for (const p of r.settlementProblems) out.push(`  E_SETTLEMENT_MISSING: ${describeSettlementProblem(p)}`);
  }
  return `${out.join('\n')}\n`;
}
