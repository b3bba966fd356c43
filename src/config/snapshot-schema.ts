// The market snapshot file as a zod schema. Prices are decimal dollars in JSON (bid 3.45) and
// integer price cents in MarketSnapshot; serializeSnapshot is the exact inverse.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { nyDate } from '../domain/calendar.ts';
import type { OptionTradingClass } from '../domain/instruments.ts';
import { isOnStrikeGrid, STRIKE_GRID_RULE } from '../domain/instruments.ts';
import { dollarsToCents, toPriceCents } from '../domain/money.ts';
import type { Cents, PriceCents } from '../domain/money.ts';
import type {
  AccountState,
  DailyBar,
  HeldLayer,
  OpenCondor,
  MarketEvent,
  MarketSnapshot,
  OptionQuote,
  VixOptionChain,
  VxFuture,
} from '../domain/snapshot.ts';

/** Bounds that keep every number plausible (and every cents value a safe integer). */
const MAX_PRICE = 100_000;
const MAX_INDEX = 100_000;
const MAX_VIX = 1_000;
const MAX_MONEY = 1_000_000_000_000;
const GRID_RULE = `must be >= 0, <= ${MAX_PRICE} and on the 0.01 grid`;

/** x * 100 is a whole number, with tolerance for float noise relative to the size. */
function onCentGrid(x: number): boolean {
  const c = x * 100;
  return Math.abs(c - Math.round(c)) <= 1e-9 * Math.max(1, Math.abs(c));
}

/** A quoted price in decimal dollars, >= 0 and on the 0.01 grid (crossed quotes still parse). */
const price = z
  .number({ error: `must be a number ${GRID_RULE.replace('must be ', '')}` })
  .min(0, GRID_RULE)
  .max(MAX_PRICE, GRID_RULE)
  .refine(onCentGrid, GRID_RULE)
  .transform((p): PriceCents => toPriceCents(p));

/** An account amount in decimal dollars (may be negative), whole cents. */
const MONEY_RULE = `must be a number of dollars from -${MAX_MONEY} to ${MAX_MONEY}`;
const money = z
  .number({ error: MONEY_RULE })
  .min(-MAX_MONEY, MONEY_RULE)
  .max(MAX_MONEY, MONEY_RULE)
  .refine(onCentGrid, 'must be a whole number of cents (at most 2 decimals)')
  .transform((d): Cents => dollarsToCents(d));

/** A positive number no larger than max. */
const positiveUpTo = (max: number) =>
  z
    .number({ error: `must be a number > 0 and <= ${max}` })
    .gt(0, `must be > 0 and <= ${max}`)
    .max(max, `must be > 0 and <= ${max}`);
const indexLevel = positiveUpTo(MAX_INDEX);
const vixLevel = positiveUpTo(MAX_VIX);

/** Free text from a file: bounded, so a broken generator cannot flood the screen. */
const text = (maxChars: number) =>
  z.string({ error: 'must be a string' }).max(maxChars, `must have <= ${maxChars} characters`);

const ID_RULE = 'must be 1-80 letters, digits, ".", "_", ":" or "-"';
const id = z.string({ error: ID_RULE }).regex(/^[A-Za-z0-9._:-]{1,80}$/, ID_RULE);

const DATE_RULE = 'must be a date YYYY-MM-DD';
const isoDate = z
  .string({ error: DATE_RULE })
  .regex(/^\d{4}-\d{2}-\d{2}$/, DATE_RULE)
  .refine((s) => DateTime.fromISO(s, { zone: 'utc' }).isValid, DATE_RULE);

const AS_OF_RULE = 'must be an ISO timestamp with offset, e.g. 2026-03-17T15:45:00-04:00';
const asOf = z
  .string({ error: AS_OF_RULE })
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, AS_OF_RULE)
  .refine((s) => DateTime.fromISO(s, { setZone: true }).isValid, AS_OF_RULE);

const tradingClass = z.enum(['VIX', 'VIXW'], { error: 'must be "VIX" or "VIXW"' });

