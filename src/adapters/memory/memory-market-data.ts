// The market-data query over the simulator's market in-process. It answers what the IB adapter makes
// of the same simulator over TCP (src/adapters/ib/ib-market-data.ts): quote snapshots with bid/ask in
// price cents and the underlying price the option model quotes against (VIX options: their VX
// future; weeklies: the model's own underlying), index quotes (AD-NYSE: advancers as bid, decliners
// as ask), chains from the listing (reqSecDefOptParams: SPXW for SPX, VIX and VIXW for VIX, the SMART
// row), daily closes, the VX curve and the account. Snapshots are built by src/app/capture-snapshot.ts.
import type { IndexSymbol, IsoDate, OptionContract } from '../../domain/instruments.ts';
import { err, ok } from '../../domain/result.ts';
import type { Clock } from '../../ports/clock.ts';
import type { AccountReport, BrokerResult } from '../../ports/broker.ts';
import type {
  DailyClose,
  FutureQuote,
  IndexQuote,
  MarketDataQuery,
  OptionChainDefinition,
  OptionMarketQuote,
} from '../../ports/market-data.ts';
import type { SimMarket, SimQuote, SimVenue } from '../../sim/engine-api.ts';
import { accountFromSim, priceCentsFromSim } from './from-sim.ts';
import { optionQuery } from './memory-broker.ts';

export interface MemoryMarketDataOptions {
  readonly market: SimMarket;
  readonly venue: SimVenue;
  readonly clock: Clock;
  /** Named in a snapshot's `source` (default "ironvix simulator (in-process)"). */
  readonly name?: string;
}

/** The simulator's index conIds by symbol (what reqContractDetails IND answers). */
const INDEX_QUERY: Readonly<Record<IndexSymbol, { symbol: string; exchange: string }>> = {
  SPX: { symbol: 'SPX', exchange: 'CBOE' },
  VIX: { symbol: 'VIX', exchange: 'CBOE' },
  VIX9D: { symbol: 'VIX9D', exchange: 'CBOE' },
  VIX3M: { symbol: 'VIX3M', exchange: 'CBOE' },
  'AD-NYSE': { symbol: 'AD-NYSE', exchange: 'NYSE' },
  VRO: { symbol: 'VRO', exchange: 'CBOE' },
};

