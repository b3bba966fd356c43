// Market data port: one complete MarketSnapshot at the source's current time. The simulator adapter
// reads the in-process market; the IB adapter will ask the gateway over the wire.
import type { HeldLayer, MarketEvent, MarketSnapshot } from '../domain/snapshot.ts';

export interface SnapshotRequest {
  /** Event calendar to carry in the snapshot (the market source has none of its own). */
  readonly events: readonly MarketEvent[];
  /** Hedge layers already held (journal / broker positions); their VIX chains are captured too. */
  readonly hedgeBook: readonly HeldLayer[];
}

export interface MarketDataPort {
  captureSnapshot(req: SnapshotRequest): Promise<MarketSnapshot>;
}
