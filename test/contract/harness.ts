// What the broker contract suite needs from an implementation (LEAN's BrokerageTests model): a
// connected BrokerPort, a MarketDataQuery on the same market to price orders, and controls over the
// venue. A control an implementation cannot offer is null and the cases that need it are skipped
// for it, with the reason (a real paper gateway cannot duplicate executions on demand).
import type { BrokerPort } from '../../src/ports/broker.ts';
import type { MarketDataQuery } from '../../src/ports/market-data.ts';

export interface ArmedFault {
  /** How many times the fault took effect so far (a case asserts it did, so it cannot pass vacuously). */
  fired(): number;
}

export interface HarnessControls {
  /** Lets market time pass (simulator: advance its virtual clock; a real gateway: wait). */
  advance(ms: number): Promise<void>;
  /** Drops the broker's connection (a network failure, not a logout); the broker reconnects by itself. */
  dropLink(): Promise<void>;
  /**
   * A process restart: the current broker disconnects and a new one connects to the same gateway with
   * the same client id, knowing nothing. Returns it; the harness's `broker` is the new one from then on.
   */
  restartClient(): Promise<BrokerPort>;
  /** Restarts the gateway: every connection drops and IB's order ids start over. */
  readonly restartGateway: (() => Promise<void>) | null;
  /** The next new order is rejected for margin (IB 201). */
  readonly rejectNextOrderForMargin: (() => ArmedFault) | null;
  /** Every execution is reported twice with the same execId. */
  readonly duplicateExecutions: (() => ArmedFault) | null;
  /** The next order works at the venue but its acknowledgements (openOrder, orderStatus) never arrive. */
  readonly dropNextAcks: (() => ArmedFault) | null;
  /** What-if answers come without margin numbers (IB's first answer sometimes), or are refused (360). */
  readonly whatIfFault: ((kind: 'no-margin' | 'refused') => ArmedFault) | null;
  /** A combo larger than the venue shows fills in several slices: the quantity that guarantees a partial. */
  readonly partialFillQuantity: number | null;
}

export interface BrokerHarness {
  /** The broker under test (changes after controls.restartClient()). */
  readonly broker: BrokerPort;
  readonly marketData: MarketDataQuery;
  /** The account orders are placed in. */
  readonly account: string;
  readonly controls: HarnessControls;
  /** Cases this implementation is known to fail today, with the issue that fixes them (run as todo). */
  readonly knownGaps: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

export type HarnessFactory = () => Promise<BrokerHarness>;
