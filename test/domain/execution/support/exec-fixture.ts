// Plans for the executor's tests, built by hand so each test controls quantities, stress P&L and
// coverage exactly; ladders come from the real plannedLadder at fixed leg quotes.
import { ZERO_GREEKS } from '../../../../src/domain/plan/greeks.ts';
import { vixOption, spxwOption } from '../../../../src/domain/instruments.ts';
import type { Action, OptionContract, TickVenue } from '../../../../src/domain/instruments.ts';
import { cents, priceCents } from '../../../../src/domain/money.ts';
import {
  condorFloor,
  maxDebitFloor,
  minCreditFloor,
  orderMidNatural,
  plannedLadder,
} from '../../../../src/domain/plan/ladder.ts';
import type { OrderKind, Plan, PlanLeg, PlanOrder } from '../../../../src/domain/plan/types.ts';
import { requirementCents } from '../../../../src/domain/hedge/sizing.ts';
import { condorStressLossAt } from '../../../../src/domain/execution/coverage.ts';
import type { ExecEvent, LegQuoteNow, StartQuote } from '../../../../src/domain/execution/types.ts';
import type { PreflightReport } from '../../../../src/domain/execution/preflight.ts';

export const AS_OF = '2026-03-10T15:45:00-04:00';
export const T0 = Date.parse(AS_OF);
export const STRESS_SPX = 5850;

export interface HedgeSpec {
  readonly kind: 'hedge-open' | 'hedge-trim' | 'hedge-roll-close';
  /** Template (opens) or layer id (trims, rolls). */
  readonly id: string;
  readonly quantity: number;
  readonly stressPnlPerContract: number;
  /** 2: a VIX call spread BAG; 1: a single VIX call. */
  readonly legs?: 1 | 2;
}

export interface FixtureSpec {
  readonly hedges: readonly HedgeSpec[];
  /** 0: no condor order. */
  readonly condorQuantity: number;
  readonly existingStressPnl: number;
  readonly coverageTarget?: number;
  readonly steps?: number;
  readonly intervalSeconds?: number;
  readonly hedgeDeadlineMinutes?: number;
  readonly condorDeadlineMinutes?: number;
}

interface LegQuote {
  readonly contract: OptionContract;
  readonly action: Action;
  readonly bid: number;
  readonly ask: number;
}

const VIX_EXPIRY = '2026-04-08';
const callLeg = (strike: number, action: Action, bid: number, ask: number): LegQuote => ({
  contract: vixOption('VIXW', VIX_EXPIRY, strike),
  action,
  bid,
  ask,
});

/** Leg quotes at plan time: the condor's mid credit is 2.90, its natural 2.50. */
export const CONDOR_LEGS: readonly LegQuote[] = [
  { contract: spxwOption('2026-03-11', 5900, 'P'), action: 'SELL', bid: 400, ask: 420 },
  { contract: spxwOption('2026-03-11', 5875, 'P'), action: 'BUY', bid: 250, ask: 270 },
  { contract: spxwOption('2026-03-11', 6100, 'C'), action: 'SELL', bid: 300, ask: 320 },
  { contract: spxwOption('2026-03-11', 6125, 'C'), action: 'BUY', bid: 160, ask: 180 },
];

function hedgeLegs(spec: HedgeSpec, index: number): LegQuote[] {
  if (spec.kind !== 'hedge-open') return [callLeg(18 - index, 'BUY', 300, 320)];
  return spec.legs === 2
    ? [callLeg(25 + index, 'BUY', 80, 86), callLeg(32 + index, 'SELL', 30, 34)]
    : [callLeg(21 + index, 'BUY', 150, 160)];
}

function keyOf(spec: HedgeSpec): string {
  if (spec.kind === 'hedge-open') return `hedge:${spec.id}:open`;
  return spec.kind === 'hedge-trim' ? `trim:${spec.id}` : `roll:${spec.id}:close`;
}

function makeOrder(
  key: string,
  kind: OrderKind,
  action: Action,
  legs: readonly LegQuote[],
  quantity: number,
  stress: number,
  spec: FixtureSpec,
  deadlineMinutes: number,
): PlanOrder {
  const venue: TickVenue = legs.length === 1 ? 'VIXW' : kind === 'condor-open' ? 'SPX-COMBO' : 'VIX-COMBO';
  const side = kind === 'hedge-open' ? 'debit' : 'credit';
  const { mid, natural } = orderMidNatural(
    action,
    side,
    legs.map((l) => ({ action: l.action, ratio: 1, bid: l.bid, ask: l.ask })),
  );
  const strategyFloor =
    kind === 'condor-open'
      ? condorFloor(100)
      : side === 'debit'
        ? maxDebitFloor(mid, natural, 1, venue)
        : minCreditFloor(mid, natural, 1, venue);
  const ladder = plannedLadder({
    side,
    venue,
    mid,
    natural,
    strategyFloor,
    rule: { steps: spec.steps ?? 3, intervalSeconds: spec.intervalSeconds ?? 30, deadlineMinutes },
    asOf: AS_OF,
  });
  const planLegs: PlanLeg[] = legs.map((l) => ({ contract: l.contract, action: l.action, ratio: 1 }));
  return {
    key,
    kind,
    action,
    legs: planLegs,
    quantity,
    ladder,
    ibLimitPriceCents: ladder.prices.map((p) => (kind === 'condor-open' ? 0 - p : p)),
    stressPnlPerContract: cents(stress),
    templateId: kind === 'hedge-open' ? key : null,
    layerId: kind === 'hedge-open' ? null : key,
    midPrice: ladder.prices[0] ?? ladder.floor,
    naturalPrice: priceCents(Math.round(natural)),
  };
}