const isoOf = (yyyymmdd: string): IsoDate =>
  `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;

/** IB sends no price (or -1) for a side without a market, and an ask or last of 0 means none. */
function side(x: number | null, which: 'bid' | 'ask' | 'last'): number | null {
  if (x === null || !Number.isFinite(x) || x < 0) return null;
  if (x === 0 && which !== 'bid') return null;
  return x;
}

export function createMemoryMarketData(opts: MemoryMarketDataOptions): MarketDataQuery {
  const { market, venue, clock } = opts;

  const indexConId = (symbol: IndexSymbol): number | null => {
    const q = INDEX_QUERY[symbol];
    const found = market.findContracts({ symbol: q.symbol, secType: 'IND', exchange: q.exchange });
    return found.length === 1 ? found[0]!.conId : null;
  };
  const noDefinition = (what: string): BrokerResult<never> =>
    err({ kind: 'error', code: 200, text: `${what}: No security definition has been found for the request` });

  const quoteOf = (conId: number): SimQuote | undefined => market.quote(conId);

  return {
    name: opts.name ?? 'ironvix simulator (in-process)',

    serverTimeMs: () => Promise.resolve(ok(Math.floor(clock.nowMs() / 1000) * 1000)),

    indexQuotes(symbols) {
      const out: IndexQuote[] = [];
      for (const symbol of symbols) {
        const conId = indexConId(symbol);
        if (conId === null) return Promise.resolve(noDefinition(`index ${symbol}`));
        const q = quoteOf(conId);
        out.push({
          symbol,
          last: side(q?.last ?? null, 'last'),
          bid: side(q?.bid ?? null, 'bid'),
          ask: side(q?.ask ?? null, 'ask'),
          close: side(q?.close ?? null, 'last'),
          timeMs: null,
        });
      }
      return Promise.resolve(ok(out));
    },

    optionChains(symbol) {
      const conId = indexConId(symbol);
      if (conId === null) return Promise.resolve(noDefinition(`option chains of ${symbol}`));
      const rows = market.secDefOptParams(symbol, conId);
      const wanted: readonly ('SPXW' | 'VIX' | 'VIXW')[] = symbol === 'SPX' ? ['SPXW'] : ['VIX', 'VIXW'];
      const out: OptionChainDefinition[] = [];
      for (const tradingClass of wanted) {
        const mine = rows.filter((p) => p.tradingClass === tradingClass);
        // Every exchange lists the same series; SMART first, where ironvix routes.
        const row =
          mine.find((p) => p.exchange === 'SMART') ?? mine.find((p) => p.exchange === 'CBOE') ?? mine[0];
        if (row === undefined) continue;
        out.push({
          symbol,
          tradingClass,
          exchange: row.exchange,
          multiplier: row.multiplier > 0 ? row.multiplier : 100,
          expirations: [...new Set(row.expirations.map(isoOf))].sort(),
          strikes: [...new Set(row.strikes.filter((s) => Number.isFinite(s) && s > 0))].sort((a, b) => a - b),
        });
      }
      return Promise.resolve(ok(out));
    },

    optionQuotes(contracts: readonly OptionContract[]) {
      const out: OptionMarketQuote[] = [];
      for (const contract of contracts) {
        const found = market.findContracts(optionQuery(contract));
        if (found.length !== 1) continue;
        const conId = found[0]!.conId;
        const q = quoteOf(conId);
        const und = market.optionModel(conId)?.undPrice;
        out.push({
          contract,
          conId,
          bid: priceCentsFromSim(side(q?.bid ?? null, 'bid')),
          ask: priceCentsFromSim(side(q?.ask ?? null, 'ask')),
          underlyingPrice: und !== undefined && Number.isFinite(und) && und > 0 ? und : null,
          timeMs: null,
        });
      }
      if (out.length > 0 && out.every((q) => q.bid === null && q.ask === null))
        return Promise.resolve(
          err({
            kind: 'error',
            code: 0,
            text: `no bid or ask for any of the ${out.length} options asked: the market may be closed`,
          }),
        );
      return Promise.resolve(ok(out));
    },

    vxFutures() {
      const futures = market
        .findContracts({ symbol: 'VIX', secType: 'FUT', exchange: 'CFE' })
        .filter((c) => c.expiry !== null && (c.tradingClass === '' || c.tradingClass === 'VX'))
        .sort((a, b) => (a.expiry ?? '').localeCompare(b.expiry ?? ''));
      const out: FutureQuote[] = futures.map((c) => {
        const q = quoteOf(c.conId);
        return {
          symbol: 'VIX',
          expiry: c.expiry ?? '',
          last: side(q?.last ?? null, 'last'),
          bid: side(q?.bid ?? null, 'bid'),
          ask: side(q?.ask ?? null, 'ask'),
          close: side(q?.close ?? null, 'last'),
          timeMs: null,
        };
      });
      return Promise.resolve(ok(out));
    },

    dailyCloses(symbol, endDate, sessions) {
      if (!Number.isInteger(sessions) || sessions <= 0) return Promise.resolve(ok([]));
      const conId = indexConId(symbol);
      if (conId === null) return Promise.resolve(noDefinition(`daily closes of ${symbol}`));
      const out: DailyClose[] = market
        .dailyBars(conId, endDate, sessions)
        .map((b) => ({ date: isoOf(b.date), close: b.close }))
        .filter((b) => b.date <= endDate && Number.isFinite(b.close));
      return Promise.resolve(ok(out.slice(Math.max(0, out.length - sessions))));
    },

    account() {
      const a: AccountReport | null = accountFromSim(venue.account, venue.accountValues());
      return Promise.resolve(
        a === null ? err({ kind: 'error', code: 0, text: 'the account values are incomplete' }) : ok(a),
      );
    },
  };
}
