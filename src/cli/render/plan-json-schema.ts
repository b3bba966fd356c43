// The `preview --json` output as a zod schema: the source of schemas/plan.schema.json (npm run
// schema). One unit per kind: money in integer US cents (fields named *Cents, or typed as money
// in their description), prices in integer price cents per unit, index levels in points.
// A compile-time check below keeps it equal to the Plan type of the domain.
import { z } from 'zod';
import type { Plan } from '../../domain/plan/types.ts';
import { PLAN_JSON_SCHEMA_VERSION } from './plan-json.ts';

const CENTS = 'US cents (integer)';
const PRICE = 'price cents per unit (integer; 295 = 2.95)';

const cents = (what: string) => z.int().describe(`${what}, ${CENTS}`);
const price = (what: string) => z.int().describe(`${what}, ${PRICE}`);
const num = (what: string) => z.number().describe(what);
const str = (what: string) => z.string().describe(what);
const date = (what: string) => z.string().describe(`${what}, YYYY-MM-DD (New York)`);
const time = (what: string) => z.string().describe(`${what}, ISO 8601 with offset`);
const nullable = <T extends z.ZodType>(t: T) => t.nullable();

const right = z.enum(['C', 'P']);
const tradingClass = z.enum(['VIX', 'VIXW']);
const action = z.enum(['BUY', 'SELL']);

const contract = z
  .strictObject({
    kind: z.literal('option'),
    symbol: z.enum(['SPX', 'VIX']),
    tradingClass: z.enum(['SPXW', 'VIX', 'VIXW']),
    expiry: date('expiry'),
    strike: num('strike, index points as listed'),
    right,
    multiplier: z.int().describe('contract multiplier (100)'),
  })
  .meta({ id: 'OptionContract' });

const ladder = z
  .strictObject({
    side: z.enum(['debit', 'credit']),
    venue: z.enum(['SPXW', 'VIX', 'VIXW', 'SPX-COMBO', 'VIX-COMBO', 'VX']).describe('whose tick rules apply'),
    steps: z.int(),
    prices: z.array(price('limit of each step')),
    floor: price('the worst price any step may take'),
    intervalSeconds: z.int(),
    deadline: time('the unfilled rest is cancelled then'),
  })
  .meta({ id: 'LimitLadder' });

const orderKind = z.enum(['hedge-open', 'hedge-roll-close', 'hedge-trim', 'condor-open']);

const order = z
  .strictObject({
    key: str('unique in the plan'),
    kind: orderKind,
    action: action.describe('order action on the (combo) contract as sent to IB'),
    legs: z.array(z.strictObject({ contract, action, ratio: z.int() })),
    quantity: z.int(),
    ladder,
    ibLimitPriceCents: z.array(z.int()).describe(`IB's signed lmtPrice of each step, ${PRICE}`),
    stressPnlPerContract: cents('stress P&L per contract (hedge orders; 0 for the condor)'),
    templateId: nullable(z.string()),
    layerId: nullable(z.string()),
    midPrice: price('step 0: the mid on tick'),
    naturalPrice: price('natural price at the snapshot'),
  })
  .meta({ id: 'PlanOrder' });

const selection = z
  .strictObject({
    expiry: date('expiry'),
    shortPut: num('strike'),
    longPut: num('strike'),
    shortCall: num('strike'),
    longCall: num('strike'),
    widthPoints: num('wing width, SPX points'),
    credit: price('mid credit on tick'),
    naturalCredit: price('natural credit'),
    maxLossPerContract: cents('(width - credit) x 100'),
    breakEvenLow: num('SPX level'),
    breakEvenHigh: num('SPX level'),
    shortPutDelta: num('delta'),
    shortCallDelta: num('delta'),
    expectedMovePoints: num('EM, SPX points'),
    atmIv: num('ATM implied vol, decimal'),
    timeToExpiryYears: num('trading time, years'),
    spot: num('SPX spot'),
  })
  .meta({ id: 'CondorSelection' });

const bookLayer = z
  .strictObject({
    layerId: z.string(),
    templateId: z.string(),
    kind: z.enum(['call', 'callSpread']),
    tradingClass,
    expiry: date('expiry'),
    longStrike: num('strike'),
    shortStrike: nullable(num('strike')),
    quantity: z.int(),
    entryPrice: price('paid per unit when opened'),
    openedOn: date('opened'),
    stressPnlPerContract: cents('stress P&L per contract'),
    markPrice: price('mid now'),
    carryPerContract: cents('one session of modelled decay per contract'),
    dte: z.int().describe('calendar days to expiry'),
    counts: z.boolean(),
  })
  .meta({ id: 'BookLayer' });