const LEG_QUOTES = new Map<string, readonly LegQuote[]>();

export function makePlan(spec: FixtureSpec): Plan {
  const c = spec.coverageTarget ?? 0.6;
  const ordered = [...spec.hedges].sort(
    (a, b) => Number(a.kind === 'hedge-open') - Number(b.kind === 'hedge-open'),
  );
  const orders: PlanOrder[] = ordered.map((h, i) => {
    const legs = hedgeLegs(h, i);
    LEG_QUOTES.set(keyOf(h), legs);
    const action = h.kind === 'hedge-open' ? 'BUY' : 'SELL';
    return makeOrder(
      keyOf(h),
      h.kind,
      action,
      legs,
      h.quantity,
      h.stressPnlPerContract,
      spec,
      spec.hedgeDeadlineMinutes ?? 10,
    );
  });
  const condorSelection = {
    expiry: '2026-03-11',
    shortPut: 5900,
    longPut: 5875,
    shortCall: 6100,
    longCall: 6125,
    widthPoints: 25,
    credit: priceCents(290),
    naturalCredit: priceCents(250),
    maxLossPerContract: cents((2500 - 290) * 100),
    breakEvenLow: 5897.1,
    breakEvenHigh: 6102.9,
    shortPutDelta: -0.1,
    shortCallDelta: 0.1,
    expectedMovePoints: 60,
    atmIv: 0.16,
    timeToExpiryYears: 1 / 252,
    spot: 6000,
  };
  let lossAtFloor = 0;
  if (spec.condorQuantity > 0) {
    LEG_QUOTES.set('condor', CONDOR_LEGS);
    const condor = makeOrder(
      'condor',
      'condor-open',
      'BUY',
      CONDOR_LEGS,
      spec.condorQuantity,
      0,
      spec,
      spec.condorDeadlineMinutes ?? 15,
    );
    orders.push(condor);
    lossAtFloor = condorStressLossAt(condorSelection, condor.ladder.floor, STRESS_SPX);
  }
  const newStress = orders
    .filter((o) => o.kind === 'hedge-open')
    .reduce((s, o) => s + o.stressPnlPerContract * o.quantity, 0);
  return {
    planId: '2026-03-10-feedc0de',
    cycleDate: '2026-03-10',
    asOf: AS_OF,
    mode: 'sim',
    strategy: { name: 'fixture', version: 1 },
    outcome:
      spec.condorQuantity > 0
        ? { kind: 'trade' }
        : {
            kind: 'no-trade',
            reason: 'risk-cap',
            detail: { kind: 'risk-cap', cap: { cap: 0, binding: { kind: 'maxCondors', maxCondors: 0 } } },
          },
    orders,
    condor: spec.condorQuantity > 0 ? condorSelection : null,
    condorQuantity: spec.condorQuantity,
    hedgeBookBefore: [],
    hedgeBookAfter: [],
    coverage: {
      baseCoverage: c,
      regimeMultiplier: 1,
      coverageTarget: c,
      condorStressLossPerContract: cents(lossAtFloor),
      stressSpx: STRESS_SPX,
      stressVixSpot: 25,
      requiredStressPnl: requirementCents(c, cents(lossAtFloor), spec.condorQuantity),
      existingStressPnl: cents(spec.existingStressPnl),
      newStressPnl: cents(newStress),
      coverageRatio: null,
    },
    budget: null,
    signals: [],
    event: null,
    marketHours: {
      status: 'open',
      date: '2026-03-10',
      openAt: '2026-03-10T09:30:00-04:00',
      closeAt: '2026-03-10T16:00:00-04:00',
      lastDeadline: AS_OF,
    },
    trendGate: { status: 'off' },
    commissions: {
      spxOptionPerContractCents: cents(0),
      vixOptionPerContractCents: cents(0),
      condorPerContractCents: cents(0),
      condorCents: cents(0),
      hedgeCents: cents(0),
      totalCents: cents(0),
    },
    condorNet: null,
    greeks: { before: NO_GREEKS, after: NO_GREEKS },
    bookCarry: { carryPerSessionCents: cents(0), creditCents: cents(0) },
    sensitivity: [],
    scenarios: [],
    payoff: [],
    rationale: [],
  };
}

const NO_GREEKS = { condor: ZERO_GREEKS, hedge: ZERO_GREEKS, thetaTotalCentsPerSession: cents(0) };

/** The plan-time leg quotes of an order of a fixture plan, as the executor reads them. */
export function legQuotes(orderKey: string, shift = 0): LegQuoteNow[] {
  const legs = LEG_QUOTES.get(orderKey);
  if (legs === undefined) throw new Error(`no fixture quotes for ${orderKey}`);
  return legs.map((l) => ({ bid: Math.max(0, l.bid + shift), ask: l.ask + shift }));
}

export function startQuotes(plan: Plan, atMs = T0): StartQuote[] {
  return plan.orders.map((o) => ({ orderKey: o.key, legs: legQuotes(o.key), atMs }));
}

export const PASSED: PreflightReport = {
  ok: true,
  checks: [{ id: 'clock', ok: true, detail: 'fixture' }],
  failures: [],
};

export function startEvent(plan: Plan, atMs = T0): ExecEvent {
  return { type: 'start', atMs, preflight: PASSED, quotes: startQuotes(plan, atMs) };
}

/** Stress loss of one condor at its floor credit and the need per condor, cents. */
export function condorNeedPerContract(plan: Plan): number {
  return plan.coverage.coverageTarget * plan.coverage.condorStressLossPerContract;
}
