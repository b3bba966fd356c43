// The simulator's market: steps the index paths on a fixed grid inside NYSE sessions (one step for each
// night), keeps daily history, lists contracts, and prices every quote lazily from the current state
// (SPXW by Black-Scholes with skew, VIX options by Black-76 off their own VX future, via surface.ts).
import type { IsoDate } from '../../domain/instruments.ts';
import { roundToTick } from '../../domain/instruments.ts';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { SESSION_MINUTES, calendarDaysBetween, nyDate } from '../../domain/calendar.ts';
import { black76, blackScholes } from '../../domain/pricing.ts';
import type { Clock } from '../../ports/clock.ts';
import type {
  ContractQuery,
  SimBar,
  SimContract,
  SimMarket,
  SimOptionModel,
  SimQuote,
} from '../engine-api.ts';
import { createRng, hashUniform } from '../rng.ts';
import type { Rng } from '../rng.ts';
import type { ContractRegistry, IndexSymbolSim } from './contracts.ts';
import {
  AD_NYSE_CONID,
  VRO_CONID,
  cachedSession,
  SPX_CONID,
  VIX3M_CONID,
  VIX9D_CONID,
  VIX_CONID,
  compactDate,
  createContractRegistry,
  vxFutureConId,
} from './contracts.ts';
import type { PathParams, PathState } from './paths.ts';
import {
  DEFAULT_PATH_PARAMS,
  TRADING_DAYS,
  breadthFrom,
  bridgeStep,
  closeDay,
  stepPath,
  vix3mFrom,
  vix9dFrom,
  volOfVolFrom,
} from './paths.ts';
import type { ReplayRow, ReplaySeries } from './replay.ts';
import { replayStartIndex } from './replay.ts';
import type { SimScenario } from './scenario.ts';
import { quoteFromModel, spxIv, vixBaseVol, vixOptionIv, vxFuturePrice } from './surface.ts';

export const RATE = 0.04;
export const SPX_DIVIDEND_YIELD = 0.013;
const MINUTE_MS = 60_000;
const SESSION_MS = SESSION_MINUTES * MINUTE_MS;
/** Sessions of history generated before the clock's start. */
export const DEFAULT_HISTORY_SESSIONS = 450;
const HISTORY_BAR_STEPS_MINUTES = 30;

export interface ShockSpec {
  readonly spxPct: number;
  readonly vixPoints: number;
  /** Spread the move over this many minutes of model time (0 = at once). */
  readonly overMinutes?: number;
  /** When the shock starts; default now. */
  readonly atMs?: number;
}

export interface VxPoint {
  readonly expiry: IsoDate;
  readonly conId: number;
  readonly price: number;
}

export type StepKind = 'open' | 'intraday' | 'close' | 'shock';

export interface StepInfo {
  readonly kind: StepKind;
  /** Model time of the step (epoch ms). */
  readonly atMs: number;
  readonly tradingDate: IsoDate;
}

export interface MarketStateSnapshot {
  readonly modelMs: number;
  readonly stepIndex: number;
  readonly tradingDate: IsoDate;
  readonly sessionOpen: boolean;
  readonly spx: number;
  readonly vix: number;
  readonly vix9d: number;
  readonly vix3m: number;
  readonly volOfVol: number;
  readonly advancers: number;
  readonly decliners: number;
  readonly adLine: number;
  readonly vxCurve: readonly VxPoint[];
  readonly replayRow: IsoDate | null;
}

export type SettlementKind = 'SPX-PM' | 'VIX-SOQ';

export interface SimMarketControl {
  readonly registry: ContractRegistry;
  readonly calendar: TradingCalendar;
  /** Advance the model to the clock's now (on its step grid). */
  step(): void;
  applyShock(s: ShockSpec): void;
  spot(symbol: IndexSymbolSim): number;
  vxCurve(): readonly VxPoint[];
  /** SPX official close of a date (SPXW PM settlement) or the VIX SOQ of a date; null if not yet known. */
  settlementValue(kind: SettlementKind, date: IsoDate): number | null;
  snapshotState(): MarketStateSnapshot;
  /** Called after every model step (before onQuotes listeners). */
  onStep(listener: (info: StepInfo) => void): () => void;
  /** The trading date of the session in progress, or of the last one closed. */
  tradingDate(): IsoDate;
  isSessionOpen(): boolean;
  /** New York calendar date of an epoch-ms time. */
  nyDateOf(ms: number): IsoDate;
  /** Epoch-ms open and close of a trading date, null when closed. */
  sessionMs(date: IsoDate): { readonly openMs: number; readonly closeMs: number } | null;
  /** Trading time (years) from the model's now to an expiry, PM (SPXW) or AM (VIX) settled. */
  timeToExpiry(expiry: IsoDate, settlement: 'PM' | 'AM'): number;
  /** Increments on every state change; quotes are cached per value. */
  stepIndex(): number;
  /** Stop the self-scheduled stepping. */
  stop(): void;
}

