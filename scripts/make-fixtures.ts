// Generates the sample market snapshots that ironvix's tests and demo read:
//   test/fixtures/snapshots/{calm,fomc,backwardation,thin-credit,held-book,correction}.json,
//   paper/sample-snapshot.json (a copy of calm.json, the demo's snapshot) and
//   paper/sample-correction.json (a copy of correction.json: the trend gate shut, a roll still due).
//
// Run:  npm run fixtures                 (writes into this project)
//       npm run fixtures -- --out DIR    (writes DIR/test/fixtures/snapshots/*.json and DIR/paper/...)
//
// Each snapshot = real index levels of one real day (VIX, VIX9D, VIX3M, VVIX closes from
// data/history/) + 300 real sessions of SPX/VIX closes before it, re-dated onto the NYSE sessions
// before the fixture's 2026 date and with SPX scaled so the fixture's spot is ~6000; option quotes
// come from the surface model (src/sim/market/surface.ts). The NYSE A/D line is SYNTHETIC (SPX
// returns plus seeded noise): no breadth data ships with the project. Everything is seeded, so
// regenerating gives byte-identical files (test/fixtures/fixtures.test.ts checks it).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as prettier from 'prettier';
import {
  calendarDaysBetween,
  createNyseCalendar,
  entryTime,
  nyDate,
  tradingTimeToExpiry,
} from '../src/domain/calendar.ts';
import type { TradingCalendar } from '../src/domain/calendar.ts';
import type { IsoDate } from '../src/domain/instruments.ts';
import { cents, toPriceCents } from '../src/domain/money.ts';
import type { PriceCents } from '../src/domain/money.ts';
import { black76 } from '../src/domain/pricing.ts';
import type {
  AccountState,
  DailyBar,
  HeldLayer,
  MarketSnapshot,
  OptionQuote,
} from '../src/domain/snapshot.ts';
import { loadCalendarData, loadEvents } from '../src/config/calendar-file.ts';
import { PROJECT_ROOT } from '../src/config/paths.ts';
import { serializeSnapshot } from '../src/config/snapshot-schema.ts';
import { createRng } from '../src/sim/rng.ts';
import { buildSnapshot } from '../src/sim/market/snapshot-builder.ts';
import type { SnapshotParams } from '../src/sim/market/snapshot-builder.ts';
import type { SpxSkewShape } from '../src/sim/market/surface.ts';
import {
  quoteFromModel,
  vixBaseVol,
  vixOptionIv,
  vixStrikes,
  vxFuturePrice,
} from '../src/sim/market/surface.ts';

const GENERATOR = 'scripts/make-fixtures.ts';
const HISTORY_SESSIONS = 300;
const ENTRY = { time: '15:45', earlyCloseMinutesBefore: 15 };
const ACCOUNT: AccountState = {
  accountId: 'DU1234567',
  netLiquidation: cents(25_000_000),
  availableFunds: cents(18_000_000),
};

// ---------------------------------------------------------------------------------------------
// Real history (data/history, copies of the shared data set; see data/history/SOURCE.md).

type Series = ReadonlyMap<IsoDate, number>;

interface RealHistory {
  readonly spx: Series;
  readonly vix: Series;
  readonly vix9d: Series;
  readonly vix3m: Series;
  readonly vvix: Series;
}

function readCloses(root: string, name: string): Series {
  const text = readFileSync(join(root, 'data', 'history', `${name}.csv`), 'utf8');
  const out = new Map<IsoDate, number>();
  for (const line of text.trim().split('\n').slice(1)) {
    const cols = line.split(',');
    const date = cols[0];
    const close = Number(cols[4]);
    if (date === undefined || !Number.isFinite(close)) throw new Error(`${name}.csv: bad row ${line}`);
    out.set(date, close);
  }
  return out;
}

function loadRealHistory(root: string): RealHistory {
  return {
    spx: readCloses(root, 'spx'),
    vix: readCloses(root, 'vix'),
    vix9d: readCloses(root, 'vix9d'),
    vix3m: readCloses(root, 'vix3m'),
    vvix: readCloses(root, 'vvix'),
  };
}

