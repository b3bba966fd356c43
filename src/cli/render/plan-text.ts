// The human preview of a Plan: order tickets, condor, hedge book, coverage, budget, signals,
// scenarios and a payoff chart. Deterministic text: golden files pin it.
import type { BookLayer, Plan, PlanOrder } from '../../domain/plan/types.ts';
import type { MarketSnapshot } from '../../domain/snapshot.ts';
import { contractKey, formatStrike } from '../../domain/instruments.ts';
import { formatCents, formatPrice } from '../../domain/money.ts';
import { printable } from '../../domain/text.ts';
import { renderTable } from './table.ts';
import { renderPayoffChart } from './payoff-chart.ts';
import {
  bindingText,
  marketHoursText,
  noTradeText,
  rationaleLine,
  signalDetail,
  trendGateText,
  openCondorText,
} from './rationale-text.ts';

export interface RenderContext {
  readonly snapshot: MarketSnapshot;
  readonly snapshotName: string;
  readonly strategyName: string;
}

const pct = (x: number, digits = 1): string => `${(x * 100).toFixed(digits)}%`;
const num = (x: number | null, digits = 2): string => (x === null ? 'n/a' : x.toFixed(digits));
const clock = (iso: string): string => iso.slice(11, 16);

export function renderPlanText(plan: Plan, ctx: RenderContext): string {
  const out: string[] = [];
  const s = ctx.snapshot;
  out.push(`ironvix preview: plan ${plan.planId} (mode ${plan.mode})`);
  out.push(
    `strategy ${printable(plan.strategy.name)} v${plan.strategy.version} (${printable(ctx.strategyName)})  |  cycle ${plan.cycleDate}  |  as of ${plan.asOf}`,
  );
  out.push(`snapshot ${printable(ctx.snapshotName)}: ${printable(s.source)}`);
  out.push('');
  out.push(outcomeLine(plan));
  out.push('');
  out.push(section('Market'));
  out.push(
    `SPX ${s.spx.spot.toFixed(2)}   VIX ${s.vix.spot.toFixed(2)}   VIX9D ${num(s.vix.vix9d)}   VIX3M ${num(s.vix.vix3m)}   ` +
      `SPXW expiry ${s.spxw.expiry}`,
  );
  if (plan.condor) {
    const c = plan.condor;
    out.push(
      `ATM IV ${pct(c.atmIv)}   T ${c.timeToExpiryYears.toFixed(6)} y (trading time)   expected move ±${c.expectedMovePoints.toFixed(1)} pts`,
    );
  }
  if (plan.event) {
    const e = plan.event;
    out.push(
      e.uncovered
        ? `EVENT CALENDAR NOT COVERED: it ends ${e.coveredThrough ?? '(empty)'}, before the expiry; treated by calendarGapPolicy (policy ${e.policy})`
        : `event on expiry day: ${e.kinds.join(', ')} (policy ${e.policy})`,
    );
  }
  out.push(
    `market hours: ${plan.marketHours.status === 'open' ? 'open' : 'CLOSED'}: ${marketHoursText(plan.marketHours)}`,
  );
  out.push(`trend gate: ${trendGateText(plan.trendGate)}`);
  out.push('');

  out.push(section('Order tickets (sent in this order: hedge first, condor last)'));
  if (plan.orders.length === 0) out.push('(no orders)');
  plan.orders.forEach((o, i) => out.push(renderOrder(o, i + 1)));
  out.push('');

  if (plan.condor) out.push(...renderCondor(plan), '');
  out.push(section('Estimated commissions'));
  out.push(commissionsLine(plan));
  out.push('');

  const open = plan.openCondors ?? [];
  if (open.length > 0) {
    out.push(section('Open condors of earlier cycles (counted in the requirement until they settle)'));
    for (const r of open) out.push(openCondorText(r));
    out.push('');
  }
  out.push(section('Hedge book before'));
  out.push(renderBook(plan.hedgeBookBefore));
  out.push('');
  out.push(section('Hedge book after (if every order fills)'));
  out.push(renderBook(plan.hedgeBookAfter));
  out.push('');
  out.push(section('Greeks in dollars (model, trading time; delta and gamma per point of each underlying)'));
  out.push(renderGreeks(plan));
  out.push('');

  const cov = plan.coverage;
  out.push(section('Coverage'));
  out.push(
    `target c = clamp(${cov.baseCoverage.toFixed(2)} x regime ${cov.regimeMultiplier.toFixed(4)}) = ${cov.coverageTarget.toFixed(4)}`,
  );
  out.push(
    `stress: SPX to ${cov.stressSpx.toFixed(2)}, VIX to ${cov.stressVixSpot.toFixed(2)}; condor stress loss ${formatCents(cov.condorStressLossPerContract)} per contract`,
  );
  const openLoss = cov.openCondorsStressLoss ?? 0;
  if (openLoss > 0)
    out.push(
      `open condors of earlier cycles add ${formatCents(openLoss)} of stress loss to the requirement (they settle at today's close)`,
    );
  out.push(
    `required hedge stress P&L ${formatCents(cov.requiredStressPnl)}; existing ${formatCents(cov.existingStressPnl)} + new ${formatCents(cov.newStressPnl)}` +
      (cov.coverageRatio === null
        ? ''
        : `; coverage ratio ${cov.coverageRatio.toFixed(3)} of the condor stress loss`),
  );
  out.push(...renderSensitivity(plan));
  out.push('');

  out.push(section('Hedge carry vs budget'));
  if (plan.budget) {
    const b = plan.budget;
    out.push(
      `carry of new purchases ${formatCents(b.newCarry)} <= budget ${formatCents(b.carryBudget)} (of condor credit ${formatCents(b.creditTotal)})`,
    );
    out.push(`new premium ${formatCents(b.newPremium)} <= cash guard ${formatCents(b.premiumCap)}`);
    out.push(`condor quantity ${b.condorQuantity}, bound by: ${bindingText(b.binding)}`);
  } else {
    out.push('(no condor this cycle: no budget applies)');
  }
  out.push(bookCarryLine(plan));
  out.push('');

  out.push(section('Regime signals'));
  out.push(
    renderTable(
      [
        { header: 'signal' },
        { header: 'value', align: 'right' },
        { header: 'fired' },
        { header: 'factor', align: 'right' },
        { header: 'detail' },
      ],
      plan.signals.map((g) => [
        g.label,
        g.value === null ? 'n/a' : g.value.toFixed(4),
        g.available ? (g.fired ? 'YES' : 'no') : 'n/a',
        g.factor.toFixed(2),
        signalDetail(g),
      ]),
    ),
  );
  out.push(`regime multiplier ${cov.regimeMultiplier.toFixed(4)}`);
  out.push('');

  out.push(
    section('Scenarios at expiry (condor x quantity, hedge book after the plan, after est. commissions)'),
  );
  const quiet = plan.scenarios.every((r) => r.condorPnl === 0 && r.hedgePnl === 0);
  if (quiet) out.push('(no condor and no hedge book: every scenario is zero)');
  else out.push(renderScenarios(plan));
  out.push('');
  out.push(section('Payoff at expiry'));
  out.push(quiet ? '(nothing to chart)' : renderPayoffChart(plan.payoff));
  out.push('');
  out.push(section('Rationale'));
  plan.rationale.forEach((r, i) => out.push(`${String(i + 1).padStart(2)}. ${rationaleLine(r)}`));
  out.push('');
  out.push('Preview only: nothing was sent to a broker.');
  return out.join('\n') + '\n';
}

