// MarketDataPort over the in-process simulator: reads the simulator's market at its clock's current
// time, the same things the IB adapter asks the gateway for (chains, quotes, option models, bars, account).
import { DateTime } from 'luxon';
import type { TradingCalendar } from '../../domain/calendar.ts';
import { NY_ZONE, calendarDaysBetween, nyDate } from '../../domain/calendar.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import { dollarsToCents, toPriceCents } from '../../domain/money.ts';
import type {
  AccountState,
  DailyBar,
  MarketSnapshot,
  OptionQuote,
  VixOptionChain,
  VxFuture,
} from '../../domain/snapshot.ts';
import type { MarketDataPort, SnapshotRequest } from '../../ports/market-data.ts';
import type { Clock } from '../../ports/clock.ts';
import type { SimBar, SimContract, SimMarket, SimVenue } from '../../sim/engine-api.ts';
import type { SimMarketControl } from '../../sim/market/market.ts';
import { RATE, SPX_DIVIDEND_YIELD } from '../../sim/market/market.ts';

/** Sessions of daily history in the snapshot (signals need at most ~280: 252 percentile + 20 period). */
export const HISTORY_SESSIONS = 300;
/** Calendar-day window of the captured VIX option chains (held layers' expiries are added). */
export const VIX_CHAIN_DTE_WINDOW: readonly [number, number] = [7, 60];

export interface SimMarketSource {
  readonly market: SimMarket & SimMarketControl;
  readonly venue: SimVenue;
  readonly clock: Clock;
  /** Named in the snapshot's source text. */
  readonly seed?: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
const compactDate = (d: IsoDate): string => d.replaceAll('-', '');
const isoDate = (yyyymmdd: string): IsoDate =>
  `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
const finiteOrNull = (x: number | undefined): number | null =>
  x !== undefined && Number.isFinite(x) ? x : null;

export function createSimMarketData(sim: SimMarketSource, calendar: TradingCalendar): MarketDataPort {
  const { market, venue, clock } = sim;

  const optionQuote = (c: SimContract): OptionQuote | null => {
    const q = market.quote(c.conId);
    if (q === undefined || q.bid === null || q.ask === null || c.strike === null || c.right === null)
      return null;
    const model = market.optionModel(c.conId);
    return {
      strike: c.strike,
      right: c.right,
      bid: toPriceCents(q.bid),
      ask: toPriceCents(q.ask),
      iv: finiteOrNull(model?.impliedVol),
      delta: finiteOrNull(model?.delta),
      // The model prices every quote at this instant.
      ageSeconds: 0,
      conId: c.conId,
    };
  };

  const chainContracts = (symbol: 'SPX' | 'VIX', tradingClass: string, expiry: IsoDate): SimContract[] =>
    market
      .findContracts({
        secType: 'OPT',
        symbol,
        tradingClass,
        lastTradeDateOrContractMonth: compactDate(expiry),
      })
      .filter((c) => c.strike !== null && c.right !== null);

  const quotesOf = (contracts: readonly SimContract[]): OptionQuote[] =>
    contracts.map(optionQuote).filter((q): q is OptionQuote => q !== null);

  const vxFutures = (): VxFuture[] =>
    market.vxCurve().map((p) => {
      // What a client sees: the future's last trade on the 0.05 tick, else the model's fair value.
      const last = market.quote(p.conId)?.last ?? null;
      return { expiry: p.expiry, price: last !== null && last > 0 ? last : round2(p.price) };
    });

  const vixChains = (
    today: IsoDate,
    futures: readonly VxFuture[],
    req: SnapshotRequest,
  ): VixOptionChain[] => {
    const [minDte, maxDte] = VIX_CHAIN_DTE_WINDOW;
    const held = new Set(req.hedgeBook.map((l) => `${l.tradingClass} ${l.expiry}`));
    const futureByExpiry = new Map(futures.map((f) => [f.expiry, f.price]));
    const chains: VixOptionChain[] = [];
    for (const e of market.registry.vixExpiries()) {
      const dte = calendarDaysBetween(today, e.expiry);
      const inWindow = dte >= minDte && dte <= maxDte;
      if (!inWindow && !held.has(`${e.tradingClass} ${e.expiry}`)) continue;
      const contracts = chainContracts('VIX', e.tradingClass, e.expiry);
      const first = contracts[0];
      // Weeklies have no VX future: the forward is the option model's underlying price.
      const und = first === undefined ? undefined : market.optionModel(first.conId)?.undPrice;
      const futurePrice = futureByExpiry.get(e.expiry) ?? (und === undefined ? null : round2(und));
      if (futurePrice === null || futurePrice <= 0) continue;
      chains.push({
        expiry: e.expiry,
        tradingClass: e.tradingClass,
        futurePrice,
        quotes: quotesOf(contracts),
      });
    }
    return chains.sort((a, b) =>
      a.expiry === b.expiry ? a.tradingClass.localeCompare(b.tradingClass) : a.expiry.localeCompare(b.expiry),
    );
  };

  const history = (today: IsoDate): DailyBar[] => {
    const bars = (symbol: 'SPX' | 'VIX' | 'AD-NYSE'): readonly SimBar[] =>
      market.dailyBars(market.registry.indexConId(symbol), today, HISTORY_SESSIONS);
    const vixByDate = new Map(bars('VIX').map((b) => [b.date, b.close]));
    const adByDate = new Map(bars('AD-NYSE').map((b) => [b.date, b.close]));
    const out: DailyBar[] = [];
    for (const b of bars('SPX')) {
      const vixClose = vixByDate.get(b.date);
      if (vixClose === undefined || vixClose <= 0 || b.close <= 0) continue;
      out.push({ date: isoDate(b.date), spxClose: b.close, vixClose, adLine: adByDate.get(b.date) ?? null });
    }
    return out;
  };

  const account = (): AccountState | null => {
    const values = venue.accountValues();
    const nlv = Number(values['NetLiquidation']);
    const available = Number(values['AvailableFunds']);
    if (!Number.isFinite(nlv) || !Number.isFinite(available)) return null;
    return {
      accountId: venue.account,
      netLiquidation: dollarsToCents(nlv),
      availableFunds: dollarsToCents(available),
    };
  };

  return {
    captureSnapshot(req) {
      const asOf = DateTime.fromMillis(clock.nowMs(), { zone: NY_ZONE }).toISO({
        suppressMilliseconds: true,
      });
      if (asOf === null) return Promise.reject(new Error(`clock time ${clock.nowMs()} cannot be formatted`));
      const today = nyDate(asOf);
      const spxwExpiry = calendar.nextTradingDay(today);
      const futures = vxFutures();
      const snapshot: MarketSnapshot = {
        schemaVersion: 1,
        asOf,
        source: `ironvix simulator${sim.seed === undefined ? '' : ` (seed ${sim.seed})`}`,
        spx: { spot: round2(market.spot('SPX')) },
        // The simulator prices with these constants; the snapshot carries the same ones.
        rates: { riskFree: RATE, spxDividendYield: SPX_DIVIDEND_YIELD },
        vix: {
          spot: round2(market.spot('VIX')),
          vix9d: round2(market.spot('VIX9D')),
          vix3m: round2(market.spot('VIX3M')),
        },
        spxw: { expiry: spxwExpiry, quotes: quotesOf(chainContracts('SPX', 'SPXW', spxwExpiry)) },
        vxFutures: futures,
        vixOptions: vixChains(today, futures, req),
        history: history(today),
        events: [...req.events],
        hedgeBook: [...req.hedgeBook],
        account: account(),
      };
      return Promise.resolve(snapshot);
    },
  };
}