const layerSpec = z
  .strictObject({
    kind: z.enum(['call', 'callSpread']),
    tradingClass,
    expiry: date('expiry'),
    longStrike: num('strike'),
    shortStrike: nullable(num('strike')),
  })
  .meta({ id: 'LayerSpec' });

const legRef = z
  .strictObject({ strike: num('strike'), right, role: z.enum(['short', 'long']).nullable() })
  .meta({ id: 'LegRef' });

const quoteProblem = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('crossed'),
      leg: legRef,
      bidCents: price('bid'),
      askCents: price('ask'),
    }),
    z.strictObject({
      kind: z.literal('stale'),
      leg: legRef,
      ageSeconds: num('seconds'),
      maxAgeSeconds: num('seconds'),
    }),
    z.strictObject({
      kind: z.literal('wide'),
      leg: legRef,
      spreadCents: price('bid/ask spread'),
      maxSpreadCents: price('limit'),
    }),
    z.strictObject({ kind: z.literal('no-bid'), leg: legRef }),
    z.strictObject({ kind: z.literal('no-offer'), leg: legRef }),
    z.strictObject({ kind: z.literal('natural-not-debit'), naturalCents: num(`natural, ${PRICE}`) }),
    z.strictObject({ kind: z.literal('natural-not-credit'), naturalCents: num(`natural, ${PRICE}`) }),
  ])
  .meta({ id: 'QuoteProblem' });

const layerProblem = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('no-chain'), tradingClass, expiry: date('expiry') }),
    z.strictObject({
      kind: z.literal('no-quote'),
      tradingClass,
      expiry: date('expiry'),
      strike: num('strike'),
    }),
    z.strictObject({
      kind: z.literal('no-vol'),
      tradingClass,
      expiry: date('expiry'),
      strike: num('strike'),
    }),
    z.strictObject({
      kind: z.literal('no-expiry-in-window'),
      tradingClasses: z.array(tradingClass),
      window: z.tuple([z.number(), z.number()]).describe('calendar days [min, max]'),
      minHedgeDte: z.number(),
    }),
    z.strictObject({
      kind: z.literal('no-strike'),
      future: num('VX future'),
      otmPoints: z.array(z.number()),
    }),
    z.strictObject({ kind: z.literal('quotes'), layer: layerSpec, problems: z.array(quoteProblem) }),
    z.strictObject({ kind: z.literal('no-stress-scenario') }),
    z.strictObject({
      kind: z.literal('no-stress-gain'),
      layer: layerSpec,
      stressPnlPerContractCents: cents('stress P&L per contract'),
    }),
  ])
  .meta({ id: 'LayerProblem' });

const condorProblem = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('no-atm-vol') }),
    z.strictObject({ kind: z.literal('no-otm-delta'), right }),
    z.strictObject({
      kind: z.literal('no-strike-beyond-em'),
      right,
      emMultiple: z.number(),
      emLimit: num('SPX level'),
    }),
    z.strictObject({ kind: z.literal('strike-no-delta'), right, strike: num('strike') }),
    z.strictObject({
      kind: z.literal('no-wing'),
      widthPoints: z.number(),
      shortPut: num('strike'),
      shortCall: num('strike'),
    }),
    z.strictObject({ kind: z.literal('no-quote'), strike: num('strike'), right }),
    z.strictObject({ kind: z.literal('leg-quotes'), problems: z.array(quoteProblem) }),
    z.strictObject({
      kind: z.literal('thin-credit'),
      creditCents: price('credit'),
      minCreditCents: num(`minimum credit, ${PRICE} (may be fractional)`),
      minCreditPctOfWidth: z.number(),
      widthPoints: z.number(),
    }),
    z.strictObject({
      kind: z.literal('credit-at-width'),
      creditCents: price('credit'),
      widthPoints: z.number(),
    }),
  ])
  .meta({ id: 'CondorProblem' });

