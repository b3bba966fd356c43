// The strategy file (strategies/*.json) as a zod schema. Money is written in dollars and parsed
// into cents; every default is the default of docs/strategy.md. describe() texts feed schema.json and
// the field table of strategies/README.md (npm run schema).
import { z } from 'zod';
import { dollarsToCents, toPriceCents } from '../domain/money.ts';
import type {
  LayerTemplate,
  LadderRule,
  MoneyCap,
  StrategyConfig,
  WingWidthRule,
} from '../domain/strategy.ts';

interface Bounds {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
}

/** "> 0 and < 0.5" */
export function boundsText(b: Bounds): string {
  const parts: string[] = [];
  if (b.gt !== undefined) parts.push(`> ${b.gt}`);
  if (b.gte !== undefined) parts.push(`>= ${b.gte}`);
  if (b.lt !== undefined) parts.push(`< ${b.lt}`);
  if (b.lte !== undefined) parts.push(`<= ${b.lte}`);
  return parts.join(' and ');
}

function bounded(kind: 'a number' | 'an integer', b: Bounds): z.ZodNumber {
  const range = boundsText(b);
  const rule =
    range === '' || kind === 'an integer' ? `must be ${kind} ${range}`.trimEnd() : `must be ${range}`;
  let s = z.number({ error: range === '' ? `must be ${kind}` : `must be ${kind} ${range}` });
  if (kind === 'an integer') s = s.int(range === '' ? 'must be an integer' : `must be an integer ${range}`);
  if (b.gt !== undefined) s = s.gt(b.gt, rule);
  if (b.gte !== undefined) s = s.gte(b.gte, rule);
  if (b.lt !== undefined) s = s.lt(b.lt, rule);
  if (b.lte !== undefined) s = s.lte(b.lte, rule);
  return s;
}

const num = (b: Bounds, def: number, description: string) =>
  bounded('a number', b).default(def).describe(description);
const int = (b: Bounds, def: number, description: string) =>
  bounded('an integer', b).default(def).describe(description);

/** A dollar amount in the file; must be a whole number of cents. */
export function isWholeCents(dollars: number): boolean {
  const c = dollars * 100;
  return Math.abs(c - Math.round(c)) <= 1e-9 * Math.max(1, Math.abs(c));
}

const dollars = (b: Bounds, def: number, description: string) =>
  bounded('a number', b)
    .refine(isWholeCents, 'must be a whole number of cents (at most 2 decimals)')
    .default(def)
    .describe(description);

/** A money cap: dollars, or {"pctOfNetLiq": 0.02}, a share of the account's net liquidation at plan time. */
const moneyCap = (b: Bounds, def: number, description: string) =>
  z
    .union([
      bounded('a number', b).refine(isWholeCents, 'must be a whole number of cents (at most 2 decimals)'),
      z
        .object({
          pctOfNetLiq: bounded('a number', { gt: 0, lte: 1 }).describe(
            "Share of the account's net liquidation (0.02 = 2%), resolved to dollars at plan time from the snapshot's account; no account: no trade.",
          ),
        })
        .strict(),
    ])
    .default(def)
    .describe(description);

const flag = (def: boolean, description: string) =>
  z.boolean({ error: 'must be true or false' }).default(def).describe(description);

const toggle = (def: number, what: string) => ({
  enabled: flag(true, `Whether the ${what} signal is evaluated.`),
  factor: num(
    { gt: 0, lte: 10 },
    def,
    `Regime multiplier applied to coverage when the ${what} signal fires.`,
  ),
});

const ENTRY_TIME_RULE = 'must be "HH:MM" (24h, New York time) from 09:30 to 16:00';

function isSessionTime(s: string): boolean {
  const m = /^(\d{2}):(\d{2})$/.exec(s);
  if (m === null) return false;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes >= 9 * 60 + 30 && minutes <= 16 * 60;
}

/** A cross-field problem; got is the effective value (defaults included), since it may be absent from the file. */
function problem(ctx: z.RefinementCtx, path: readonly PropertyKey[], message: string, got: unknown): void {
  ctx.addIssue({ code: 'custom', message, path: [...path], params: { got } });
}