export interface SimMarketOptions {
  readonly seed: number;
  readonly clock: Clock;
  readonly calendar: TradingCalendar;
  readonly replay?: ReplaySeries;
  /** Source date of the first replayed live session (default: the row after the history rows). */
  readonly replayFrom?: IsoDate;
  readonly scenario?: SimScenario;
  /** Model step inside a session (default 60 s). */
  readonly stepSeconds?: number;
  /** Closes of the session before the start (free model only; default SPX 6000, VIX 16). */
  readonly start?: { readonly spx?: number; readonly vix?: number };
  readonly historySessions?: number;
  /** Schedule steps on the clock (default true); false = only explicit step() calls. */
  readonly autoStep?: boolean;
  readonly params?: Partial<PathParams>;
}

interface DayBar {
  open: number;
  high: number;
  low: number;
  close: number;
}

interface Shock {
  readonly startMs: number;
  readonly endMs: number;
  readonly spxLog: number;
  readonly vixPoints: number;
}

interface HistoryDay {
  date: IsoDate;
  spx: DayBar;
  vix: DayBar;
  noise9d: number;
  noise3m: number;
  ad: DayBar;
  soq: number;
  /** Replay rows carry their own VIX9D/VIX3M. */
  vix9d: DayBar | null;
  vix3m: DayBar | null;
}

const INDEX_SYMBOL_BY_CONID = new Map<number, IndexSymbolSim>([
  [SPX_CONID, 'SPX'],
  [VIX_CONID, 'VIX'],
  [VIX9D_CONID, 'VIX9D'],
  [VIX3M_CONID, 'VIX3M'],
  [AD_NYSE_CONID, 'AD-NYSE'],
  [VRO_CONID, 'VRO'],
]);

const bar = (x: number): DayBar => ({ open: x, high: x, low: x, close: x });
const mark = (b: DayBar, x: number): void => {
  b.close = x;
  if (x > b.high) b.high = x;
  if (x < b.low) b.low = x;
};
const mapBar = (b: DayBar, f: (x: number) => number): DayBar => {
  const o = f(b.open);
  const c = f(b.close);
  const h = f(b.high);
  const l = f(b.low);
  return { open: o, close: c, high: Math.max(o, c, h, l), low: Math.min(o, c, h, l) };
};
const round2 = (x: number): number => Math.round(x * 100) / 100;