const quoteSchema = z
  .object({
    strike: positiveUpTo(MAX_INDEX),
    right: z.enum(['C', 'P'], { error: 'must be "C" or "P"' }),
    bid: price,
    ask: price,
    iv: z
      .number({ error: 'must be a number from 0 to 20 or null' })
      .min(0, 'must be from 0 to 20 or null')
      .max(20, 'must be from 0 to 20 or null')
      .nullable(),
    delta: z
      .number({ error: 'must be a number from -1 to 1 or null' })
      .min(-1, 'must be from -1 to 1 or null')
      .max(1, 'must be from -1 to 1 or null')
      .nullable(),
    ageSeconds: z
      .number({ error: 'must be a number from 0 to 10000000' })
      .min(0, 'must be from 0 to 10000000')
      .max(10_000_000, 'must be from 0 to 10000000')
      .default(0),
    conId: z
      .number()
      .int('must be a positive integer < 2^31')
      .positive('must be a positive integer < 2^31')
      .max(2_147_483_647, 'must be a positive integer < 2^31')
      .optional(),
  })
  .strict();

/** No two quotes of one chain may share strike and right, and every strike is on its listed grid. */
function checkQuotes(
  quotes: readonly { strike: number; right: 'C' | 'P' }[],
  tradingClass: OptionTradingClass,
  ctx: z.RefinementCtx,
  path: readonly PropertyKey[],
): void {
  const seen = new Set<string>();
  quotes.forEach((q, i) => {
    if (!isOnStrikeGrid(tradingClass, q.strike))
      ctx.addIssue({
        code: 'custom',
        message: `must be on ${STRIKE_GRID_RULE[tradingClass]}`,
        path: [...path, i, 'strike'],
      });
    const key = `${q.strike}${q.right}`;
    if (seen.has(key))
      ctx.addIssue({
        code: 'custom',
        message: 'duplicate quote (same strike and right)',
        path: [...path, i],
        params: { got: key },
      });
    seen.add(key);
  });
}

/** Array with a plausible length limit. */
const list = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item).max(max, `must have <= ${max} items`);

const spxwSchema = z
  .object({ expiry: isoDate, quotes: list(quoteSchema, 20_000) })
  .strict()
  .superRefine((v, ctx) => checkQuotes(v.quotes, 'SPXW', ctx, ['quotes']));

const vixChainSchema = z
  .object({ expiry: isoDate, tradingClass, futurePrice: vixLevel, quotes: list(quoteSchema, 5_000) })
  .strict()
  .superRefine((v, ctx) => checkQuotes(v.quotes, v.tradingClass, ctx, ['quotes']));

const AD_RULE = 'must be a number from -1000000000 to 1000000000, or null';
const barSchema = z
  .object({
    date: isoDate,
    spxClose: indexLevel,
    vixClose: vixLevel,
    adLine: z.number({ error: AD_RULE }).min(-1e9, AD_RULE).max(1e9, AD_RULE).nullable(),
  })
  .strict();

const eventSchema = z
  .object({
    date: isoDate,
    kind: z.enum(['FOMC', 'CPI', 'PPI'], { error: 'must be "FOMC", "CPI" or "PPI"' }),
    note: text(500).optional(),
  })
  .strict();