const dteWindow = z
  .tuple([bounded('an integer', { gte: 1, lte: 365 }), bounded('an integer', { gte: 1, lte: 365 })], {
    error: 'must be [minDays, maxDays]',
  })
  .default([14, 45])
  .describe(
    'Calendar days to expiry a new layer may have, [min, max]; the listed VIX expiry inside it nearest targetDte is used.',
  );

const targetDte = int(
  { gte: 1, lte: 365 },
  30,
  'Preferred calendar days to expiry of a new layer (must lie inside dteWindow).',
);

const templateId = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, "-" or "_"')
  .describe('Layer template id, unique in the file (recorded on every layer bought from it).');

const share = bounded('a number', { gt: 0, lte: 1 }).describe(
  'Share of the required hedge stress P&L this template provides; all shares sum to 1.',
);

function checkWindow(
  v: { dteWindow: readonly [number, number]; targetDte: number },
  ctx: z.RefinementCtx,
): void {
  const [lo, hi] = v.dteWindow;
  if (lo >= hi) problem(ctx, ['dteWindow'], 'dteWindow[0] must be < dteWindow[1]', v.dteWindow);
  else if (v.targetDte < lo || v.targetDte > hi)
    problem(ctx, ['targetDte'], `must be within dteWindow [${lo}, ${hi}]`, v.targetDte);
}

const callTemplateSchema = z
  .object({
    id: templateId,
    kind: z.literal('call').describe('"call": one long VIX call; "callSpread": a long VIX call vertical.'),
    otmPoints: bounded('a number', { gte: 0, lte: 50 }).describe(
      'Call: strike = VIX future of the expiry + otmPoints (VIX points), nearest listed strike at or above.',
    ),
    share,
    dteWindow,
    targetDte,
  })
  .strict()
  .superRefine(checkWindow);

const callSpreadTemplateSchema = z
  .object({
    id: templateId,
    kind: z.literal('callSpread'),
    longOtmPoints: bounded('a number', { gte: 0, lte: 50 }).describe(
      'Call spread: long strike = VIX future + longOtmPoints (VIX points).',
    ),
    shortOtmPoints: bounded('a number', { gt: 0, lte: 100 }).describe(
      'Call spread: short strike = VIX future + shortOtmPoints (VIX points); must be > longOtmPoints.',
    ),
    share,
    dteWindow,
    targetDte,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.shortOtmPoints <= v.longOtmPoints)
      problem(ctx, ['shortOtmPoints'], `must be > longOtmPoints (${v.longOtmPoints})`, v.shortOtmPoints);
    checkWindow(v, ctx);
  });

const templateSchema = z.discriminatedUnion('kind', [callTemplateSchema, callSpreadTemplateSchema], {
  error: 'must be a template with kind "call" or "callSpread"',
});

const wingWidthSchema = z
  .discriminatedUnion(
    'mode',
    [
      z
        .object({
          mode: z
            .literal('pctOfSpot')
            .describe('"pctOfSpot": width = pct x SPX spot, rounded; "points": a fixed width in SPX points.'),
          pct: num({ gt: 0, lte: 0.05 }, 0.004, 'pctOfSpot: width as a share of SPX spot (0.004 = 0.4%).'),
          roundToPoints: int(
            { gte: 1, lte: 100 },
            5,
            'pctOfSpot: round the width to the nearest multiple of this many SPX points.',
          ),
          minPoints: int({ gte: 1, lte: 500 }, 5, 'pctOfSpot: the width is at least this many SPX points.'),
        })
        .strict(),
      z
        .object({
          mode: z.literal('points'),
          points: bounded('an integer', { gte: 1, lte: 500 }).describe(
            'points: fixed wing width in SPX points.',
          ),
        })
        .strict(),
    ],
    { error: 'must have mode "pctOfSpot" or "points"' },
  )
  .prefault({ mode: 'pctOfSpot', pct: 0.004, roundToPoints: 5, minPoints: 5 })
  .describe('Distance from each short strike to its long wing.');