const capBinding = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('maxCondors'), maxCondors: z.int() }),
    z.strictObject({
      kind: z.literal('maxRiskPerCycle'),
      maxRiskPerCycleCents: cents('maxRiskPerCycle'),
      maxLossPerContractCents: cents('max loss at the ladder last step'),
    }),
    z.strictObject({ kind: z.literal('trend-gate'), ungatedCap: z.int(), qtyFactor: z.number() }),
  ])
  .meta({ id: 'CapBinding' });
const quantityCap = z.strictObject({ cap: z.int(), binding: capBinding }).meta({ id: 'QuantityCap' });

const unavailableReason = z.enum(['no-hedge-instrument', 'bad-quotes']);
const verdict = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('fits') }),
    z.strictObject({ kind: z.literal('over'), overBudget: z.boolean(), overCash: z.boolean() }),
    z.strictObject({
      kind: z.literal('no-supply'),
      failure: z.strictObject({
        templateId: z.string(),
        reason: unavailableReason,
        problem: layerProblem.nullable(),
      }),
    }),
  ])
  .meta({ id: 'AttemptVerdict' });
const binding = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('cap'), cap: quantityCap }),
    z.strictObject({ kind: z.literal('verdict'), verdict }),
  ])
  .meta({ id: 'QuantityBinding' });

const attempt = z
  .strictObject({
    q: z.int(),
    required: cents('required hedge stress P&L'),
    shortfall: cents('shortfall'),
    purchases: z.array(
      z.strictObject({
        templateId: z.string(),
        quantity: z.int(),
        stressPnl: cents('stress P&L'),
        carry: cents('carry per session'),
        premium: cents('premium at the ladder last step'),
      }),
    ),
    newStressPnl: cents('stress P&L of new purchases'),
    newCarry: cents('carry of new purchases'),
    carryBudget: cents('carry budget'),
    newPremium: cents('premium of new purchases'),
    verdict,
  })
  .meta({ id: 'QuantityAttempt' });

const eventKind = z.enum(['FOMC', 'CPI', 'PPI']);
const eventPolicy = z.enum(['skip', 'normal', 'upsize-hedge']);
const eventDay = z
  .strictObject({
    date: date('expiry day'),
    kinds: z.array(eventKind),
    coveredThrough: date('last date the event calendar covers').nullable(),
    uncovered: z.boolean(),
    treatedAsEvent: z.boolean(),
    isEventDay: z.boolean(),
  })
  .meta({ id: 'EventDay' });

const marketHours = z
  .union([
    z.strictObject({
      status: z.literal('open'),
      date: date('session'),
      openAt: time('open'),
      closeAt: time('close'),
      lastDeadline: time('latest order deadline'),
    }),
    z.strictObject({
      status: z.literal('closed'),
      why: z.literal('not-a-session'),
      date: date('day'),
      closure: z.string(),
    }),
    z.strictObject({
      status: z.literal('closed'),
      why: z.literal('before-open'),
      date: date('day'),
      asOf: time('cycle'),
      openAt: time('open'),
      closeAt: time('close'),
    }),
    z.strictObject({
      status: z.literal('closed'),
      why: z.literal('orders-past-close'),
      date: date('day'),
      asOf: time('cycle'),
      closeAt: time('close'),
      lastDeadline: time('latest order deadline'),
    }),
  ])
  .meta({ id: 'MarketHours' });

const trendGate = z
  .union([
    z.strictObject({ status: z.literal('off') }),
    z.strictObject({
      status: z.literal('not-available'),
      sessions: z.int(),
      closesNeeded: z.int(),
      closesFound: z.int(),
    }),
    z.strictObject({
      status: z.enum(['open', 'shut']),
      sessions: z.int(),
      price: num('SPX at the cycle point'),
      average: num('SPX simple average'),
      gapPct: num('(price / average - 1) x 100'),
      qtyFactor: z.number(),
    }),
  ])
  .meta({ id: 'TrendGate' });

const stressScenario = z
  .strictObject({
    spot: num('SPX'),
    atmIv: num('decimal'),
    horizonYears: num('trading years'),
    emPoints: num('SPX points'),
    stressSigmas: z.number(),
    stressSpx: num('SPX level'),
    spxFallPct: num('percent'),
    vixSpot: num('VIX'),
    vixSpotRise: num('VIX points'),
    stressVixSpot: num('VIX'),
    volOfVolShock: num('decimal vol'),
  })
  .meta({ id: 'StressScenario' });