function renderCondor(plan: Plan): string[] {
  const c = plan.condor;
  if (c === null) return [];
  const q = plan.condorQuantity;
  const out = [section(q > 0 ? 'Condor' : 'Condor (selected, not traded)')];
  out.push(
    `${formatStrike(c.longPut)}/${formatStrike(c.shortPut)}P  ${formatStrike(c.shortCall)}/${formatStrike(c.longCall)}C  ` +
      `width ${c.widthPoints} pts  short deltas ${c.shortPutDelta.toFixed(3)} / ${c.shortCallDelta.toFixed(3)}`,
  );
  out.push(
    `credit ${formatPrice(c.credit)} mid (natural ${formatPrice(c.naturalCredit)}) = ${formatCents(c.credit * 100)} per contract; ` +
      `max loss ${formatCents(c.maxLossPerContract)} per contract; break-evens ${c.breakEvenLow.toFixed(2)} / ${c.breakEvenHigh.toFixed(2)}`,
  );
  const n = plan.condorNet;
  if (n !== null) {
    out.push(
      `after est. commissions ${formatCents(plan.commissions.condorPerContractCents)} per condor: credit ${formatCents(n.creditPerContractCents)}, ` +
        `max loss ${formatCents(n.maxLossPerContractCents)} per contract; break-evens ${n.breakEvenLow.toFixed(2)} / ${n.breakEvenHigh.toFixed(2)}`,
    );
    out.push(
      `quantity ${q}: total credit ${formatCents(n.creditPerContractCents * q)}, total max loss ${formatCents(n.maxLossPerContractCents * q)} (after commissions)`,
    );
  }
  return out;
}