const ladderSchema = (steps: number, intervalSeconds: number, deadlineMinutes: number, what: string) =>
  z
    .object({
      steps: int(
        { gte: 1, lte: 50 },
        steps,
        `${what}: limit price steps, from the mid (step 1) toward the natural price, never past it nor the floor.`,
      ),
      intervalSeconds: int(
        { gte: 1, lte: 600 },
        intervalSeconds,
        `${what}: seconds between limit price steps.`,
      ),
      deadlineMinutes: num(
        { gt: 0, lte: 120 },
        deadlineMinutes,
        `${what}: minutes after the cycle's entry time at which the unfilled rest is cancelled.`,
      ),
    })
    .strict()
    .superRefine((v, ctx) => {
      if ((v.steps - 1) * v.intervalSeconds > v.deadlineMinutes * 60)
        problem(
          ctx,
          ['deadlineMinutes'],
          `must be >= (steps - 1) x intervalSeconds / 60 = ${Math.ceil(((v.steps - 1) * v.intervalSeconds) / 0.6) / 100} so the ladder reaches its floor`,
          v.deadlineMinutes,
        );
    })
    .prefault({})
    .describe(`${what}: limit price ladder from mid toward the floor.`);

type TemplateInput = z.input<typeof templateSchema>;

const DEFAULT_TEMPLATES = (): TemplateInput[] => [
  { id: 'A', kind: 'call', otmPoints: 3, share: 0.6, dteWindow: [14, 45], targetDte: 30 },
  {
    id: 'B',
    kind: 'callSpread',
    longOtmPoints: 5,
    shortOtmPoints: 12,
    share: 0.4,
    dteWindow: [14, 45],
    targetDte: 30,
  },
];