const signalReading = z
  .discriminatedUnion('id', [
    z.strictObject({ id: z.literal('rsi'), rsi: z.number(), below: z.number() }),
    z.strictObject({
      id: z.literal('macd'),
      histogram: z.number(),
      histogramBefore: z.number(),
      risingDays: z.int(),
      rising: z.boolean(),
      vixRecentLow: z.number(),
      vixPriorLow: z.number(),
      macdAtRecentLow: z.number(),
      macdAtPriorLow: z.number(),
      divergence: z.boolean(),
    }),
    z.strictObject({
      id: z.literal('coiling'),
      bandwidth: z.number(),
      atOrBelow: z.int(),
      window: z.int(),
      rank: z.number(),
      percentile: z.number(),
    }),
    z.strictObject({
      id: z.literal('termStructure'),
      vix9dOverVix: z.number().nullable(),
      vixOverVix3m: z.number().nullable(),
      vix9dOverVixAbove: z.number(),
      vixOverVix3mAbove: z.number(),
    }),
    z.strictObject({
      id: z.literal('breadth'),
      adChange: z.number(),
      spxChangePct: z.number(),
      lookbackDays: z.int(),
    }),
    z.strictObject({
      id: z.literal('event'),
      kinds: z.array(eventKind),
      policy: eventPolicy,
      coveredThrough: z.string().nullable(),
      uncovered: z.boolean(),
      treatedAsEvent: z.boolean(),
    }),
    z.strictObject({ id: z.literal('macro'), factor: z.number(), note: z.string() }),
  ])
  .meta({ id: 'SignalReading' });

const signalUnavailable = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('not-enough-bars'), needed: z.int(), have: z.int() }),
    z.strictObject({ kind: z.literal('no-ad-data') }),
    z.strictObject({ kind: z.literal('no-term-quotes') }),
    z.strictObject({ kind: z.literal('non-finite') }),
  ])
  .meta({ id: 'SignalUnavailable' });

const signal = z
  .strictObject({
    id: z.enum(['rsi', 'macd', 'coiling', 'termStructure', 'breadth', 'event', 'macro']),
    label: z.string(),
    enabled: z.boolean(),
    value: z.number().nullable(),
    available: z.boolean(),
    triggered: z.boolean(),
    fired: z.boolean(),
    factor: z.number(),
    reading: signalReading.nullable(),
    unavailable: signalUnavailable.nullable(),
  })
  .meta({ id: 'SignalResult' });

const layerRef = z
  .strictObject({
    layerId: z.string(),
    templateId: z.string(),
    spec: layerSpec,
    quantity: z.int(),
    dte: z.int(),
  })
  .meta({ id: 'LayerRef' });

const rollAction = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('sell'),
      quantity: z.int(),
      midCents: num(`mid, ${PRICE} (may be fractional)`),
    }),
    z.strictObject({ kind: z.literal('expired') }),
    z.strictObject({ kind: z.literal('unpriced'), problem: layerProblem }),
    z.strictObject({ kind: z.literal('not-offered'), problems: z.array(quoteProblem) }),
    z.strictObject({ kind: z.literal('deferred'), problems: z.array(quoteProblem) }),
  ])
  .meta({ id: 'RollAction' });

const wingRule = z.discriminatedUnion('mode', [
  z.strictObject({
    mode: z.literal('pctOfSpot'),
    pct: z.number(),
    roundToPoints: z.number(),
    minPoints: z.number(),
  }),
  z.strictObject({ mode: z.literal('points'), points: z.number() }),
]);

const atmSource = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('interpolated'),
    lowStrike: z.number(),
    lowIv: z.number(),
    highStrike: z.number(),
    highIv: z.number(),
  }),
  z.strictObject({ kind: z.literal('single-strike'), strike: z.number() }),
]);

const noTradeReason = z.enum([
  'market-closed',
  'trend-gate',
  'event-skip',
  'no-expiry',
  'bad-quotes',
  'no-strikes',
  'thin-credit',
  'budget',
  'risk-cap',
  'no-net-liquidation',
  'no-hedge-instrument',
]);

const riskCapName = z.enum(['maxRiskPerCycle', 'maxHedgePremiumPerCycle']);