export function createSimMarket(opts: SimMarketOptions): SimMarket & SimMarketControl {
  const { clock, calendar: cal } = opts;
  const params: PathParams = { ...DEFAULT_PATH_PARAMS, ...opts.params };
  const stepMs = Math.max(1, Math.round((opts.stepSeconds ?? 60) * 1000));
  const seed = opts.seed >>> 0;
  const root = createRng(seed);
  const liveRng: Rng = root.fork('live');
  const registry = createContractRegistry(cal);

  // --- sessions ------------------------------------------------------------------------------
  const sessionMsCache = new Map<IsoDate, { openMs: number; closeMs: number } | null>();
  const sessionMs = (d: IsoDate): { openMs: number; closeMs: number } | null => {
    let s = sessionMsCache.get(d);
    if (s === undefined) {
      const sess = cachedSession(cal, d);
      s = sess === null ? null : { openMs: Date.parse(sess.open), closeMs: Date.parse(sess.close) };
      if (sessionMsCache.size > 4000) sessionMsCache.clear();
      sessionMsCache.set(d, s);
    }
    return s;
  };
  const mustSession = (d: IsoDate): { openMs: number; closeMs: number } => {
    const s = sessionMs(d);
    if (s === null) throw new Error(`${d} is not a trading day`);
    return s;
  };
  const nyDateOf = (ms: number): IsoDate => nyDate(new Date(ms).toISOString());

  // --- state ---------------------------------------------------------------------------------
  const ps: PathState = { spx: 0, vix: 0, vix9dNoise: 0, vix3mNoise: 0, daySurprisePct: 0 };
  const history = new Map<IndexSymbolSim, SimBar[]>([
    ['SPX', []],
    ['VIX', []],
    ['VIX9D', []],
    ['VIX3M', []],
    ['AD-NYSE', []],
    ['VRO', []],
  ]);
  const spxClose = new Map<IsoDate, number>();
  const soqByDate = new Map<IsoDate, number>();
  let phase: 'open' | 'closed' = 'closed';
  let curDate: IsoDate = '';
  let lastStepMs = 0;
  let stepNo = 0;
  let prevClose = { spx: 0, vix: 0, vix9d: 0, vix3m: 0, ad: 0 };
  let today: { spx: DayBar; vix: DayBar; vix9d: DayBar; vix3m: DayBar; ad: DayBar; vro: DayBar } | null =
    null;
  let adLineBase = 0;
  let adTilt = 0;
  let adIssues = params.nyseIssues;
  let breadth = { advancers: 0, decliners: 0, unchanged: 0 };
  const shocks: Shock[] = [];
  for (const s of opts.scenario?.shocks ?? []) {
    shocks.push({
      startMs: s.atMs,
      endMs: s.atMs + Math.max(1, s.overMinutes * MINUTE_MS),
      spxLog: Math.log(1 + s.spxPct / 100),
      vixPoints: s.vixPoints,
    });
  }

  // Replay: rows before replayIdx become history, rows from it drive the live sessions.
  const replayRows: readonly ReplayRow[] = opts.replay?.rows ?? [];
  let replayIdx = -1;
  let replayToday: ReplayRow | null = null;
  let replayOpenTarget = { spx: 0, vix: 0 };

  const vix9dNow = (): number => {
    if (replayToday?.vix9d != null && today !== null) return today.vix9d.close;
    return vix9dFrom(ps.vix, ps.vix9dNoise);
  };
  const vix3mNow = (): number => {
    if (replayToday?.vix3m != null && today !== null) return today.vix3m.close;
    return vix3mFrom(ps.vix, ps.vix3mNoise);
  };
  // During a session the line moves with today's breadth; at the close today's net is folded into the base.
  const adLineNow = (): number =>
    phase === 'open' ? adLineBase + breadth.advancers - breadth.decliners : adLineBase;

  // --- history -------------------------------------------------------------------------------
  const startMs = clock.nowMs();
  const startDate = nyDateOf(startMs);
  const historyEnd = cal.previousTradingDay(startDate);
  const nHistory = Math.max(1, opts.historySessions ?? DEFAULT_HISTORY_SESSIONS);

  const buildHistory = (): HistoryDay[] => {
    const rng = root.fork('history');
    if (replayRows.length > 0) {
      let from = Math.max(1, Math.min(nHistory, replayRows.length - 1));
      if (opts.replayFrom !== undefined) {
        const i = replayStartIndex(opts.replay!, opts.replayFrom);
        // The composition side reports a bad start to the user; here it is a bug.
        if (i === null) throw new RangeError(`replay start ${opts.replayFrom} is outside the replay data`);
        from = i;
      }
      replayIdx = from;
      const rows = replayRows.slice(Math.max(0, from - nHistory), from);
      const dates = sessionsEndingAt(cal, historyEnd, rows.length);
      let ad = 0;
      return rows.map((r, i): HistoryDay => {
        const prev = i > 0 ? rows[i - 1]! : r;
        const b = breadthFrom(
          Math.log(r.spx.close / prev.spx.close),
          r.vix.close,
          0.35 * rng.normal(),
          params.nyseIssues,
          params,
        );
        const adBar = bar(ad);
        ad += b.advancers - b.decliners;
        mark(adBar, ad);
        return {
          date: dates[i]!,
          spx: { open: r.spx.open, high: r.spx.high, low: r.spx.low, close: r.spx.close },
          vix: { open: r.vix.open, high: r.vix.high, low: r.vix.low, close: r.vix.close },
          noise9d: 0,
          noise3m: 0,
          ad: adBar,
          soq: r.vix.open,
          vix9d: r.vix9d === null ? null : { ...r.vix9d },
          vix3m: r.vix3m === null ? null : { ...r.vix3m },
        };
      });
    }
    const dates = sessionsEndingAt(cal, historyEnd, nHistory);
    const s: PathState = {
      spx: 5000,
      vix: opts.start?.vix ?? 16,
      vix9dNoise: 0,
      vix3mNoise: 0,
      daySurprisePct: 0,
    };
    let ad = 0;
    const days: HistoryDay[] = [];
    let prevSpx = s.spx;
    for (const d of dates) {
      const sess = mustSession(d);
      const minutes = (sess.closeMs - sess.openMs) / MINUTE_MS;
      stepPath(s, params.overnightShare, rng, params);
      const spxBar = bar(s.spx);
      const vixBar = bar(s.vix);
      const soq = s.vix * Math.exp(0.01 * rng.normal());
      const n = Math.max(1, Math.round(minutes / HISTORY_BAR_STEPS_MINUTES));
      const dt = ((1 - params.overnightShare) * minutes) / SESSION_MINUTES / n;
      for (let i = 0; i < n; i++) {
        stepPath(s, dt, rng, params);
        mark(spxBar, s.spx);
        mark(vixBar, s.vix);
      }
      closeDay(s);
      const b = breadthFrom(Math.log(s.spx / prevSpx), s.vix, 0.35 * rng.normal(), params.nyseIssues, params);
      prevSpx = s.spx;
      const adBar = bar(ad);
      ad += b.advancers - b.decliners;
      mark(adBar, ad);
      days.push({
        date: d,
        spx: spxBar,
        vix: vixBar,
        noise9d: s.vix9dNoise,
        noise3m: s.vix3mNoise,
        ad: adBar,
        soq,
        vix9d: null,
        vix3m: null,
      });
    }
    // Pin the last close to the requested start: SPX by scaling the whole path, VIX by a log ramp.
    const last = days[days.length - 1]!;
    const spxScale = (opts.start?.spx ?? 6000) / last.spx.close;
    const vixShift = Math.log((opts.start?.vix ?? 16) / last.vix.close);
    const RAMP = 60;
    days.forEach((day, i) => {
      const w = Math.max(0, 1 - (days.length - 1 - i) / RAMP);
      const f = Math.exp(vixShift * w);
      day.spx = mapBar(day.spx, (x) => x * spxScale);
      day.vix = mapBar(day.vix, (x) => Math.max(params.vixFloor, x * f));
      day.soq *= f;
    });
    return days;
  };

  const historyDays = buildHistory();
  for (const day of historyDays) {
    const ymd = compactDate(day.date);
    const push = (sym: IndexSymbolSim, b: DayBar, digits = 2): void => {
      const r = (x: number): number => (digits === 0 ? Math.round(x) : round2(x));
      history.get(sym)!.push({
        date: ymd,
        open: r(b.open),
        high: r(b.high),
        low: r(b.low),
        close: r(b.close),
        volume: 0,
      });
    };
    push('SPX', day.spx);
    push('VIX', day.vix);
    push('VIX9D', day.vix9d ?? mapBar(day.vix, (x) => vix9dFrom(x, day.noise9d)));
    push('VIX3M', day.vix3m ?? mapBar(day.vix, (x) => vix3mFrom(x, day.noise3m)));
    push('AD-NYSE', day.ad, 0);
    // VRO prints once, at the open: its daily bar is that day's SOQ.
    push('VRO', bar(day.soq));
    spxClose.set(day.date, round2(day.spx.close));
    soqByDate.set(day.date, round2(day.soq));
  }
  {
    const last = historyDays[historyDays.length - 1]!;
    ps.spx = last.spx.close;
    ps.vix = last.vix.close;
    ps.vix9dNoise = last.vix9d === null ? last.noise9d : Math.log(last.vix9d.close / vix9dFrom(ps.vix, 0));
    ps.vix3mNoise = last.vix3m === null ? last.noise3m : Math.log(last.vix3m.close / vix3mFrom(ps.vix, 0));
    curDate = last.date;
    lastStepMs = mustSession(last.date).closeMs;
    adLineBase = Math.round(last.ad.close);
    prevClose = {
      spx: ps.spx,
      vix: ps.vix,
      vix9d: vix9dFrom(ps.vix, ps.vix9dNoise),
      vix3m: vix3mFrom(ps.vix, ps.vix3mNoise),
      ad: adLineBase,
    };
    const listingDay = cal.isTradingDay(startDate) ? startDate : cal.nextTradingDay(startDate);
    registry.listForDay(listingDay, ps.spx);
  }

  // --- stepping ------------------------------------------------------------------------------
  const stepListeners = new Set<(info: StepInfo) => void>();
  const quoteListeners = new Set<(conIds: readonly number[]) => void>();
  let liveConIds: number[] = [];
  let liveConIdsFor: readonly SimContract[] | null = null;
  const changedConIds = (): readonly number[] => {
    const live = registry.liveContracts();
    if (live !== liveConIdsFor) {
      liveConIdsFor = live;
      liveConIds = live.map((c) => c.conId);
    }
    return liveConIds;
  };

  const forcedBetween = (t0: number, t1: number): { spxLog: number; vixPoints: number } => {
    let spxLog = 0;
    let vixPoints = 0;
    for (const s of shocks) {
      const overlap = Math.min(t1, s.endMs) - Math.max(t0, s.startMs);
      if (overlap <= 0) continue;
      const f = overlap / (s.endMs - s.startMs);
      spxLog += s.spxLog * f;
      vixPoints += s.vixPoints * f;
    }
    return { spxLog, vixPoints };
  };

  const updateBreadth = (): void => {
    breadth = breadthFrom(Math.log(ps.spx / prevClose.spx), ps.vix, adTilt, adIssues, params);
  };

  const markToday = (): void => {
    if (today === null) return;
    mark(today.spx, ps.spx);
    mark(today.vix, ps.vix);
    if (replayToday?.vix9d == null) mark(today.vix9d, vix9dFrom(ps.vix, ps.vix9dNoise));
    if (replayToday?.vix3m == null) mark(today.vix3m, vix3mFrom(ps.vix, ps.vix3mNoise));
    mark(today.ad, adLineNow());
  };

  const emit = (info: StepInfo): void => {
    stepNo++;
    for (const l of [...stepListeners]) l(info);
    if (quoteListeners.size > 0) {
      const ids = changedConIds();
      for (const l of [...quoteListeners]) l(ids);
    }
  };

  /** Replay: the next row when there is one, else the model runs free. */
  const nextReplayRow = (): ReplayRow | null => {
    if (replayIdx < 0 || replayIdx >= replayRows.length) return null;
    return replayRows[replayIdx++] ?? null;
  };

  const doOpen = (date: IsoDate, openMs: number): void => {
    const forced = forcedBetween(lastStepMs, openMs);
    replayToday = nextReplayRow();
    if (replayToday !== null) {
      // Open part of the way toward the day's close; the session bridges the rest.
      const gap = 0.25;
      const e1 = liveRng.normal();
      const e2 = liveRng.normal();
      const spxOpen =
        prevClose.spx * Math.pow(replayToday.spx.close / prevClose.spx, gap) * Math.exp(0.001 * e1);
      const vixOpen =
        prevClose.vix * Math.pow(replayToday.vix.close / prevClose.vix, gap) * Math.exp(0.01 * e2);
      ps.spx = spxOpen * Math.exp(forced.spxLog);
      ps.vix = Math.max(1, vixOpen + forced.vixPoints);
      replayOpenTarget = { spx: replayToday.spx.close, vix: replayToday.vix.close };
    } else {
      stepPath(ps, params.overnightShare, liveRng, params, forced);
    }
    curDate = date;
    phase = 'open';
    lastStepMs = openMs;
    adTilt = 0.35 * liveRng.normal();
    adIssues = params.nyseIssues - 100 + liveRng.int(0, 200);
    const soq = ps.vix * Math.exp(0.01 * liveRng.normal());
    soqByDate.set(date, round2(soq));
    updateBreadth();
    const v9 =
      replayToday?.vix9d != null
        ? prevClose.vix9d * Math.pow(replayToday.vix9d.close / prevClose.vix9d, 0.25)
        : vix9dFrom(ps.vix, ps.vix9dNoise);
    const v3 =
      replayToday?.vix3m != null
        ? prevClose.vix3m * Math.pow(replayToday.vix3m.close / prevClose.vix3m, 0.25)
        : vix3mFrom(ps.vix, ps.vix3mNoise);
    today = {
      spx: bar(ps.spx),
      vix: bar(ps.vix),
      vix9d: bar(v9),
      vix3m: bar(v3),
      ad: bar(adLineNow()),
      vro: bar(round2(soq)),
    };
    registry.listForDay(date, ps.spx);
    emit({ kind: 'open', atMs: openMs, tradingDate: date });
  };

  const doIntraday = (t0: number, t1: number, closeMs: number): void => {
    const forced = forcedBetween(t0, t1);
    const dt = ((1 - params.overnightShare) * (t1 - t0)) / SESSION_MS;
    if (replayToday !== null) {
      const stepsLeft = Math.max(1, Math.ceil((closeMs - t0) / stepMs));
      const sigmaSpx = ((params.realisedToImplied * ps.vix) / 100) * Math.sqrt(dt / TRADING_DAYS);
      const sigmaVix = 0.06 * Math.sqrt(dt);
      const e1 = liveRng.normal();
      const e2 = liveRng.normal();
      ps.spx = bridgeStep(ps.spx, replayOpenTarget.spx, stepsLeft, sigmaSpx, e1) * Math.exp(forced.spxLog);
      ps.vix = Math.max(
        1,
        bridgeStep(ps.vix, replayOpenTarget.vix, stepsLeft, sigmaVix, e2) + forced.vixPoints,
      );
      if (today !== null) {
        if (replayToday.vix9d !== null) {
          const v = today.vix9d.close;
          mark(today.vix9d, v * Math.exp((Math.log(replayToday.vix9d.close) - Math.log(v)) / stepsLeft));
        }
        if (replayToday.vix3m !== null) {
          const v = today.vix3m.close;
          mark(today.vix3m, v * Math.exp((Math.log(replayToday.vix3m.close) - Math.log(v)) / stepsLeft));
        }
      }
    } else {
      stepPath(ps, dt, liveRng, params, forced);
    }
    adTilt += 0.1 * Math.sqrt(dt) * liveRng.normal();
    lastStepMs = t1;
    updateBreadth();
    markToday();
  };

  const doClose = (closeMs: number): void => {
    lastStepMs = closeMs;
    closeDay(ps);
    spxClose.set(curDate, round2(ps.spx));
    const finalLine = adLineNow();
    const t = today;
    if (t !== null) {
      mark(t.ad, finalLine);
      const ymd = compactDate(curDate);
      const push = (sym: IndexSymbolSim, b: DayBar, integer = false): void => {
        const r = (x: number): number => (integer ? Math.round(x) : round2(x));
        history
          .get(sym)!
          .push({ date: ymd, open: r(b.open), high: r(b.high), low: r(b.low), close: r(b.close), volume: 0 });
      };
      push('SPX', t.spx);
      push('VIX', t.vix);
      push('VIX9D', t.vix9d);
      push('VIX3M', t.vix3m);
      push('AD-NYSE', t.ad, true);
      push('VRO', t.vro);
      prevClose = { spx: ps.spx, vix: ps.vix, vix9d: t.vix9d.close, vix3m: t.vix3m.close, ad: finalLine };
    }
    adLineBase = finalLine;
    phase = 'closed';
    emit({ kind: 'close', atMs: closeMs, tradingDate: curDate });
  };

  const advanceModel = (target: number): void => {
    for (;;) {
      if (phase === 'closed') {
        const next = cal.nextTradingDay(curDate);
        const s = mustSession(next);
        if (s.openMs > target) return;
        doOpen(next, s.openMs);
        continue;
      }
      const s = mustSession(curDate);
      const t1 = Math.min(lastStepMs + stepMs, s.closeMs);
      if (t1 > target) return;
      doIntraday(lastStepMs, t1, s.closeMs);
      if (t1 >= s.closeMs) doClose(s.closeMs);
      else emit({ kind: 'intraday', atMs: t1, tradingDate: curDate });
    }
  };

  /** The next grid time the model will step at. */
  const nextStepAt = (): number => {
    if (phase === 'open') return Math.min(lastStepMs + stepMs, mustSession(curDate).closeMs);
    return mustSession(cal.nextTradingDay(curDate)).openMs;
  };

  let cancelTimer: (() => void) | null = null;
  let stopped = false;
  const arm = (): void => {
    if (stopped || opts.autoStep === false) return;
    cancelTimer?.();
    const at = nextStepAt();
    cancelTimer = clock.schedule(at, () => {
      cancelTimer = null;
      advanceModel(clock.nowMs());
      arm();
    });
  };

  // --- quotes --------------------------------------------------------------------------------
  const quoteCache = new Map<
    number,
    { step: number; quote: SimQuote | undefined; model: SimOptionModel | undefined }
  >();
  const tdCache = new Map<string, number>();
  const tradingDaysBetween = (a: IsoDate, b: IsoDate): number => {
    const k = `${a}|${b}`;
    let v = tdCache.get(k);
    if (v === undefined) {
      v = cal.tradingDaysBetween(a, b);
      if (tdCache.size > 5000) tdCache.clear();
      tdCache.set(k, v);
    }
    return v;
  };

  const todayFraction = (): number => {
    if (phase !== 'open') return 0;
    return Math.max(0, mustSession(curDate).closeMs - lastStepMs) / SESSION_MS;
  };

  const timeToExpiry = (expiry: IsoDate, settlement: 'PM' | 'AM'): number => {
    if (expiry < curDate) return 0;
    if (expiry === curDate) {
      // An AM-settled option is settled at this morning's open.
      return settlement === 'PM' ? todayFraction() / TRADING_DAYS : 0;
    }
    const later = tradingDaysBetween(curDate, expiry) - (settlement === 'AM' ? 1 : 0);
    return (todayFraction() + Math.max(0, later)) / TRADING_DAYS;
  };

  const vxPrice = (expiry: IsoDate): number => {
    if (expiry < curDate) return soqByDate.get(expiry) ?? ps.vix;
    if (expiry === curDate) return soqByDate.get(expiry) ?? ps.vix;
    return vxFuturePrice(ps.vix, vix3mNow(), calendarDaysBetween(curDate, expiry));
  };

  /** ATM vol for an SPX expiry: total variance interpolated between VIX9D, VIX and VIX3M. */
  const spxAtmIv = (timeYears: number): number => {
    const days = timeYears * TRADING_DAYS;
    const pts: [number, number][] = [
      [6.4, vix9dNow() / 100],
      [21, ps.vix / 100],
      [63, vix3mNow() / 100],
    ];
    if (days <= pts[0]![0]) return pts[0]![1];
    for (let i = 1; i < pts.length; i++) {
      const [d1, v1] = pts[i]!;
      const [d0, v0] = pts[i - 1]!;
      if (days <= d1) {
        const w = (days - d0) / (d1 - d0);
        const variance = (1 - w) * v0 * v0 * d0 + w * v1 * v1 * d1;
        return Math.sqrt(variance / days);
      }
    }
    return pts[pts.length - 1]![1];
  };

  const sizeOf = (conId: number, salt: number): number =>
    10 + Math.floor(hashUniform(seed, conId, stepNo, salt) * 191);

  const indexValue = (sym: IndexSymbolSim): number => {
    switch (sym) {
      case 'SPX':
        return ps.spx;
      case 'VIX':
        return ps.vix;
      case 'VIX9D':
        return vix9dNow();
      case 'VIX3M':
        return vix3mNow();
      case 'AD-NYSE':
        return adLineNow();
      case 'VRO':
        return soqByDate.get(curDate) ?? ps.vix;
    }
  };

  const indexQuote = (sym: IndexSymbolSim): SimQuote => {
    const t = today;
    const dayBar = (): DayBar | null => {
      if (t === null) return null;
      switch (sym) {
        case 'SPX':
          return t.spx;
        case 'VIX':
          return t.vix;
        case 'VIX9D':
          return t.vix9d;
        case 'VIX3M':
          return t.vix3m;
        case 'AD-NYSE':
          return t.ad;
        case 'VRO':
          return t.vro;
      }
    };
    const b = dayBar();
    const prior = history.get(sym)!;
    // Tick 9 (close) is the prior session's close: after today's close that is today's bar.
    const closeBar = prior[prior.length - (phase === 'closed' && t !== null ? 2 : 1)];
    const r = (x: number): number => (sym === 'AD-NYSE' ? Math.round(x) : round2(x));
    const isBreadth = sym === 'AD-NYSE';
    return {
      bid: isBreadth ? breadth.advancers : null,
      ask: isBreadth ? breadth.decliners : null,
      last: r(indexValue(sym)),
      bidSize: isBreadth ? breadth.advancers : 0,
      askSize: isBreadth ? breadth.decliners : 0,
      lastSize: 0,
      open: b === null ? null : r(b.open),
      high: b === null ? null : r(b.high),
      low: b === null ? null : r(b.low),
      close: closeBar === undefined ? null : closeBar.close,
      volume: 0,
    };
  };

  /** A future's or option's quote from cent prices: seeded sizes, no session bar. */
  const tradedQuote = (conId: number, bidC: number, askC: number, lastC: number): SimQuote => ({
    bid: bidC / 100,
    ask: askC / 100,
    last: lastC / 100,
    bidSize: sizeOf(conId, 1),
    askSize: sizeOf(conId, 2),
    lastSize: 1,
    open: null,
    high: null,
    low: null,
    close: null,
    volume: 0,
  });

  const computeQuote = (
    c: SimContract,
  ): { quote: SimQuote | undefined; model: SimOptionModel | undefined } => {
    const sym = INDEX_SYMBOL_BY_CONID.get(c.conId);
    if (sym !== undefined) return { quote: indexQuote(sym), model: undefined };
    if (c.expiry === null) return { quote: undefined, model: undefined };
    if (c.secType === 'FUT') {
      const f = vxPrice(c.expiry);
      const bidC = roundToTick('VX', f * 100 - 2.5, 'nearest');
      const widthC = ps.vix > 30 ? 10 : 5;
      return {
        quote: tradedQuote(c.conId, bidC, bidC + widthC, roundToTick('VX', f * 100, 'nearest')),
        model: undefined,
      };
    }
    if (c.strike === null || c.right === null) return { quote: undefined, model: undefined };
    const widthScale = 0.9 + 0.4 * hashUniform(seed, c.conId, stepNo, 3);
    let theo: number;
    let iv: number;
    let g: { delta: number; gamma: number; vega: number; theta: number };
    let und: number;
    if (c.tradingClass === 'SPXW') {
      const t = timeToExpiry(c.expiry, 'PM');
      und = ps.spx;
      iv = spxIv(ps.spx, c.strike, Math.max(t, 1e-9), spxAtmIv(t));
      const r = blackScholes({
        spot: ps.spx,
        strike: c.strike,
        timeYears: t,
        rate: RATE,
        dividendYield: SPX_DIVIDEND_YIELD,
        vol: iv,
        right: c.right,
      });
      theo = r.price;
      g = r;
    } else {
      const t = timeToExpiry(c.expiry, 'AM');
      und = vxPrice(c.expiry);
      const dte = Math.max(0, calendarDaysBetween(curDate, c.expiry));
      iv = vixOptionIv(und, c.strike, Math.max(t, 1e-9), vixBaseVol(volOfVolFrom(ps.vix), dte));
      const r = black76({
        forward: und,
        strike: c.strike,
        timeYears: t,
        rate: RATE,
        vol: iv,
        right: c.right,
      });
      theo = r.price;
      g = r;
    }
    const venue = c.tradingClass === 'SPXW' ? 'SPXW' : c.tradingClass === 'VIXW' ? 'VIXW' : 'VIX';
    const q = quoteFromModel(theo, venue, { vega: g.vega, widthScale });
    return {
      quote: tradedQuote(c.conId, q.bid, q.ask, roundToTick(venue, Math.max(theo, 0) * 100, 'nearest')),
      model: {
        impliedVol: iv,
        delta: g.delta,
        optPrice: theo,
        pvDividend: 0,
        gamma: g.gamma,
        // IB convention: vega per vol point, theta per day.
        vega: g.vega / 100,
        theta: g.theta / TRADING_DAYS,
        undPrice: und,
      },
    };
  };

  const cached = (conId: number): { quote: SimQuote | undefined; model: SimOptionModel | undefined } => {
    const hit = quoteCache.get(conId);
    if (hit !== undefined && hit.step === stepNo) return hit;
    const c = registry.contract(conId);
    const v = c === undefined ? { quote: undefined, model: undefined } : computeQuote(c);
    if (quoteCache.size > 50_000) quoteCache.clear();
    quoteCache.set(conId, { step: stepNo, ...v });
    return v;
  };

  const vxCurveNow = (): VxPoint[] =>
    registry.vxExpiries().map((e) => ({ expiry: e, conId: vxFutureConId(e), price: vxPrice(e) }));

  // --- the object ----------------------------------------------------------------------------
  const market: SimMarket & SimMarketControl = {
    clock,
    registry,
    calendar: cal,
    findContracts: (q: ContractQuery) => registry.findContracts(q),
    contract: (conId) => registry.contract(conId),
    secDefOptParams(symbol, underConId) {
      // An SPXW expiry is gone once its PM settlement is struck, though the registry keeps it until the next listing.
      const settled = (yyyymmdd: string): boolean => {
        const iso = `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
        return iso < curDate || (iso === curDate && phase !== 'open' && spxClose.has(iso));
      };
      return registry
        .secDefOptParams(symbol, underConId)
        .map((p) =>
          p.tradingClass === 'SPXW' ? { ...p, expirations: p.expirations.filter((e) => !settled(e)) } : p,
        );
    },
    quote: (conId) => cached(conId).quote,
    optionModel: (conId) => cached(conId).model,
    dailyBars(conId, endDate, sessions) {
      const sym = INDEX_SYMBOL_BY_CONID.get(conId);
      if (sym === undefined) return [];
      const end = compactDate(endDate);
      const bars = history.get(sym)!;
      const all: SimBar[] = [...bars];
      // During a session IB's daily bars include today's bar so far.
      if (phase === 'open' && today !== null) {
        const t = indexQuote(sym);
        all.push({
          date: compactDate(curDate),
          open: t.open ?? 0,
          high: t.high ?? 0,
          low: t.low ?? 0,
          close: t.last ?? 0,
          volume: 0,
        });
      }
      const upTo = all.filter((b) => b.date <= end);
      return upTo.slice(Math.max(0, upTo.length - sessions));
    },
    onQuotes(listener) {
      quoteListeners.add(listener);
      return () => quoteListeners.delete(listener);
    },
    onStep(listener) {
      stepListeners.add(listener);
      return () => stepListeners.delete(listener);
    },
    step() {
      advanceModel(clock.nowMs());
      arm();
    },
    applyShock(s) {
      const at = s.atMs ?? clock.nowMs();
      const over = s.overMinutes ?? 0;
      if (over <= 0 && at <= clock.nowMs()) {
        ps.spx *= 1 + s.spxPct / 100;
        ps.vix = Math.max(1, ps.vix + s.vixPoints);
        if (phase === 'open') {
          updateBreadth();
          markToday();
        }
        emit({ kind: 'shock', atMs: clock.nowMs(), tradingDate: curDate });
        return;
      }
      shocks.push({
        startMs: at,
        endMs: at + Math.max(1, over * MINUTE_MS),
        spxLog: Math.log(1 + s.spxPct / 100),
        vixPoints: s.vixPoints,
      });
    },
    spot: (symbol) => indexValue(symbol),
    vxCurve: vxCurveNow,
    settlementValue(kind, date) {
      switch (kind) {
        case 'SPX-PM':
          return spxClose.get(date) ?? null;
        case 'VIX-SOQ':
          return soqByDate.get(date) ?? null;
      }
    },
    snapshotState: () => ({
      modelMs: lastStepMs,
      stepIndex: stepNo,
      tradingDate: curDate,
      sessionOpen: phase === 'open',
      spx: ps.spx,
      vix: ps.vix,
      vix9d: vix9dNow(),
      vix3m: vix3mNow(),
      volOfVol: volOfVolFrom(ps.vix),
      advancers: breadth.advancers,
      decliners: breadth.decliners,
      adLine: adLineNow(),
      vxCurve: vxCurveNow(),
      replayRow: replayToday?.date ?? null,
    }),
    tradingDate: () => curDate,
    isSessionOpen: () => phase === 'open',
    nyDateOf,
    sessionMs: (d) => sessionMs(d),
    timeToExpiry,
    stepIndex: () => stepNo,
    stop() {
      stopped = true;
      cancelTimer?.();
      cancelTimer = null;
    },
  };

  advanceModel(clock.nowMs());
  arm();
  return market;
}

/** The `n` trading sessions ending at `end` (inclusive), ascending. */
function sessionsEndingAt(cal: TradingCalendar, end: IsoDate, n: number): IsoDate[] {
  const out: IsoDate[] = [];
  let d = cal.isTradingDay(end) ? end : cal.previousTradingDay(end);
  while (out.length < n) {
    out.push(d);
    d = cal.previousTradingDay(d);
  }
  return out.reverse();
}