/** The file's shape before conversion: dollars, defaults filled. */
export const strategyFileSchema = z
  .object({
    $schema: z.string().optional().describe('Path of the JSON schema, for editors (ignored by ironvix).'),
    name: z
      .string({ error: 'must be a string' })
      .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be 1-64 lowercase letters, digits, ".", "-" or "_"')
      .describe('Strategy name, recorded in every plan and journal entry.'),
    version: int(
      { gte: 1, lte: 1_000_000 },
      1,
      'Version of this strategy file; bump it when you change a number.',
    ),
    description: z
      .string({ error: 'must be a string' })
      .default('')
      .describe('Free text: what this strategy is for.'),
    entry: z
      .object({
        time: z
          .string({ error: ENTRY_TIME_RULE })
          .regex(/^\d{2}:\d{2}$/, ENTRY_TIME_RULE)
          .refine(isSessionTime, ENTRY_TIME_RULE)
          .default('15:45')
          .describe('Entry time, New York local "HH:MM", on the trading day before the condor expires.'),
        earlyCloseMinutesBefore: int(
          { gte: 1, lte: 210 },
          15,
          'On an early-close day the entry moves to this many minutes before the close.',
        ),
      })
      .strict()
      .prefault({})
      .describe('When a cycle runs (New York time).'),
    condor: z
      .object({
        targetDelta: num(
          { gt: 0, lt: 0.5 },
          0.1,
          'Short strikes: the strike whose |delta| is nearest this, on each side.',
        ),
        minEmMultiple: num(
          { gte: 0, lte: 10 },
          1,
          'Short strikes are never closer to spot than this many expected moves (EM = S x IV_atm x sqrt(T)).',
        ),
        wingWidth: wingWidthSchema,
        maxLegSpread: dollars(
          { gt: 0, lte: 100 },
          0.5,
          'Dollars per unit: refuse the condor when any leg bid/ask spread is wider than this.',
        ),
        maxQuoteAgeSeconds: int({ gte: 1, lte: 3600 }, 120, 'Refuse quotes older than this many seconds.'),
        minCreditPctOfWidth: num(
          { gte: 0, lt: 1 },
          0.04,
          'Minimum credit as a share of the wing width (0.04 = 4%); below it no condor this cycle.',
        ),
        maxRiskPerCycle: moneyCap(
          { gt: 0, lte: 100_000_000 },
          10000,
          'Dollars, or {"pctOfNetLiq": share}: the most max loss ((width - credit) x 100 x quantity) one cycle may take on.',
        ),
        maxCondors: int({ gte: 1, lte: 1000 }, 10, 'Most condor contracts per cycle.'),
        eventPolicy: z
          .enum(['skip', 'normal', 'upsize-hedge'], { error: 'must be "skip", "normal" or "upsize-hedge"' })
          .default('upsize-hedge')
          .describe(
            'When the expiry day has an FOMC decision, CPI or PPI: skip the condor, trade normally, or trade with the event factor on the hedge.',
          ),
      })
      .strict()
      .prefault({})
      .describe('The 1DTE SPX iron condor (the income engine).'),
    hedge: z
      .object({
        templates: z
          .array(templateSchema, { error: 'must be an array of layer templates' })
          .min(1, 'must have at least 1 template')
          .prefault(DEFAULT_TEMPLATES)
          .describe('Hedge layer templates: kind, strike rule, expiry window and share of the coverage.'),
        minHedgeDte: int(
          { gte: 0, lte: 60 },
          7,
          'A layer counts as coverage only while its expiry is at least this many calendar days away; below it, it is rolled.',
        ),
        tradingClasses: z
          .array(z.enum(['VIX', 'VIXW'], { error: 'must be "VIX" or "VIXW"' }), { error: 'must be an array' })
          .min(1, 'must list at least 1 trading class')
          .default(['VIX', 'VIXW'])
          .describe('VIX option trading classes layers may use: VIX (monthly) and/or VIXW (weekly).'),
        maxLegSpread: dollars(
          { gt: 0, lte: 100 },
          0.3,
          'Dollars per unit: widest acceptable bid/ask spread of a hedge leg.',
        ),
      })
      .strict()
      .superRefine((v, ctx) => {
        const sum = v.templates.reduce((s, t) => s + t.share, 0);
        if (Math.abs(sum - 1) > 1e-9)
          problem(ctx, ['templates'], 'template shares must sum to 1', Number(sum.toFixed(12)));
        const seen = new Set<string>();
        v.templates.forEach((t, i) => {
          if (seen.has(t.id)) problem(ctx, ['templates', i, 'id'], 'duplicate template id', t.id);
          seen.add(t.id);
          if (t.dteWindow[0] <= v.minHedgeDte)
            problem(
              ctx,
              ['templates', i, 'dteWindow'],
              `dteWindow[0] must be > hedge.minHedgeDte (${v.minHedgeDte}), or a new layer is rolled at once`,
              t.dteWindow,
            );
        });
        if (new Set(v.tradingClasses).size !== v.tradingClasses.length)
          problem(ctx, ['tradingClasses'], 'must not repeat a trading class', v.tradingClasses);
      })
      .prefault({})
      .describe('VIX call and call spread hedge layers (the second engine).'),
    sizing: z
      .object({
        stressSigmas: num(
          { gt: 0, lte: 10 },
          3,
          'Stress scenario: SPX falls this many expected moves before expiry.',
        ),
        vixBeta: num(
          { gt: 0, lte: 10 },
          1.2,
          'Spot VIX points gained per 1% SPX fall in the stress scenario.',
        ),
        termBeta: z
          .object({
            coefficient: num(
              { gt: 0, lte: 5 },
              0.6,
              'termBeta(dte) = min(cap, coefficient x sqrt(refDte / dte)): the coefficient.',
            ),
            refDte: int({ gte: 1, lte: 365 }, 30, 'termBeta: the reference days to expiry.'),
            cap: num({ gt: 0, lte: 5 }, 1, 'termBeta: the cap.'),
          })
          .strict()
          .prefault({})
          .describe("How much of the spot VIX move a VIX future of a layer's expiry takes."),
        volOfVolShock: num(
          { gte: 0, lte: 5 },
          0.2,
          'VIX option implied vol rise in the stress scenario, as a decimal (0.20 = +20 vol points).',
        ),
        baseCoverage: num(
          { gt: 0, lte: 5 },
          0.6,
          'Coverage target before the regime multiplier: hedge stress P&L as a share of condor stress loss.',
        ),
        coverageMin: num(
          { gt: 0, lte: 5 },
          0.3,
          'Lower clamp of the coverage target after the regime multiplier.',
        ),
        coverageMax: num(
          { gt: 0, lte: 10 },
          1.5,
          'Upper clamp of the coverage target after the regime multiplier.',
        ),
        hedgeBudgetPct: num(
          { gt: 0, lte: 1 },
          0.35,
          "Carry budget: one session's modelled decay of new purchases <= this share of the cycle's condor credit.",
        ),
        maxHedgePremiumPerCycle: moneyCap(
          { gt: 0, lte: 100_000_000 },
          5000,
          'Dollars, or {"pctOfNetLiq": share}: cash guard, the most new hedge premium paid in one cycle.',
        ),
        trim: z
          .object({
            enabled: flag(true, 'Scheduled trim of an over-covering hedge book.'),
            trimAbove: num(
              { gt: 1, lte: 20 },
              2,
              'Trim when the book stress P&L exceeds this multiple of the requirement at the quantity cap.',
            ),
            trimTo: num(
              { gte: 1, lte: 20 },
              1.25,
              'Trim down to this multiple of the requirement; must be < trimAbove.',
            ),
          })
          .strict()
          .superRefine((v, ctx) => {
            if (v.trimTo >= v.trimAbove)
              problem(ctx, ['trimTo'], `must be < trimAbove (${v.trimAbove})`, v.trimTo);
          })
          .prefault({})
          .describe('Scheduled trim of an over-covering hedge book at a cycle point.'),
        trendGateSma: int(
          { gte: 0, lte: 400 },
          50,
          'Trend gate: sessions in the SPX simple average (the last N - 1 official closes and the price at the cycle point); 0 switches the gate off, 1 is refused.',
        ),
        trendGateQtyFactor: num(
          { gte: 0, lte: 1 },
          0,
          'Trend gate: below the average the condor quantity cap becomes floor(cap x this); 0 = no condor and no new hedge layer that cycle.',
        ),
      })
      .strict()
      .superRefine((v, ctx) => {
        if (v.coverageMin >= v.coverageMax)
          problem(ctx, ['coverageMin'], `must be < coverageMax (${v.coverageMax})`, v.coverageMin);
        if (v.trendGateSma === 1)
          problem(ctx, ['trendGateSma'], 'must be 0 (gate off) or at least 2', v.trendGateSma);
      })
      .prefault({})
      .describe('Stress scenario, coverage target and cost budget.'),
    signals: z
      .object({
        rsi: z
          .object({
            ...toggle(1.15, 'VIX RSI'),
            period: int({ gte: 2, lte: 100 }, 14, 'RSI period in sessions (Wilder smoothing).'),
            below: num({ gt: 0, lt: 100 }, 35, 'Fires when the VIX RSI is below this.'),
          })
          .strict()
          .prefault({})
          .describe('VIX RSI on daily closes (Wilder smoothing).'),
        macd: z
          .object({
            ...toggle(1.25, 'VIX MACD'),
            fast: int({ gte: 1, lte: 100 }, 12, 'MACD fast EMA period (sessions).'),
            slow: int({ gte: 2, lte: 200 }, 26, 'MACD slow EMA period (sessions); must be > fast.'),
            signal: int({ gte: 1, lte: 100 }, 9, 'MACD signal EMA period (sessions).'),
            risingDays: int(
              { gte: 1, lte: 20 },
              3,
              'Fires when the histogram rose this many sessions in a row.',
            ),
            divergenceRecent: int(
              { gte: 1, lte: 60 },
              5,
              'Bullish divergence: the recent window (sessions).',
            ),
            divergencePrior: int(
              { gte: 1, lte: 120 },
              15,
              'Bullish divergence: the window before the recent one (sessions).',
            ),
          })
          .strict()
          .superRefine((v, ctx) => {
            if (v.slow <= v.fast) problem(ctx, ['slow'], `must be > fast (${v.fast})`, v.slow);
          })
          .prefault({})
          .describe('VIX MACD: histogram rising, or bullish divergence.'),
        coiling: z
          .object({
            ...toggle(1.15, 'VIX coiling'),
            period: int({ gte: 2, lte: 100 }, 20, 'Bollinger band period (sessions).'),
            stdDevs: num({ gt: 0, lte: 5 }, 2, 'Bollinger band width in population standard deviations.'),
            percentileWindow: int(
              { gte: 20, lte: 1000 },
              252,
              'Bandwidth percentile is taken over this many past values.',
            ),
            percentile: num(
              { gt: 0, lt: 1 },
              0.1,
              "Fires when count(bandwidths <= today's) / percentileWindow <= this, today included (0.10 = its lowest 10%).",
            ),
          })
          .strict()
          .prefault({})
          .describe('VIX coiling: Bollinger bandwidth in its lowest percentile of the last year.'),
        termStructure: z
          .object({
            ...toggle(1.3, 'term structure'),
            vix9dOverVixAbove: num(
              { gt: 0, lte: 5 },
              1,
              'Fires when VIX9D / VIX is above this (backwardation).',
            ),
            vixOverVix3mAbove: num(
              { gt: 0, lte: 5 },
              1,
              'Fires when VIX / VIX3M is above this (backwardation).',
            ),
          })
          .strict()
          .prefault({})
          .describe('VIX term structure in backwardation.'),
        breadth: z
          .object({
            ...toggle(1.2, 'breadth'),
            lookbackDays: int(
              { gte: 1, lte: 100 },
              10,
              'Fires when the NYSE A/D line fell over this many sessions while SPX rose.',
            ),
          })
          .strict()
          .prefault({})
          .describe('NYSE breadth divergence: A/D line down while SPX is up.'),
        event: z
          .object({
            ...toggle(1.3, 'event (FOMC, CPI or PPI on the expiry day, policy upsize-hedge)'),
            calendarGapPolicy: z
              .enum(['treat-as-event', 'treat-as-no-event'], {
                error: 'must be "treat-as-event" or "treat-as-no-event"',
              })
              .default('treat-as-event')
              .describe(
                'An expiry day beyond the last date the event calendar covers: treat it as an event day (the event policy applies), or as a day without one.',
              ),
          })
          .strict()
          .prefault({})
          .describe('FOMC, CPI or PPI on the expiry day.'),
        macro: z
          .object({
            enabled: flag(
              false,
              'User-set macro overlay flag (rates, growth, currency stress); when true its factor always applies.',
            ),
            factor: num(
              { gt: 0, lte: 10 },
              1,
              'Regime multiplier applied while the macro overlay is enabled.',
            ),
            note: z
              .string({ error: 'must be a string' })
              .default('')
              .describe('Why the macro overlay is set (shown in the rationale).'),
          })
          .strict()
          .prefault({})
          .describe('User-set macro overlay (rates, growth, currency stress).'),
      })
      .strict()
      .prefault({})
      .describe('Regime signals: the factors of those that fire multiply the coverage target.'),
    commissions: z
      .object({
        spxOptionPerContract: dollars(
          { gte: 0, lte: 100 },
          1.32,
          'Dollars per SPX/SPXW option contract (each leg of the condor), commission and fees: IBKR Pro tiered $0.65 + Cboe SPXW fee $0.58 + ORF ~$0.04 + OCC ~$0.055 (strategies/README.md names the source).',
        ),
        vixOptionPerContract: dollars(
          { gte: 0, lte: 100 },
          1.24,
          'Dollars per VIX option contract (each leg of a hedge layer), commission and fees: IBKR Pro tiered $0.65 + Cboe VIX fee $0.50 + ORF ~$0.04 + OCC ~$0.055.',
        ),
      })
      .strict()
      .prefault({})
      .describe(
        'Estimated commissions and exchange fees per option contract, shown in the preview (not used for sizing).',
      ),
    execution: z
      .object({
        hedgeLadder: ladderSchema(4, 20, 6, 'Hedge orders'),
        condorLadder: ladderSchema(5, 20, 8, 'Condor order'),
        hedgeMaxDebitSpreadShare: num(
          { gte: 0, lte: 1 },
          1,
          'Hedge: the most paid above mid, as a share of the bid/ask spread (1 = the natural price).',
        ),
      })
      .strict()
      .prefault({})
      .describe('Limit-price ladders, deadlines and the hedge debit cap.'),
  })
  .strict();