const resolvedCap = z
  .strictObject({
    name: riskCapName,
    cents: cents('the cap this cycle'),
    source: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('fixed') }).describe('a dollar amount in the strategy file'),
      z
        .strictObject({
          kind: z.literal('pctOfNetLiq'),
          pct: num('share of net liquidation (0.02 = 2%)'),
          netLiquidationCents: cents("the snapshot account's net liquidation"),
        })
        .describe('a share of net liquidation, resolved against the snapshot account (rounded down)'),
    ]),
  })
  .meta({ id: 'ResolvedCap' });

const unresolvedCaps = z
  .strictObject({
    caps: z.array(riskCapName).describe('caps given as a share of net liquidation'),
    netLiquidationCents: cents('net liquidation (null: no account in the snapshot)').nullable(),
  })
  .meta({ id: 'UnresolvedCaps' });

const openCondorRisk = z
  .strictObject({
    condor: z.strictObject({
      planId: str('the plan that sold it'),
      expiry: date('PM settlement'),
      shortPut: num('strike'),
      longPut: num('strike'),
      shortCall: num('strike'),
      longCall: num('strike'),
      quantity: z.int(),
      credit: price('credit filled'),
      openedOn: date('sold on'),
    }),
    remainingYears: num('trading years to its settlement (0: settled)'),
    remainingMinutes: z.int().describe('regular-session minutes to its settlement'),
    stressMovePoints: num('stressSigmas x EM over the time left, SPX points'),
    stressSpx: num('SPX level under the stress'),
    maxLossPerContract: cents('max loss per contract at its credit'),
    stressLossPerContract: cents('stress loss per contract'),
    stressLoss: cents('stress loss x quantity, added to the requirement'),
    counts: z.boolean().describe('false once settled'),
  })
  .meta({ id: 'OpenCondorRisk' });

