// The report of `ironvix run --once` (and the demo's execution): each fill as it reached the plan
// with the hedge coverage right after it, then every order's result and the outcome with its reason.
import { DateTime } from 'luxon';
import type { FillLine, RunOnceResult } from '../../app/run-once.ts';
import { NY_ZONE } from '../../domain/calendar.ts';
import { formatCents, formatPrice } from '../../domain/money.ts';
import { renderTable } from './table.ts';

export interface RunHeader {
  readonly mode: string;
  readonly where: string;
  readonly account: string;
  readonly journal: string;
  readonly strategy: string;
}

function time(ms: number): string {
  return DateTime.fromMillis(ms, { zone: NY_ZONE }).toFormat('HH:mm:ss');
}

export function renderFills(fills: readonly FillLine[]): string {
  if (fills.length === 0) return 'fills: none\n';
  const rows = fills.map((f) => [
    time(f.atMs),
    f.orderKey,
    f.side,
    String(f.quantity),
    f.contract,
    formatPrice(f.priceCents),
    formatCents(f.coverage.coverageCents),
    `${f.coverage.liveCondor}/${f.coverage.allowedCondor}`,
  ]);
  return `fills (New York time; coverage = filled hedge stress P&L after the fill; condor = live/allowed contracts):\n${renderTable(
    [
      { header: 'time' },
      { header: 'order' },
      { header: 'side' },
      { header: 'qty', align: 'right' },
      { header: 'contract' },
      { header: 'price', align: 'right' },
      { header: 'coverage', align: 'right' },
      { header: 'condor', align: 'right' },
    ],
    rows,
  )}\n`;
}

export function renderRunText(h: RunHeader, r: RunOnceResult): string {
  const head = `run: ${h.mode} on ${h.where}, account ${h.account}, strategy ${h.strategy}\njournal: ${h.journal}\n`;
  switch (r.kind) {
    case 'halted':
      return `${head}HALTED: ${r.reconcile.message}\n`;
    case 'unavailable':
      return `${head}reconcile unavailable: ${r.reconcile.message}\n`;
    case 'capture-failed':
      return `${head}market snapshot failed: ${r.detail}\nNothing was sent.\n`;
    case 'no-trade':
      return `${head}plan ${r.plan.planId} (${r.plan.cycleDate}): NO TRADE (${r.plan.outcome.kind === 'no-trade' ? r.plan.outcome.reason : ''})\nNothing was sent.\n`;
    case 'already-ran':
      return `${head}plan ${r.planId} already ran for ${r.cycleDate}: one plan per day. Nothing was sent.\n`;
    case 'executed':
      return `${head}${renderExecution(r)}`;
  }
}

/** An executed plan: each fill with the coverage after it, each order's result, the outcome with its reason. */
export function renderExecution(r: Extract<RunOnceResult, { kind: 'executed' }>): string {
  const o = r.outcome;
  const orders = renderTable(
    [
      { header: 'order' },
      { header: 'qty', align: 'right' },
      { header: 'filled', align: 'right' },
      { header: 'avg price', align: 'right' },
      { header: 'commission', align: 'right' },
      { header: 'attempts', align: 'right' },
      { header: 'state' },
    ],
    o.orders.map((x) => [
      x.orderKey,
      String(x.quantity),
      String(x.filled),
      x.averagePrice === null ? '-' : formatPrice(x.averagePrice),
      formatCents(x.commissionCents),
      String(x.attempts),
      x.note === '' ? x.phase : `${x.phase} (${x.note})`,
    ]),
  );
  const checks =
    o.failedChecks.length === 0
      ? ''
      : `pre-flight failed, nothing was sent:\n${o.failedChecks.map((c) => `  - ${c.id}: ${c.detail}`).join('\n')}\n`;
  return [
    `plan ${r.plan.planId} (${r.plan.cycleDate})${r.resumed ? ': finished after a crashed run left it in flight' : ''}\n`,
    renderFills(r.fills),
    `orders:\n${orders}\n`,
    checks,
    `coverage ${formatCents(o.coverageCents)}, condor filled ${o.condorFilled} of ${o.condorPlanned}\n`,
    `OUTCOME: ${o.kind}: ${o.reason}\n`,
  ].join('');
}

export function renderRunJson(h: RunHeader, r: RunOnceResult): string {
  const body =
    r.kind === 'executed'
      ? { kind: r.kind, planId: r.plan.planId, resumed: r.resumed, outcome: r.outcome, fills: r.fills }
      : r.kind === 'no-trade'
        ? { kind: r.kind, planId: r.plan.planId, outcome: r.plan.outcome }
        : r.kind === 'halted' || r.kind === 'unavailable'
          ? { kind: r.kind, message: r.reconcile.message }
          : r;
  return `${JSON.stringify({ kind: 'ironvix.run', ...h, result: body }, null, 2)}\n`;
}