function commissionsLine(plan: Plan): string {
  const m = plan.commissions;
  return (
    `condor ${formatCents(m.condorCents)} + hedge orders ${formatCents(m.hedgeCents)} = ${formatCents(m.totalCents)} ` +
    `(per contract: SPX options ${formatCents(m.spxOptionPerContractCents)}, VIX options ${formatCents(m.vixOptionPerContractCents)}; ` +
    "the strategy file's schedule, not IB's what-if)"
  );
}

function bookCarryLine(plan: Plan): string {
  const b = plan.bookCarry;
  const share =
    b.creditCents > 0
      ? ` = ${pct(b.carryPerSessionCents / b.creditCents)} of this cycle's credit ${formatCents(b.creditCents)}`
      : '';
  return (
    `whole hedge book carry ${formatCents(b.carryPerSessionCents)} per session${share} ` +
    '(information: the budget charges new purchases only; held layers are sunk capital)'
  );
}

function renderSensitivity(plan: Plan): string[] {
  if (plan.sensitivity.length === 0) return [];
  const name = {
    'as-planned': 'as planned',
    'no-vol-of-vol-shock': 'no vol-of-vol shock',
    'half-vix-beta': 'half the VIX beta',
  };
  return [
    'sensitivity of the hedge (the coverage rests on these assumptions):',
    ...plan.sensitivity.map(
      (c) =>
        `  ${name[c.case].padEnd(20)} vixBeta ${c.vixBeta.toFixed(2)}, vol shock +${(c.volOfVolShock * 100).toFixed(0)} pts: ` +
        `hedge stress P&L ${formatCents(c.hedgeStressPnlCents)}` +
        (c.coverageRatio === null ? '' : `, coverage ${c.coverageRatio.toFixed(3)}`),
    ),
  ];
}

function renderGreeks(plan: Plan): string {
  const rows: [string, string, Plan['greeks']['before']['condor']][] = [
    ['before', 'SPX condor', plan.greeks.before.condor],
    ['before', 'VIX hedge', plan.greeks.before.hedge],
    ['after', 'SPX condor', plan.greeks.after.condor],
    ['after', 'VIX hedge', plan.greeks.after.hedge],
  ];
  const table = renderTable(
    [
      { header: 'book' },
      { header: 'part' },
      { header: 'delta $/pt', align: 'right' },
      { header: 'gamma $/pt²', align: 'right' },
      { header: 'vega $/vol pt', align: 'right' },
      { header: 'theta $/session', align: 'right' },
    ],
    rows.map(([book, part, g]) => [
      book,
      part,
      formatCents(g.deltaCentsPerPoint),
      formatCents(g.gammaCentsPerPointSquared),
      formatCents(g.vegaCentsPerVolPoint),
      formatCents(g.thetaCentsPerSession),
    ]),
  );
  return (
    `${table}\n` +
    `theta of the whole book: ${formatCents(plan.greeks.before.thetaTotalCentsPerSession)} before, ` +
    `${formatCents(plan.greeks.after.thetaTotalCentsPerSession)} after per session`
  );
}

const ROW_LABEL = {
  move: '',
  'break-even-low': 'break-even',
  'break-even-high': 'break-even',
  stress: 'stress',
} as const;

function renderScenarios(plan: Plan): string {
  return renderTable(
    [
      { header: 'SPX move', align: 'right' },
      { header: 'SPX', align: 'right' },
      { header: 'VIX', align: 'right' },
      { header: 'condor', align: 'right' },
      { header: 'hedge', align: 'right' },
      { header: 'net', align: 'right' },
      { header: 'row' },
    ],
    plan.scenarios.map((r) => [
      r.label === 'move'
        ? `${r.spxMovePct > 0 ? '+' : ''}${r.spxMovePct}%`
        : `${r.spxMovePct > 0 ? '+' : ''}${r.spxMovePct.toFixed(2)}%`,
      r.spxAtExpiry.toFixed(2),
      r.vixSpot.toFixed(2),
      formatCents(r.condorPnl),
      formatCents(r.hedgePnl),
      formatCents(r.netPnl),
      ROW_LABEL[r.label],
    ]),
  );
}

function section(title: string): string {
  return `== ${title} ==`;
}