const rationaleEntry = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('cycle'),
      cycleDate: date('cycle'),
      asOf: time('cycle'),
      expiry: date('1DTE expiry'),
      horizonYears: num('trading years to the expiry'),
      spot: num('SPX'),
      vixSpot: num('VIX'),
    }),
    z.strictObject({ kind: z.literal('market-hours'), hours: marketHours }),
    z.strictObject({
      kind: z.literal('stress'),
      scenario: stressScenario.nullable(),
      vixBeta: z.number(),
      termBeta: z.strictObject({ coefficient: z.number(), refDte: z.number(), cap: z.number() }),
    }),
    z.strictObject({ kind: z.literal('book-empty') }),
    z.strictObject({
      kind: z.literal('held-layer'),
      layer: layerRef,
      valuation: z
        .strictObject({
          markPriceCents: price('mid now'),
          stressPnlPerContractCents: cents('stress P&L per contract'),
          carryPerContractCents: cents('carry per contract per session'),
          counts: z.boolean(),
        })
        .nullable(),
      problem: layerProblem.nullable(),
    }),
    z.strictObject({ kind: z.literal('open-condor'), risk: openCondorRisk }),
    z.strictObject({ kind: z.literal('roll'), layer: layerRef, minHedgeDte: z.number(), action: rollAction }),
    z.strictObject({ kind: z.literal('signal'), signal }),
    z.strictObject({
      kind: z.literal('regime'),
      factors: z.array(z.number()),
      multiplier: z.number(),
      baseCoverage: z.number(),
      coverageMin: z.number(),
      coverageMax: z.number(),
      coverageTarget: z.number(),
    }),
    z.strictObject({ kind: z.literal('event-calendar'), eventDay }),
    z.strictObject({
      kind: z.literal('atm-vol'),
      iv: z.number(),
      source: atmSource,
      spot: z.number(),
      timeYears: z.number(),
      emPoints: z.number(),
    }),
    z.strictObject({
      kind: z.literal('short-strike'),
      right,
      targetDelta: z.number(),
      deltaNearest: z.number(),
      strike: z.number(),
      emMultiple: z.number(),
      emLimit: z.number(),
      movedOut: z.boolean(),
      deltaAtStrike: z.number(),
    }),
    z.strictObject({
      kind: z.literal('wings'),
      widthPoints: z.number(),
      rule: wingRule,
      spot: z.number(),
      longPut: z.number(),
      longCall: z.number(),
    }),
    z.strictObject({
      kind: z.literal('credit'),
      legMidCents: z.array(num(`signed leg mid, ${PRICE} (may be fractional)`)),
      rawMidCents: num(`combo mid, ${PRICE} (may be fractional)`),
      creditCents: price('credit on tick'),
      naturalCents: price('natural credit'),
      minCreditPctOfWidth: z.number(),
      widthPoints: z.number(),
      minCreditCents: num(`minimum credit, ${PRICE} (may be fractional)`),
    }),
    z.strictObject({
      kind: z.literal('max-loss'),
      widthPoints: z.number(),
      creditCents: price('credit'),
      maxLossCents: cents('max loss per contract'),
      breakEvenLow: z.number(),
      breakEvenHigh: z.number(),
    }),
    z.strictObject({
      kind: z.literal('condor-ladder'),
      pricesCents: z.array(price('step')),
      midCents: price('mid on tick'),
      naturalCents: price('natural credit'),
      minCreditCents: num(`minimum credit, ${PRICE} (may be fractional)`),
      lastStepCents: price('last step'),
    }),
    z.strictObject({
      kind: z.literal('condor-stress-loss'),
      stressSpx: z.number(),
      creditCents: price('credit counted (the ladder last step)'),
      maxLossCents: cents('max loss per contract at that credit'),
      stressLossCents: cents('stress loss per contract'),
    }),
    z.strictObject({
      kind: z.literal('template-offer'),
      templateId: z.string(),
      share: z.number(),
      spec: layerSpec,
      dte: z.int(),
      targetDte: z.int(),
      window: z.tuple([z.number(), z.number()]),
      future: num('VX future'),
      levels: z.array(num('strike rule level')),
      midCents: num(`mid, ${PRICE} (may be fractional)`),
      lastStepCents: price('ladder last step'),
      stressPnlPerContractCents: cents('stress P&L per contract'),
      carryPerContractCents: cents('carry per contract per session'),
      premiumPerContractCents: cents('premium per contract at the last step'),
    }),
    z.strictObject({
      kind: z.literal('template-unavailable'),
      templateId: z.string(),
      templateKind: z.enum(['call', 'callSpread']),
      share: z.number(),
      reason: unavailableReason,
      problem: layerProblem,
    }),
    z.strictObject({ kind: z.literal('risk-caps'), caps: z.array(resolvedCap) }),
    z.strictObject({ kind: z.literal('risk-caps-unresolved'), unresolved: unresolvedCaps }),
    z.strictObject({ kind: z.literal('quantity-cap'), cap: quantityCap }),
    z.strictObject({
      kind: z.literal('trend-gate'),
      gate: trendGate,
      capBefore: z.int().nullable(),
      capAfter: z.int().nullable(),
    }),
    z.strictObject({
      kind: z.literal('quantity-attempt'),
      attempt,
      coverageTarget: z.number(),
      stressLossPerContractCents: cents('condor stress loss per contract'),
      existingStressPnlCents: cents('held stress P&L'),
      openCondorsStressLossCents: cents("earlier cycles' condors not yet settled, inside the requirement"),
      hedgeBudgetPct: z.number(),
      maxHedgePremiumPerCycleCents: cents('cash guard'),
    }),
    z.strictObject({ kind: z.literal('quantity-chosen'), q: z.int(), binding }),
    z.strictObject({ kind: z.literal('trim-disabled') }),
    z.strictObject({
      kind: z.literal('trim-check'),
      bookStressPnlCents: cents('book stress P&L'),
      trimAbove: z.number(),
      requirementAtCapCents: cents('requirement at the quantity cap'),
      thresholdCents: cents('trim threshold'),
      targetCents: cents('trim target').nullable(),
    }),
    z.strictObject({ kind: z.literal('trim-blocked'), layerId: z.string(), problems: z.array(quoteProblem) }),
    z.strictObject({
      kind: z.literal('trim-sell'),
      layerId: z.string(),
      quantity: z.int(),
      heldQuantity: z.int(),
      stressReleasedCents: cents('stress P&L released'),
    }),
    z.strictObject({
      kind: z.literal('trim-none'),
      why: z.enum(['would-go-below-target', 'nothing-sellable']),
    }),
    z.strictObject({
      kind: z.literal('summary'),
      outcome: z.union([z.literal('trade'), noTradeReason]),
      condorQuantity: z.int(),
      hedgeOrders: z.array(z.strictObject({ kind: orderKind, ref: z.string(), quantity: z.int() })),
    }),
  ])
  .describe('one decision of the cycle, as data (the CLI words it)')
  .meta({ id: 'RationaleEntry' });