const TEMPLATE_ID_RULE = 'must be 1-32 letters, digits, "-" or "_" (a strategy template id)';
const QUANTITY_RULE = 'must be an integer from 1 to 100000';
const heldLayerSchema = z
  .object({
    layerId: id,
    templateId: z.string({ error: TEMPLATE_ID_RULE }).regex(/^[A-Za-z0-9_-]{1,32}$/, TEMPLATE_ID_RULE),
    kind: z.enum(['call', 'callSpread'], { error: 'must be "call" or "callSpread"' }),
    tradingClass,
    expiry: isoDate,
    longStrike: vixLevel,
    shortStrike: vixLevel.nullable(),
    quantity: z
      .number({ error: QUANTITY_RULE })
      .int(QUANTITY_RULE)
      .min(1, QUANTITY_RULE)
      .max(100_000, QUANTITY_RULE),
    entryPrice: price,
    openedOn: isoDate,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'call' && v.shortStrike !== null)
      ctx.addIssue({ code: 'custom', message: 'must be null for a call layer', path: ['shortStrike'] });
    if (v.kind === 'callSpread' && (v.shortStrike === null || v.shortStrike <= v.longStrike))
      ctx.addIssue({
        code: 'custom',
        message: `a call spread needs shortStrike > longStrike (${v.longStrike})`,
        path: ['shortStrike'],
      });
    if (v.openedOn > v.expiry)
      ctx.addIssue({ code: 'custom', message: `must not be after expiry (${v.expiry})`, path: ['openedOn'] });
    const grid = STRIKE_GRID_RULE[v.tradingClass];
    if (!isOnStrikeGrid(v.tradingClass, v.longStrike))
      ctx.addIssue({ code: 'custom', message: `must be on ${grid}`, path: ['longStrike'] });
    if (v.shortStrike !== null && !isOnStrikeGrid(v.tradingClass, v.shortStrike))
      ctx.addIssue({ code: 'custom', message: `must be on ${grid}`, path: ['shortStrike'] });
  });

const openCondorSchema = z
  .object({
    planId: id,
    expiry: isoDate,
    shortPut: indexLevel,
    longPut: indexLevel,
    shortCall: indexLevel,
    longCall: indexLevel,
    quantity: z
      .number({ error: QUANTITY_RULE })
      .int(QUANTITY_RULE)
      .min(1, QUANTITY_RULE)
      .max(100_000, QUANTITY_RULE),
    credit: price,
    openedOn: isoDate,
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!(v.longPut < v.shortPut && v.shortPut < v.shortCall && v.shortCall < v.longCall))
      ctx.addIssue({
        code: 'custom',
        message: 'strikes must rise: longPut < shortPut < shortCall < longCall',
        path: ['shortPut'],
      });
    for (const k of ['shortPut', 'longPut', 'shortCall', 'longCall'] as const)
      if (!isOnStrikeGrid('SPXW', v[k]))
        ctx.addIssue({ code: 'custom', message: `must be on ${STRIKE_GRID_RULE.SPXW}`, path: [k] });
    if (v.openedOn > v.expiry)
      ctx.addIssue({ code: 'custom', message: `must not be after expiry (${v.expiry})`, path: ['openedOn'] });
  });

const ACCOUNT_RULE = 'must be 1-32 letters and digits (an IB account id)';
const accountSchema = z
  .object({
    accountId: z.string({ error: ACCOUNT_RULE }).regex(/^[A-Za-z0-9]{1,32}$/, ACCOUNT_RULE),
    netLiquidation: money,
    availableFunds: money,
  })
  .strict();