function level(s: Series, date: IsoDate, what: string): number {
  const v = s.get(date);
  if (v === undefined) throw new Error(`no ${what} close on ${date}`);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Fixture definitions.

interface LayerPlan {
  readonly layerId: string;
  readonly templateId: 'A' | 'B';
  readonly kind: 'call' | 'callSpread';
  readonly tradingClass: 'VIX' | 'VIXW';
  readonly expiry: IsoDate;
  readonly openedOn: IsoDate;
  /** Strike offsets above the future at opening (template A: +3; B: +5/+12). */
  readonly longOtm: number;
  readonly shortOtm: number | null;
  /** Share of the coverage target this layer carries; 0 for a layer below minHedgeDte (no coverage). */
  readonly coverageShare: number;
  /** Used when coverageShare is 0. */
  readonly fixedQuantity: number;
}

interface FixtureSpec {
  readonly name: string;
  /** Fixture trading day (the cycle's entry day, 2026). */
  readonly day: IsoDate;
  /** Real day whose closes give today's VIX, VIX9D, VIX3M, VVIX and SPX move. */
  readonly realDay: IsoDate;
  readonly spot: number;
  /** 1DTE SPX ATM IV = VIX9D / 100 × this factor. */
  readonly atmIvPerVix9d: number;
  readonly spxSkew?: SpxSkewShape;
  readonly seed: number;
  readonly story: string;
  readonly book?: readonly LayerPlan[];
  /** Hedge book stress P&L as a multiple of the requirement at the quantity cap, coverage 0.6 (held-book). */
  readonly bookCoverage?: number;
}

const FIXTURES: readonly FixtureSpec[] = [
  {
    name: 'calm',
    day: '2026-02-18',
    realDay: '2019-11-05',
    spot: 6000,
    atmIvPerVix9d: 0.9,
    seed: 101,
    story: 'calm day: VIX ~13 in contango, no event within two weeks',
  },
  {
    name: 'fomc',
    day: '2026-03-17',
    realDay: '2019-07-30',
    spot: 6040,
    atmIvPerVix9d: 1.2,
    seed: 202,
    story: 'FOMC eve: the SPXW expiry 2026-03-18 is an FOMC decision day; 1-day IV carries the event premium',
  },
  {
    name: 'backwardation',
    day: '2026-04-09',
    realDay: '2018-02-08',
    spot: 5720,
    atmIvPerVix9d: 0.9,
    seed: 303,
    story: 'stress: VIX 33 above VIX3M, VIX9D above VIX, history ends in the Feb-2018 volatility spike',
  },
  {
    name: 'thin-credit',
    day: '2026-11-25',
    realDay: '2017-11-22',
    spot: 6000,
    // The Friday expiry is a 13:00 half day counted as a full session: 1-day IV is crushed, skew flat.
    atmIvPerVix9d: 0.45,
    spxSkew: { putSlope: 0.05, callCurve: 0.035, callDamp: 0.2 },
    seed: 404,
    story:
      'thin credit: day before Thanksgiving, expiry on the half-day Friday, VIX9D 7.9, flat skew; the 0.10-delta condor with 25-point wings collects under 4% of width',
  },
  {
    name: 'held-book',
    day: '2026-03-13',
    realDay: '2019-12-13',
    spot: 6010,
    atmIvPerVix9d: 0.9,
    seed: 505,
    story:
      'calm day with a hedge book that already covers: layers A (call) and B (call spread) bought 2026-03-03 on the VIXW 2026-04-01 expiry, and an old layer A on the VIX 2026-03-18 expiry (5 days left) that must be rolled',
    bookCoverage: 1.6,
    book: [
      {
        layerId: 'L-20260213-A',
        templateId: 'A',
        kind: 'call',
        tradingClass: 'VIX',
        expiry: '2026-03-18',
        openedOn: '2026-02-13',
        longOtm: 3,
        shortOtm: null,
        coverageShare: 0,
        fixedQuantity: 20,
      },
      {
        layerId: 'L-20260303-A',
        templateId: 'A',
        kind: 'call',
        tradingClass: 'VIXW',
        expiry: '2026-04-01',
        openedOn: '2026-03-03',
        longOtm: 3,
        shortOtm: null,
        coverageShare: 0.6,
        fixedQuantity: 0,
      },
      {
        layerId: 'L-20260303-B',
        templateId: 'B',
        kind: 'callSpread',
        tradingClass: 'VIXW',
        expiry: '2026-04-01',
        openedOn: '2026-03-03',
        longOtm: 5,
        shortOtm: 12,
        coverageShare: 0.4,
        fixedQuantity: 0,
      },
    ],
  },
  {
    name: 'correction',
    day: '2026-03-12',
    realDay: '2011-06-15',
    spot: 6000,
    atmIvPerVix9d: 0.9,
    seed: 606,
    story:
      'slow correction: SPX ~5% below its 50-session average in the grinding decline of May-June 2011 (VIX 21); the trend gate shuts the condor while an old layer A on the VIX 2026-03-18 expiry (6 days left) must still be rolled',
    book: [
      {
        layerId: 'L-20260212-A',
        templateId: 'A',
        kind: 'call',
        tradingClass: 'VIX',
        expiry: '2026-03-18',
        openedOn: '2026-02-12',
        longOtm: 3,
        shortOtm: null,
        coverageShare: 0,
        fixedQuantity: 12,
      },
    ],
  },
];

/** Fixtures users preview from paper/ as well: calm is the demo's snapshot. */
const PAPER_COPIES: ReadonlyMap<string, string> = new Map([
  ['calm', 'sample-snapshot.json'],
  ['correction', 'sample-correction.json'],
]);

// ---------------------------------------------------------------------------------------------
// History: a real window re-dated onto the NYSE sessions before the fixture day.

interface Window {
  readonly bars: readonly DailyBar[];
  /** Re-dated session -> real date it came from. */
  readonly realDateOf: ReadonlyMap<IsoDate, IsoDate>;
  readonly firstReal: IsoDate;
  readonly lastReal: IsoDate;
  readonly scale: number;
}

function redatedWindow(cal: TradingCalendar, real: RealHistory, spec: FixtureSpec): Window {
  const realDates = [...real.spx.keys()]
    .filter((d) => d < spec.realDay && real.vix.has(d))
    .slice(-HISTORY_SESSIONS);
  if (realDates.length < HISTORY_SESSIONS)
    throw new Error(`${spec.name}: not enough history before ${spec.realDay}`);
  const sessions: IsoDate[] = [];
  let d = spec.day;
  while (sessions.length < HISTORY_SESSIONS) {
    d = cal.previousTradingDay(d);
    sessions.unshift(d);
  }
  const scale = spec.spot / level(real.spx, spec.realDay, 'SPX');
  const rng = createRng(spec.seed).fork('ad-line');
  const realDateOf = new Map<IsoDate, IsoDate>();
  const bars: DailyBar[] = [];
  let ad = 0;
  let prevSpx: number | null = null;
  realDates.forEach((realDate, i) => {
    const date = sessions[i];
    if (date === undefined) throw new Error('session list too short');
    const spx = level(real.spx, realDate, 'SPX');
    // Synthetic breadth: net advances follow the day's SPX return, plus noise (NYSE ~3,000 issues).
    const ret = prevSpx === null ? 0 : Math.log(spx / prevSpx);
    prevSpx = spx;
    const net = Math.round(1800 * Math.tanh(ret / 0.01) + 350 * rng.normal());
    ad += Math.max(-2800, Math.min(2800, net));
    realDateOf.set(date, realDate);
    bars.push({
      date,
      spxClose: round2(spx * scale),
      vixClose: level(real.vix, realDate, 'VIX'),
      adLine: ad,
    });
  });
  return {
    bars,
    realDateOf,
    firstReal: realDates[0] ?? '',
    lastReal: realDates[realDates.length - 1] ?? '',
    scale,
  };
}

// ---------------------------------------------------------------------------------------------
// Hedge book (held-book): strikes and entry prices from the model on the opening day; quantities
// sized with docs/strategy.md section 3 so the book covers the condor.

interface Levels {
  readonly vix: number;
  readonly vix3m: number | null;
  readonly volOfVol: number;
}

function levelsOn(real: RealHistory, realDate: IsoDate): Levels {
  return {
    vix: level(real.vix, realDate, 'VIX'),
    vix3m: real.vix3m.get(realDate) ?? null,
    volOfVol: real.vvix.get(realDate) ?? 90,
  };
}

function strikeAtOrAbove(x: number): number {
  const k = vixStrikes().find((s) => s >= x - 1e-9);
  if (k === undefined) throw new Error(`no VIX strike at or above ${x}`);
  return k;
}

/** Model value (points) of a call or call spread at a future, T, and a vol shift (docs/strategy.md stress). */
function layerValue(
  l: { readonly longStrike: number; readonly shortStrike: number | null },
  future: number,
  timeYears: number,
  baseVol: number,
  rate: number,
  volShift: number,
  skewFuture: number,
): number {
  const leg = (k: number): number =>
    black76({
      forward: future,
      strike: k,
      timeYears,
      rate,
      vol: vixOptionIv(skewFuture, k, timeYears, baseVol) + volShift,
      right: 'C',
    }).price;
  return leg(l.longStrike) - (l.shortStrike === null ? 0 : leg(l.shortStrike));
}

function buildBook(
  cal: TradingCalendar,
  real: RealHistory,
  spec: FixtureSpec,
  win: Window,
  noBook: MarketSnapshot,
  asOf: string,
): HeldLayer[] {
  const plans = spec.book ?? [];
  if (plans.length === 0) return [];
  const rate = noBook.rates.riskFree;
  const opened = plans.map((p) => {
    const realOpen = win.realDateOf.get(p.openedOn);
    if (realOpen === undefined) throw new Error(`${spec.name}: ${p.openedOn} is not in the re-dated history`);
    const lv = levelsOn(real, realOpen);
    const openAsOf = entryTime(cal, p.openedOn, ENTRY);
    const dte = calendarDaysBetween(p.openedOn, p.expiry);
    const future = Math.round(vxFuturePrice(lv.vix, lv.vix3m, dte) * 20) / 20;
    const longStrike = strikeAtOrAbove(future + p.longOtm);
    const shortStrike = p.shortOtm === null ? null : strikeAtOrAbove(future + p.shortOtm);
    const t = tradingTimeToExpiry(cal, openAsOf, p.expiry, 'AM');
    const base = vixBaseVol(lv.volOfVol, dte);
    const legQuote = (k: number): { bid: number; ask: number } => {
      const g = black76({
        forward: future,
        strike: k,
        timeYears: t,
        rate,
        vol: vixOptionIv(future, k, t, base),
        right: 'C',
      });
      return quoteFromModel(g.price, p.tradingClass, { vega: g.vega });
    };
    // Paid the mid: long leg's mid less the short leg's mid, on the 0.01 combo tick.
    const mid = (q: { bid: number; ask: number }): number => (q.bid + q.ask) / 2;
    const debitCents = mid(legQuote(longStrike)) - (shortStrike === null ? 0 : mid(legQuote(shortStrike)));
    return { p, longStrike, shortStrike, entryPrice: toPriceCents(Math.round(debitCents) / 100) };
  });

  // Condor stress loss per contract and the quantity cap (docs/strategy.md sections 1 and 3, default strategy).
  const spot = noBook.spx.spot;
  const tSpx = tradingTimeToExpiry(cal, asOf, noBook.spxw.expiry, 'PM');
  const atmIv = (spec.atmIvPerVix9d * (real.vix9d.get(spec.realDay) ?? 0)) / 100;
  const em = spot * atmIv * Math.sqrt(tSpx);
  const condor = tenDeltaCondor(noBook.spxw.quotes, spot);
  const stressedSpot = spot - 3 * em;
  const putIntrinsic =
    Math.max(0, condor.shortPut - stressedSpot) - Math.max(0, condor.shortPut - condor.width - stressedSpot);
  const maxLoss = (condor.width - condor.credit) * 100;
  const stressLoss = Math.min(Math.max(putIntrinsic - condor.credit, 0) * 100, maxLoss);
  const qCap = Math.min(10, Math.floor(10_000 / maxLoss));
  const requirement = 0.6 * stressLoss * qCap;

  const fallPct = (3 * em * 100) / spot;
  return opened.map(({ p, longStrike, shortStrike, entryPrice }): HeldLayer => {
    let quantity = p.fixedQuantity;
    if (p.coverageShare > 0) {
      const chain = noBook.vixOptions.find((c) => c.expiry === p.expiry && c.tradingClass === p.tradingClass);
      if (chain === undefined) throw new Error(`${spec.name}: no chain for ${p.tradingClass} ${p.expiry}`);
      const dte = calendarDaysBetween(spec.day, p.expiry);
      const t = tradingTimeToExpiry(cal, asOf, p.expiry, 'AM');
      const lv = levelsOn(real, spec.realDay);
      const base = vixBaseVol(lv.volOfVol, dte);
      const shift = 1.2 * fallPct * Math.min(1, 0.6 * Math.sqrt(30 / dte));
      const l = { longStrike, shortStrike };
      const now = layerValue(l, chain.futurePrice, t, base, rate, 0, chain.futurePrice);
      const stressed = layerValue(l, chain.futurePrice + shift, t, base, rate, 0.2, chain.futurePrice);
      const pnlPerContract = (stressed - now) * 100;
      quantity = Math.ceil(((spec.bookCoverage ?? 1) * requirement * p.coverageShare) / pnlPerContract);
    }
    return {
      layerId: p.layerId,
      templateId: p.templateId,
      kind: p.kind,
      tradingClass: p.tradingClass,
      expiry: p.expiry,
      longStrike,
      shortStrike,
      quantity,
      entryPrice,
      openedOn: p.openedOn,
    };
  });
}

export interface CondorLegs {
  readonly shortPut: number;
  readonly shortCall: number;
  readonly width: number;
  /** Mid credit in points: short mids less wing mids. */
  readonly credit: number;
}

/** The default strategy's condor read off a chain: |delta| nearest 0.10, wings 0.4% of spot on 5s. */
export function tenDeltaCondor(quotes: readonly OptionQuote[], spot: number): CondorLegs {
  const width = Math.max(5, Math.round((spot * 0.004) / 5) * 5);
  const nearest = (right: 'P' | 'C'): OptionQuote => {
    let best: OptionQuote | undefined;
    for (const q of quotes) {
      if (q.right !== right || q.delta === null) continue;
      if (best === undefined || Math.abs(Math.abs(q.delta) - 0.1) < Math.abs(Math.abs(best.delta ?? 0) - 0.1))
        best = q;
    }
    if (best === undefined) throw new Error(`no ${right} quotes with delta`);
    return best;
  };
  const find = (strike: number, right: 'P' | 'C'): OptionQuote => {
    const q = quotes.find((x) => x.strike === strike && x.right === right);
    if (q === undefined) throw new Error(`no ${strike}${right} quote`);
    return q;
  };
  const mid = (q: { bid: PriceCents; ask: PriceCents }): number => (q.bid + q.ask) / 200;
  const sp = nearest('P');
  const sc = nearest('C');
  const credit = mid(sp) + mid(sc) - mid(find(sp.strike - width, 'P')) - mid(find(sc.strike + width, 'C'));
  return { shortPut: sp.strike, shortCall: sc.strike, width, credit: round2(credit) };
}

// ---------------------------------------------------------------------------------------------
// Build and write.

function buildFixture(cal: TradingCalendar, real: RealHistory, spec: FixtureSpec): MarketSnapshot {
  const asOf = entryTime(cal, spec.day, ENTRY);
  if (nyDate(asOf) !== spec.day) throw new Error(`${spec.name}: entry time not on ${spec.day}`);
  const win = redatedWindow(cal, real, spec);
  const lv = levelsOn(real, spec.realDay);
  const vix9d = real.vix9d.get(spec.realDay) ?? null;
  if (vix9d === null) throw new Error(`${spec.name}: no VIX9D on ${spec.realDay}`);
  const atmIv = round4((vix9d / 100) * spec.atmIvPerVix9d);
  const source =
    `${GENERATOR} fixture "${spec.name}" (${spec.story}). ` +
    `Levels: real closes of ${spec.realDay} (VIX ${lv.vix}, VIX9D ${vix9d}, VIX3M ${lv.vix3m ?? 'n/a'}, VVIX ${lv.volOfVol}); ` +
    `1DTE ATM IV ${atmIv} = VIX9D x ${spec.atmIvPerVix9d}. ` +
    `History: real SPX/VIX closes ${win.firstReal}..${win.lastReal} (data/history) re-dated onto the ${HISTORY_SESSIONS} NYSE sessions before ${spec.day}, ` +
    `SPX x ${win.scale.toFixed(6)} so spot = ${spec.spot}; A/D line synthetic from SPX returns + noise. Seed ${spec.seed}.`;
  const params: SnapshotParams = {
    calendar: cal,
    asOf,
    source,
    seed: spec.seed,
    spot: spec.spot,
    atmIv,
    ...(spec.spxSkew === undefined ? {} : { spxSkew: spec.spxSkew }),
    vix: lv.vix,
    vix9d,
    vix3m: lv.vix3m,
    volOfVol: lv.volOfVol,
    history: win.bars,
    events: loadEvents(),
    account: ACCOUNT,
  };
  const noBook = buildSnapshot(params);
  const hedgeBook = buildBook(cal, real, spec, win, noBook, asOf);
  return hedgeBook.length === 0 ? noBook : buildSnapshot({ ...params, hedgeBook });
}

/** Leaf objects (only primitive values) on one line, everything else expanded; prettier finishes. */
function compactJson(v: unknown, indent = ''): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + compactJson(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, x]) => x === null || typeof x !== 'object')) {
    return `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')} }`;
  }
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${compactJson(x, inner)}`).join(',\n')}\n${indent}}`;
}