export type StrategyFileInput = z.input<typeof strategyFileSchema>;
type StrategyFileParsed = z.output<typeof strategyFileSchema>;

function toTemplate(t: StrategyFileParsed['hedge']['templates'][number]): LayerTemplate {
  const window: readonly [number, number] = [t.dteWindow[0], t.dteWindow[1]];
  switch (t.kind) {
    case 'call':
      return {
        id: t.id,
        kind: 'call',
        otmPoints: t.otmPoints,
        share: t.share,
        dteWindow: window,
        targetDte: t.targetDte,
      };
    case 'callSpread':
      return {
        id: t.id,
        kind: 'callSpread',
        longOtmPoints: t.longOtmPoints,
        shortOtmPoints: t.shortOtmPoints,
        share: t.share,
        dteWindow: window,
        targetDte: t.targetDte,
      };
  }
}

function toWingWidth(w: StrategyFileParsed['condor']['wingWidth']): WingWidthRule {
  switch (w.mode) {
    case 'pctOfSpot':
      return { mode: 'pctOfSpot', pct: w.pct, roundToPoints: w.roundToPoints, minPoints: w.minPoints };
    case 'points':
      return { mode: 'points', points: w.points };
  }
}

const toLadder = (l: LadderRule): LadderRule => ({
  steps: l.steps,
  intervalSeconds: l.intervalSeconds,
  deadlineMinutes: l.deadlineMinutes,
});