/** The JSON shape of a snapshot file (prices in decimal dollars). */
export const snapshotFileSchema = z
  .object({
    schemaVersion: z.literal(1, { error: 'must be 1 (the only snapshot format this version reads)' }),
    asOf,
    source: text(2_000),
    spx: z.object({ spot: indexLevel }).strict(),
    rates: z
      .object({
        riskFree: z
          .number({ error: 'must be a number' })
          .gt(-0.2, 'must be > -0.2 and < 0.5')
          .lt(0.5, 'must be > -0.2 and < 0.5'),
        spxDividendYield: z
          .number({ error: 'must be a number' })
          .gte(0, 'must be >= 0 and < 0.5')
          .lt(0.5, 'must be >= 0 and < 0.5'),
      })
      .strict(),
    vix: z.object({ spot: vixLevel, vix9d: vixLevel.nullable(), vix3m: vixLevel.nullable() }).strict(),
    spxw: spxwSchema,
    vxFutures: list(z.object({ expiry: isoDate, price: vixLevel }).strict(), 100),
    vixOptions: list(vixChainSchema, 100),
    history: list(barSchema, 20_000),
    events: list(eventSchema, 10_000),
    eventsCoveredThrough: isoDate.optional(),
    hedgeBook: list(heldLayerSchema, 1_000),
    openCondors: list(openCondorSchema, 100).optional(),
    account: accountSchema.nullable(),
  })
  .strict()
  .superRefine((v, ctx) => {
    // Data dated after the cycle cannot have been known at it: a broken or edited snapshot.
    const today = DateTime.fromISO(v.asOf, { setZone: true }).isValid ? nyDate(v.asOf) : null;
    const future = (date: string, path: readonly PropertyKey[]): void => {
      if (today !== null && date > today)
        ctx.addIssue({
          code: 'custom',
          message: `must not be after the cycle date ${today} (asOf): data from the future`,
          path: [...path],
        });
    };
    v.hedgeBook.forEach((l, i) => future(l.openedOn, ['hedgeBook', i, 'openedOn']));
    v.openCondors?.forEach((c, i) => future(c.openedOn, ['openCondors', i, 'openedOn']));
    v.history.forEach((bar, i) => future(bar.date, ['history', i, 'date']));
    v.history.forEach((bar, i) => {
      const prev = v.history[i - 1];
      if (prev !== undefined && bar.date <= prev.date)
        ctx.addIssue({
          code: 'custom',
          message: `history must be in ascending date order without repeats (previous ${prev.date})`,
          path: ['history', i, 'date'],
        });
    });
    const futures = new Set<string>();
    v.vxFutures.forEach((f, i) => {
      if (futures.has(f.expiry))
        ctx.addIssue({
          code: 'custom',
          message: 'duplicate VX future expiry',
          path: ['vxFutures', i, 'expiry'],
        });
      futures.add(f.expiry);
    });
    const chains = new Set<string>();
    v.vixOptions.forEach((c, i) => {
      const key = `${c.tradingClass} ${c.expiry}`;
      if (chains.has(key))
        ctx.addIssue({
          code: 'custom',
          message: 'duplicate VIX option chain (same class and expiry)',
          path: ['vixOptions', i],
          params: { got: key },
        });
      chains.add(key);
    });
    const layers = new Set<string>();
    v.hedgeBook.forEach((l, i) => {
      if (layers.has(l.layerId))
        ctx.addIssue({ code: 'custom', message: 'duplicate layerId', path: ['hedgeBook', i, 'layerId'] });
      layers.add(l.layerId);
    });
  });

type SnapshotParsed = z.output<typeof snapshotFileSchema>;

function toQuote(q: SnapshotParsed['spxw']['quotes'][number]): OptionQuote {
  const base = {
    strike: q.strike,
    right: q.right,
    bid: q.bid,
    ask: q.ask,
    iv: q.iv,
    delta: q.delta,
    ageSeconds: q.ageSeconds,
  };
  return q.conId === undefined ? base : { ...base, conId: q.conId };
}

function toEvent(e: SnapshotParsed['events'][number]): MarketEvent {
  return e.note === undefined ? { date: e.date, kind: e.kind } : { date: e.date, kind: e.kind, note: e.note };
}

function toSnapshot(v: SnapshotParsed): MarketSnapshot {
  return {
    schemaVersion: 1,
    asOf: v.asOf,
    source: v.source,
    spx: { spot: v.spx.spot },
    rates: { riskFree: v.rates.riskFree, spxDividendYield: v.rates.spxDividendYield },
    vix: { spot: v.vix.spot, vix9d: v.vix.vix9d, vix3m: v.vix.vix3m },
    spxw: { expiry: v.spxw.expiry, quotes: v.spxw.quotes.map(toQuote) },
    vxFutures: v.vxFutures.map((f): VxFuture => ({ expiry: f.expiry, price: f.price })),
    vixOptions: v.vixOptions.map((c): VixOptionChain => ({
      expiry: c.expiry,
      tradingClass: c.tradingClass,
      futurePrice: c.futurePrice,
      quotes: c.quotes.map(toQuote),
    })),
    history: v.history.map((b): DailyBar => ({
      date: b.date,
      spxClose: b.spxClose,
      vixClose: b.vixClose,
      adLine: b.adLine,
    })),
    events: v.events.map(toEvent),
    ...(v.eventsCoveredThrough === undefined ? {} : { eventsCoveredThrough: v.eventsCoveredThrough }),
    hedgeBook: v.hedgeBook.map((l): HeldLayer => ({
      layerId: l.layerId,
      templateId: l.templateId,
      kind: l.kind,
      tradingClass: l.tradingClass,
      expiry: l.expiry,
      longStrike: l.longStrike,
      shortStrike: l.shortStrike,
      quantity: l.quantity,
      entryPrice: l.entryPrice,
      openedOn: l.openedOn,
    })),
    ...(v.openCondors === undefined
      ? {}
      : {
          openCondors: v.openCondors.map((c): OpenCondor => ({
            planId: c.planId,
            expiry: c.expiry,
            shortPut: c.shortPut,
            longPut: c.longPut,
            shortCall: c.shortCall,
            longCall: c.longCall,
            quantity: c.quantity,
            credit: c.credit,
            openedOn: c.openedOn,
          })),
        }),
    account:
      v.account === null
        ? null
        : ({
            accountId: v.account.accountId,
            netLiquidation: v.account.netLiquidation,
            availableFunds: v.account.availableFunds,
          } satisfies AccountState),
  };
}