const noTradeDetail = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('market-closed'), hours: marketHours }),
    z.strictObject({ kind: z.literal('event-skip'), eventDay }),
    z.strictObject({
      kind: z.literal('chain-expiry'),
      chainExpiry: date('SPXW chain'),
      expiry: date('1DTE expiry'),
    }),
    z.strictObject({ kind: z.literal('no-time-left'), expiry: date('expiry') }),
    z.strictObject({ kind: z.literal('no-stress-scenario'), expiry: date('expiry') }),
    z.strictObject({ kind: z.literal('condor'), problem: condorProblem }),
    z.strictObject({ kind: z.literal('risk-cap'), cap: quantityCap }),
    z.strictObject({ kind: z.literal('no-net-liquidation'), unresolved: unresolvedCaps }),
    z.strictObject({ kind: z.literal('trend-gate'), gate: trendGate, ungatedCap: z.int() }),
    z.strictObject({ kind: z.literal('no-quantity'), attempt }),
  ])
  .meta({ id: 'NoTradeDetail' });

const dollarGreeks = z
  .strictObject({
    deltaCentsPerPoint: cents('P&L for +1 point of the underlying'),
    gammaCentsPerPointSquared: cents('change of that delta for +1 point'),
    vegaCentsPerVolPoint: cents('P&L for +1 vol point'),
    thetaCentsPerSession: cents('one session of decay'),
  })
  .meta({ id: 'DollarGreeks' });
const bookGreeks = z
  .strictObject({
    condor: dollarGreeks,
    hedge: dollarGreeks,
    thetaTotalCentsPerSession: cents('whole book theta per session'),
  })
  .meta({ id: 'BookGreeks' });

const scenarioRow = z
  .strictObject({
    label: z.enum(['move', 'break-even-low', 'break-even-high', 'stress']),
    spxMovePct: num('percent'),
    spxAtExpiry: num('SPX level'),
    vixSpot: num('modelled VIX'),
    condorPnl: cents('condor P&L after its commissions'),
    hedgePnl: cents('hedge book P&L after the hedge orders commissions'),
    netPnl: cents('condor + hedge'),
  })
  .meta({ id: 'ScenarioRow' });

export const planSchema = z.strictObject({
  planId: z.string(),
  cycleDate: date('cycle'),
  asOf: time('cycle'),
  mode: z.enum(['sim', 'paper', 'live']),
  strategy: z.strictObject({ name: z.string(), version: z.int() }),
  riskCaps: z
    .strictObject({ maxRiskPerCycle: resolvedCap, maxHedgePremiumPerCycle: resolvedCap })
    .nullable()
    .optional()
    .describe(
      'the money caps in cents this cycle; null: a share-of-net-liquidation cap had no net liquidation',
    ),
  outcome: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('trade') }),
    z.strictObject({ kind: z.literal('no-trade'), reason: noTradeReason, detail: noTradeDetail }),
  ]),
  orders: z.array(order).describe('hedge orders first (rolls and trims, new layers), the condor last'),
  condor: selection.nullable(),
  condorQuantity: z.int(),
  openCondors: z
    .array(openCondorRisk)
    .optional()
    .describe("earlier cycles' condors not yet settled, valued at this cycle"),
  hedgeBookBefore: z.array(bookLayer),
  hedgeBookAfter: z.array(bookLayer),
  coverage: z.strictObject({
    baseCoverage: z.number(),
    regimeMultiplier: z.number(),
    coverageTarget: z.number(),
    condorStressLossPerContract: cents('condor stress loss per contract'),
    stressSpx: num('SPX level'),
    stressVixSpot: num('VIX'),
    requiredStressPnl: cents('requirement c x loss x q + open condors stress loss'),
    openCondorsStressLoss: cents("stress loss of earlier cycles' condors not yet settled").optional(),
    existingStressPnl: cents('held stress P&L'),
    newStressPnl: cents('new stress P&L'),
    coverageRatio: z
      .number()
      .nullable()
      .describe("(existing + new - open condors' stress loss) / (condor stress loss x q)"),
  }),
  budget: z
    .strictObject({
      condorQuantity: z.int(),
      creditTotal: cents('condor credit x quantity'),
      carryBudget: cents('carry budget'),
      newCarry: cents('carry of new purchases'),
      premiumCap: cents('cash guard'),
      newPremium: cents('premium of new purchases'),
      binding,
    })
    .nullable(),
  signals: z.array(signal),
  event: z
    .strictObject({
      kinds: z.array(eventKind),
      policy: eventPolicy,
      uncovered: z.boolean(),
      coveredThrough: z.string().nullable(),
    })
    .nullable(),
  marketHours,
  trendGate,
  commissions: z.strictObject({
    spxOptionPerContractCents: cents('per SPX option contract'),
    vixOptionPerContractCents: cents('per VIX option contract'),
    condorPerContractCents: cents('per condor (four legs)'),
    condorCents: cents('the condor order'),
    hedgeCents: cents('every hedge order'),
    totalCents: cents('all orders'),
  }),
  condorNet: z
    .strictObject({
      creditPerContractCents: cents('credit after commissions'),
      maxLossPerContractCents: cents('max loss after commissions'),
      breakEvenLow: num('SPX level'),
      breakEvenHigh: num('SPX level'),
    })
    .nullable(),
  greeks: z.strictObject({ before: bookGreeks, after: bookGreeks }),
  bookCarry: z.strictObject({
    carryPerSessionCents: cents('whole book carry per session'),
    creditCents: cents('condor credit x quantity'),
  }),
  sensitivity: z.array(
    z.strictObject({
      case: z.enum(['as-planned', 'no-vol-of-vol-shock', 'half-vix-beta']),
      vixBeta: z.number(),
      volOfVolShock: z.number(),
      hedgeStressPnlCents: cents('hedge stress P&L'),
      coverageRatio: z.number().nullable(),
    }),
  ),
  scenarios: z.array(scenarioRow),
  payoff: z.array(scenarioRow),
  rationale: z.array(rationaleEntry),
});