const toMoneyCap = (c: number | { pctOfNetLiq: number }): MoneyCap =>
  typeof c === 'number' ? dollarsToCents(c) : { pctOfNetLiq: c.pctOfNetLiq };

/** File (dollars) to domain (cents); drops "$schema". */
export function toStrategyConfig(f: StrategyFileParsed): StrategyConfig {
  const { condor, hedge, sizing, signals, execution } = f;
  return {
    name: f.name,
    version: f.version,
    description: f.description,
    entry: { time: f.entry.time, earlyCloseMinutesBefore: f.entry.earlyCloseMinutesBefore },
    condor: {
      targetDelta: condor.targetDelta,
      minEmMultiple: condor.minEmMultiple,
      wingWidth: toWingWidth(condor.wingWidth),
      maxLegSpread: toPriceCents(condor.maxLegSpread),
      maxQuoteAgeSeconds: condor.maxQuoteAgeSeconds,
      minCreditPctOfWidth: condor.minCreditPctOfWidth,
      maxRiskPerCycle: toMoneyCap(condor.maxRiskPerCycle),
      maxCondors: condor.maxCondors,
      eventPolicy: condor.eventPolicy,
    },
    hedge: {
      templates: hedge.templates.map(toTemplate),
      minHedgeDte: hedge.minHedgeDte,
      tradingClasses: [...hedge.tradingClasses],
      maxLegSpread: toPriceCents(hedge.maxLegSpread),
    },
    sizing: {
      stressSigmas: sizing.stressSigmas,
      vixBeta: sizing.vixBeta,
      termBeta: { ...sizing.termBeta },
      volOfVolShock: sizing.volOfVolShock,
      baseCoverage: sizing.baseCoverage,
      coverageMin: sizing.coverageMin,
      coverageMax: sizing.coverageMax,
      hedgeBudgetPct: sizing.hedgeBudgetPct,
      maxHedgePremiumPerCycle: toMoneyCap(sizing.maxHedgePremiumPerCycle),
      trim: { ...sizing.trim },
      trendGateSma: sizing.trendGateSma,
      trendGateQtyFactor: sizing.trendGateQtyFactor,
    },
    signals: {
      rsi: { ...signals.rsi },
      macd: { ...signals.macd },
      coiling: { ...signals.coiling },
      termStructure: { ...signals.termStructure },
      breadth: { ...signals.breadth },
      event: { ...signals.event },
      macro: { ...signals.macro },
    },
    commissions: {
      spxOptionPerContract: dollarsToCents(f.commissions.spxOptionPerContract),
      vixOptionPerContract: dollarsToCents(f.commissions.vixOptionPerContract),
    },
    execution: {
      hedgeLadder: toLadder(execution.hedgeLadder),
      condorLadder: toLadder(execution.condorLadder),
      hedgeMaxDebitSpreadShare: execution.hedgeMaxDebitSpreadShare,
    },
  };
}

/** JSON (dollars) in, StrategyConfig (cents) out. */
export const strategySchema = strategyFileSchema.transform(
  toStrategyConfig,
) satisfies z.ZodType<StrategyConfig>;

/** The JSON schema of the file as a user writes it (strategies/schema.json). */
export function strategyJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(strategyFileSchema, { io: 'input', unrepresentable: 'any' });
  return {
    $schema,
    $id: 'https://ironvix.local/strategies/schema.json',
    title: 'ironvix strategy file',
    description:
      'One strategy for ironvix: 1DTE SPX iron condor with an Adaptive Layered VIX Hedge. Money in dollars. Generated by `npm run schema` from src/config/strategy-schema.ts; do not edit.',
    ...rest,
  };
}
