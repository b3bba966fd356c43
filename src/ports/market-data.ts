// The market-data query interface: small enough that IB (src/adapters/ib) and the simulator
// in-process (src/adapters/memory) both implement it. The one snapshot builder
// (src/app/capture-snapshot.ts) composes a MarketSnapshot from these answers; it solves implied
// vols itself, in trading time, so nothing of a source's own option model enters a snapshot
// except the underlying price a source quotes an option against.
import type { IndexSymbol, IsoDate, OptionContract } from '../domain/instruments.ts';
import type { PriceCents } from '../domain/money.ts';
import type { AccountReport, BrokerResult } from './broker.ts';

export interface IndexQuote {
  readonly symbol: IndexSymbol;
  /** Last value; for AD-NYSE IB quotes advancers as bid and decliners as ask instead. */
  readonly last: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
  /** Previous session's close. */
  readonly close: number | null;
  readonly timeMs: number | null;
}

/** One listed option class (reqSecDefOptParams): its expiries and strikes, never generated. */
export interface OptionChainDefinition {
  readonly symbol: 'SPX' | 'VIX';
  readonly tradingClass: 'SPXW' | 'VIX' | 'VIXW';
  readonly exchange: string;
  readonly multiplier: number;
  readonly expirations: readonly IsoDate[];
  readonly strikes: readonly number[];
}

export interface OptionMarketQuote {
  readonly contract: OptionContract;
  /** The broker's contract id when known (journal, positions); null otherwise. */
  readonly conId: number | null;
  readonly bid: PriceCents | null;
  readonly ask: PriceCents | null;
  /** The price the source quotes the option against (VIX: the VX future of its expiry); null if none. */
  readonly underlyingPrice: number | null;
  /** When the quote was last updated; null when the source does not say. */
  readonly timeMs: number | null;
}

export interface FutureQuote {
  readonly symbol: 'VIX';
  readonly expiry: IsoDate;
  readonly last: number | null;
  readonly bid: number | null;
  readonly ask: number | null;
  readonly close: number | null;
  readonly timeMs: number | null;
}

export interface DailyClose {
  readonly date: IsoDate;
  readonly close: number;
}

export interface MarketDataQuery {
  /** Named in a snapshot's `source` ("ib 127.0.0.1:4002", "simulator seed 42"). */
  readonly name: string;
  /** The source's clock: a snapshot's asOf. */
  serverTimeMs(): Promise<BrokerResult<number>>;
  indexQuotes(symbols: readonly IndexSymbol[]): Promise<BrokerResult<readonly IndexQuote[]>>;
  optionChains(symbol: 'SPX' | 'VIX'): Promise<BrokerResult<readonly OptionChainDefinition[]>>;
  /** Quotes for listed contracts; a contract the source does not list is left out of the answer. */
  optionQuotes(contracts: readonly OptionContract[]): Promise<BrokerResult<readonly OptionMarketQuote[]>>;
  /** The VX futures curve, nearest expiry first. */
  vxFutures(): Promise<BrokerResult<readonly FutureQuote[]>>;
  /** Daily closes of an index up to and including endDate, oldest first, at most `sessions`. */
  dailyCloses(
    symbol: IndexSymbol,
    endDate: IsoDate,
    sessions: number,
  ): Promise<BrokerResult<readonly DailyClose[]>>;
  /** The account's values; null where the source has no account (a recorded file). */
  account(): Promise<BrokerResult<AccountReport | null>>;
}