export async function formatSnapshot(s: MarketSnapshot): Promise<string> {
  const options = (await prettier.resolveConfig(join(PROJECT_ROOT, 'paper', 'sample-snapshot.json'))) ?? {};
  return prettier.format(compactJson(serializeSnapshot(s)), { ...options, parser: 'json' });
}

/** Relative path (from the output root) -> file text, for every generated file. */
export async function generateFixtureFiles(): Promise<Map<string, string>> {
  const cal = createNyseCalendar(loadCalendarData());
  const real = loadRealHistory(PROJECT_ROOT);
  const files = new Map<string, string>();
  for (const spec of FIXTURES) {
    const text = await formatSnapshot(buildFixture(cal, real, spec));
    files.set(join('test', 'fixtures', 'snapshots', `${spec.name}.json`), text);
    const paperCopy = PAPER_COPIES.get(spec.name);
    if (paperCopy !== undefined) files.set(join('paper', paperCopy), text);
  }
  return files;
}

/** Writes every generated file under outRoot; returns the relative paths written. */
export async function writeFixtures(outRoot: string = PROJECT_ROOT): Promise<string[]> {
  const files = await generateFixtureFiles();
  for (const [rel, text] of files) {
    const path = join(outRoot, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  }
  return [...files.keys()];
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000;
}

async function main(argv: readonly string[]): Promise<void> {
  const i = argv.indexOf('--out');
  const out = i >= 0 ? argv[i + 1] : undefined;
  if (i >= 0 && out === undefined) throw new Error('--out needs a directory');
  const written = await writeFixtures(out ?? PROJECT_ROOT);
  for (const rel of written) console.log(`wrote ${join(out ?? PROJECT_ROOT, rel)}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