function outcomeLine(plan: Plan): string {
  switch (plan.outcome.kind) {
    case 'trade':
      return `OUTCOME: TRADE ${plan.condorQuantity} condor(s) with ${plan.orders.length - (plan.condor ? 1 : 0)} hedge order(s)`;
    case 'no-trade':
      return `OUTCOME: NO TRADE (${plan.outcome.reason}): ${noTradeText(plan.outcome.detail)}`;
  }
}

function renderOrder(o: PlanOrder, n: number): string {
  const lines: string[] = [];
  const single = o.legs.length === 1 ? o.legs[0] : undefined;
  const what = single
    ? contractKey(single.contract)
    : `${o.legs[0]?.contract.symbol ?? '?'} BAG (${o.legs.length} legs)`;
  lines.push(`#${n} ${ticketSummary(o)}`);
  lines.push(`     [${o.kind}] ${printable(o.key)}: ${o.action} ${o.quantity} x ${what}`);
  if (!single) {
    for (const leg of o.legs) lines.push(`     leg ${leg.action} ${leg.ratio} ${contractKey(leg.contract)}`);
  }
  const l = o.ladder;
  lines.push(
    `     ${l.side} ladder ${l.prices.map((p) => formatPrice(p)).join(' > ')} (mid ${formatPrice(o.midPrice)}, natural ${formatPrice(o.naturalPrice)}, floor ${formatPrice(l.floor)})`,
  );
  lines.push(
    `     IB lmtPrice ${o.ibLimitPriceCents.map((p) => formatPrice(p)).join(', ')}; step every ${l.intervalSeconds}s, cancel the rest at ${clock(l.deadline)} NY`,
  );
  if (o.stressPnlPerContract !== 0)
    lines.push(`     stress P&L per contract ${formatCents(o.stressPnlPerContract)}`);
  return lines.join('\n');
}

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** One line a trader reads first: "SELL 4 iron condors 5930/5955P 6105/6130C for 2.95 credit, down to 2.65". */
export function ticketSummary(o: PlanOrder): string {
  const l = o.ladder;
  const first = formatPrice(l.prices[0] ?? l.floor);
  const last = formatPrice(l.prices.at(-1) ?? l.floor);
  const range =
    first === last
      ? `${first} ${l.side}`
      : `${first} ${l.side}, ${l.side === 'credit' ? 'down' : 'up'} to ${last}`;
  const strikes = (right: 'P' | 'C'): string =>
    o.legs
      .filter((g) => g.contract.right === right)
      .map((g) => g.contract.strike)
      .sort((a, b) => a - b)
      .map(formatStrike)
      .join('/');
  const leg = o.legs[0]?.contract;
  if (o.kind === 'condor-open')
    return `SELL ${plural(o.quantity, 'iron condor')} ${strikes('P')}P ${strikes('C')}C exp ${leg?.expiry ?? '?'} for ${range}`;
  const what = `${leg?.tradingClass ?? '?'} ${leg?.expiry ?? '?'} ${strikes('C')}C ${o.legs.length > 1 ? 'call spread' : 'call'}`;
  const why =
    o.kind === 'hedge-open'
      ? ` (new layer ${printable(o.templateId ?? '')})`
      : ` (scheduled ${o.kind === 'hedge-trim' ? 'trim' : 'roll'} of ${printable(o.layerId ?? '')})`;
  const count = `${o.quantity} ${what}${o.quantity === 1 ? '' : 's'}`;
  return `${o.action} ${count}${why} for ${range}`;
}

function renderBook(layers: readonly BookLayer[]): string {
  if (layers.length === 0) return '(empty)';
  return renderTable(
    [
      { header: 'layer' },
      { header: 'tmpl' },
      { header: 'contract' },
      { header: 'qty', align: 'right' },
      { header: 'DTE', align: 'right' },
      { header: 'mark', align: 'right' },
      { header: 'stress P&L/ct', align: 'right' },
      { header: 'stress total', align: 'right' },
      { header: 'carry/ct', align: 'right' },
      { header: 'counts' },
    ],
    layers.map((l) => [
      printable(l.layerId),
      printable(l.templateId),
      `${l.tradingClass} ${l.expiry} ${formatStrike(l.longStrike)}${l.shortStrike === null ? '' : '/' + formatStrike(l.shortStrike)}C`,
      String(l.quantity),
      String(l.dte),
      formatPrice(l.markPrice),
      formatCents(l.stressPnlPerContract),
      formatCents(l.stressPnlPerContract * l.quantity),
      formatCents(l.carryPerContract),
      l.counts ? 'yes' : 'no (< min DTE)',
    ]),
  );
}