// The version lives beside the renderer so that rendering never builds this schema (cold start).
export { PLAN_JSON_SCHEMA_VERSION };

const whatIfOrderSchema = z.strictObject({
  key: z.string(),
  kind: z.enum(['margin', 'refused', 'unavailable']),
  initMarginChangeCents: cents('initial margin change').nullable(),
  maintMarginChangeCents: cents('maintenance margin change').nullable(),
  commissionCents: cents("IB's commission estimate").nullable(),
  text: z.string().nullable().describe("IB's warning, refusal with its code, or why no answer came"),
});

/** `preview --gateway` only: IB's what-if per order and for the plan. */
const whatIfSchema = z.strictObject({
  orders: z.array(whatIfOrderSchema),
  initMarginChangeCents: cents('initial margin change of the whole plan').nullable(),
  commissionCents: cents('commissions of the whole plan').nullable(),
});

export const planJsonSchema = z.strictObject({
  kind: z.literal('ironvix.plan'),
  schemaVersion: z.literal(PLAN_JSON_SCHEMA_VERSION),
  plan: planSchema,
  whatIf: whatIfSchema.optional(),
});

/** The JSON Schema published as schemas/plan.schema.json. */
export function planJsonSchemaDocument(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(planJsonSchema);
  return {
    $schema,
    $id: 'https://ironvix.local/schemas/plan.schema.json',
    title: 'ironvix preview --json',
    description:
      'The plan ironvix builds for one cycle. Money in integer US cents (fields named *Cents or described as cents), ' +
      'prices in integer price cents per unit, SPX and VIX levels in index points. Generated by `npm run schema` ' +
      'from src/cli/render/plan-json-schema.ts; do not edit.',
    ...rest,
  };
}

// ---------------------------------------------------------------------------------------------
// Compile-time: the schema's output type is exactly the domain's Plan, minus brands and readonly.

type Plain<T> = T extends number
  ? number
  : T extends string | boolean | null
    ? T
    : T extends readonly [infer A, infer B]
      ? [Plain<A>, Plain<B>]
      : T extends readonly (infer U)[]
        ? Plain<U>[]
        : T extends object
          ? { -readonly [K in keyof T]: Plain<T[K]> }
          : T;

/** Mutual assignability: every required field on both sides, with the same value types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const planTypeMatches: Same<z.output<typeof planSchema>, Plain<Plan>> = true;
void planTypeMatches;