/** JSON (decimal prices) in, MarketSnapshot (price cents) out. */
export const snapshotSchema = snapshotFileSchema.transform(toSnapshot) satisfies z.ZodType<MarketSnapshot>;

const decimal = (p: PriceCents | Cents): number => p / 100;

function quoteJson(q: OptionQuote): Record<string, unknown> {
  return {
    strike: q.strike,
    right: q.right,
    bid: decimal(q.bid),
    ask: decimal(q.ask),
    iv: q.iv,
    delta: q.delta,
    ageSeconds: q.ageSeconds,
    ...(q.conId === undefined ? {} : { conId: q.conId }),
  };
}

/** MarketSnapshot back to its JSON form (price cents to decimals); parseSnapshot inverts it exactly. */
export function serializeSnapshot(s: MarketSnapshot): unknown {
  return {
    schemaVersion: s.schemaVersion,
    asOf: s.asOf,
    source: s.source,
    spx: { spot: s.spx.spot },
    rates: { riskFree: s.rates.riskFree, spxDividendYield: s.rates.spxDividendYield },
    vix: { spot: s.vix.spot, vix9d: s.vix.vix9d, vix3m: s.vix.vix3m },
    spxw: { expiry: s.spxw.expiry, quotes: s.spxw.quotes.map(quoteJson) },
    vxFutures: s.vxFutures.map((f) => ({ expiry: f.expiry, price: f.price })),
    vixOptions: s.vixOptions.map((c) => ({
      expiry: c.expiry,
      tradingClass: c.tradingClass,
      futurePrice: c.futurePrice,
      quotes: c.quotes.map(quoteJson),
    })),
    history: s.history.map((b) => ({
      date: b.date,
      spxClose: b.spxClose,
      vixClose: b.vixClose,
      adLine: b.adLine,
    })),
    events: s.events.map((e) => ({
      date: e.date,
      kind: e.kind,
      ...(e.note === undefined ? {} : { note: e.note }),
    })),
    ...(s.eventsCoveredThrough === undefined ? {} : { eventsCoveredThrough: s.eventsCoveredThrough }),
    hedgeBook: s.hedgeBook.map((l) => ({
      layerId: l.layerId,
      templateId: l.templateId,
      kind: l.kind,
      tradingClass: l.tradingClass,
      expiry: l.expiry,
      longStrike: l.longStrike,
      shortStrike: l.shortStrike,
      quantity: l.quantity,
      entryPrice: decimal(l.entryPrice),
      openedOn: l.openedOn,
    })),
    ...(s.openCondors === undefined
      ? {}
      : { openCondors: s.openCondors.map((c) => ({ ...c, credit: decimal(c.credit) })) }),
    account:
      s.account === null
        ? null
        : {
            accountId: s.account.accountId,
            netLiquidation: decimal(s.account.netLiquidation),
            availableFunds: decimal(s.account.availableFunds),
          },
  };
}
