// MarketSnapshot: everything one cycle decides from, as plain data. Parsed from JSON at the
// boundary (src/config/snapshot-schema.ts); the domain trusts it.
import type { Cents, PriceCents } from './money.ts';
import type { IsoDate, OptionRight } from './instruments.ts';

export interface OptionQuote {
  readonly strike: number;
  readonly right: OptionRight;
  readonly bid: PriceCents;
  readonly ask: PriceCents;
  /** Implied vol as a decimal (0.18), in trading-time convention; null when the source gave none. */
  readonly iv: number | null;
  /** Signed delta (puts negative); null when the source gave none. */
  readonly delta: number | null;
  /** Seconds between the quote's time and the snapshot's asOf. */
  readonly ageSeconds: number;
  readonly conId?: number;
}

export interface SpxwChain {
  readonly expiry: IsoDate;
  readonly quotes: readonly OptionQuote[];
}

export interface VixOptionChain {
  readonly expiry: IsoDate;
  readonly tradingClass: 'VIX' | 'VIXW';
  /** The VX future of the same expiry, the Black-76 forward. */
  readonly futurePrice: number;
  readonly quotes: readonly OptionQuote[];
}

export interface VxFuture {
  readonly expiry: IsoDate;
  readonly price: number;
}

export interface DailyBar {
  readonly date: IsoDate;
  readonly spxClose: number;
  readonly vixClose: number;
  /** Cumulative NYSE advance-decline line; null where no breadth data exists. */
  readonly adLine: number | null;
}

export type EventKind = 'FOMC' | 'CPI' | 'PPI';

export interface MarketEvent {
  readonly date: IsoDate;
  readonly kind: EventKind;
  readonly note?: string;
}

/** A hedge layer already held (from the journal / broker positions). */
export interface HeldLayer {
  readonly layerId: string;
  readonly templateId: string;
  readonly kind: 'call' | 'callSpread';
  readonly tradingClass: 'VIX' | 'VIXW';
  readonly expiry: IsoDate;
  readonly longStrike: number;
  /** Only for call spreads. */
  readonly shortStrike: number | null;
  readonly quantity: number;
  /** What was paid per unit when opened (spread: net debit). */
  readonly entryPrice: PriceCents;
  readonly openedOn: IsoDate;
}

/**
 * An SPXW iron condor sold at an earlier cycle and not yet settled (from the journal / the broker's
 * positions): the previous cycle's condor is still open for minutes at the entry time.
 */
export interface OpenCondor {
  /** The plan that sold it. */
  readonly planId: string;
  readonly expiry: IsoDate;
  readonly shortPut: number;
  readonly longPut: number;
  readonly shortCall: number;
  readonly longCall: number;
  readonly quantity: number;
  /** The credit filled per unit (the average over its fills). */
  readonly credit: PriceCents;
  readonly openedOn: IsoDate;
}

export interface AccountState {
  readonly accountId: string;
  readonly netLiquidation: Cents;
  readonly availableFunds: Cents;
}

export interface MarketSnapshot {
  readonly schemaVersion: 1;
  /** ISO timestamp with offset, New York local time of the cycle (e.g. 2026-03-17T15:45:00-04:00). */
  readonly asOf: string;
  /** Free text: where this snapshot came from (generator seed, gateway, replay file). */
  readonly source: string;
  readonly spx: { readonly spot: number };
  readonly rates: { readonly riskFree: number; readonly spxDividendYield: number };
  readonly vix: { readonly spot: number; readonly vix9d: number | null; readonly vix3m: number | null };
  readonly spxw: SpxwChain;
  readonly vxFutures: readonly VxFuture[];
  readonly vixOptions: readonly VixOptionChain[];
  /** Oldest first; the last bar is the most recent completed session (or today's close so far). */
  readonly history: readonly DailyBar[];
  readonly events: readonly MarketEvent[];
  /**
   * The last date the event calendar behind `events` covers. Absent: the last listed event's date.
   * A cycle whose expiry lies beyond it cannot know its events (docs/strategy.md, event days).
   */
  readonly eventsCoveredThrough?: IsoDate;
  readonly hedgeBook: readonly HeldLayer[];
  /**
   * Condors of earlier cycles not yet settled (docs/strategy.md section 3: the previous cycle's
   * condor counts in the requirement until it settles). Absent in older snapshot files: none.
   */
  readonly openCondors?: readonly OpenCondor[];
  readonly account: AccountState | null;
}
