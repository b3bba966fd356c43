// A simulator engine in-process (no TCP) on a virtual clock, with a memory gateway and market data.
import assert from 'node:assert/strict';
import { launchSimEngine } from '../../../src/cli/wiring/simulator.ts';
import type { OptionContract } from '../../../src/domain/instruments.ts';
import { vixOption } from '../../../src/domain/instruments.ts';
import type { PriceCents } from '../../../src/domain/money.ts';
import type { BrokerEvent, BrokerPort, BrokerResult, OrderIntent } from '../../../src/ports/broker.ts';
import type { ManualClock } from '../../../src/ports/clock.ts';
import type { MarketDataQuery } from '../../../src/ports/market-data.ts';
import { createMemoryGateway } from '../../../src/adapters/memory/memory-broker.ts';
import type { MemoryBroker, MemoryGateway } from '../../../src/adapters/memory/memory-broker.ts';
import { createMemoryMarketData } from '../../../src/adapters/memory/memory-market-data.ts';
import type { SimEngine } from '../../../src/sim/simulator.ts';

/** Friday 2025-01-10, 10:00 New York. */
export const START = '2025-01-10T10:00';

export interface MemoryRig {
  readonly engine: SimEngine<ManualClock>;
  readonly gateway: MemoryGateway;
  readonly broker: MemoryBroker;
  readonly data: MarketDataQuery;
  readonly events: BrokerEvent[];
  stop(): Promise<void>;
}

export async function memoryRig(seed = 7): Promise<MemoryRig> {
  const engine = launchSimEngine({ virtualTime: true, startAt: START, seed });
  const gateway = createMemoryGateway({
    venue: engine.venue,
    market: engine.market,
    clock: engine.clock,
    faults: engine.faults,
  });
  const broker = gateway.broker({ clientId: 7 });
  const events: BrokerEvent[] = [];
  broker.onEvent((e) => events.push(e));
  const r = await broker.connect();
  assert.ok(r.ok, 'connects');
  return {
    engine,
    gateway,
    broker,
    data: createMemoryMarketData(engine),
    events,
    async stop() {
      await broker.disconnect();
      engine.stop();
    },
  };
}

export function ok<T>(r: BrokerResult<T>): T {
  if (!r.ok) assert.fail(JSON.stringify(r.error));
  return r.value;
}

export interface Quoted {
  readonly contract: OptionContract;
  readonly bid: PriceCents;
  readonly ask: PriceCents;
}

/** Quoted VIX monthly calls a week or more out, from the money up. */
export async function vixCalls(r: MemoryRig): Promise<Quoted[]> {
  const chains = ok(await r.data.optionChains('VIX'));
  const monthly = chains.find((c) => c.tradingClass === 'VIX')!;
  const today = r.engine.market.tradingDate();
  const expiry = monthly.expirations.find(
    (e) => e > today && Date.parse(e) - Date.parse(today) >= 7 * 864e5,
  )!;
  const vix = r.engine.market.spot('VIX');
  const strikes = monthly.strikes.filter((s) => s >= vix - 1).slice(0, 8);
  const qs = ok(await r.data.optionQuotes(strikes.map((s) => vixOption('VIX', expiry, s, 'C'))));
  return qs
    .filter((q) => q.bid !== null && q.ask !== null && q.bid > 0)
    .map((q) => ({ contract: q.contract, bid: q.bid!, ask: q.ask! }));
}

export function intent(
  broker: BrokerPort,
  orderRef: string,
  contract: OrderIntent['contract'],
  action: 'BUY' | 'SELL',
  quantity: number,
  limitPrice: PriceCents,
): OrderIntent {
  return {
    orderId: broker.nextOrderId(),
    orderRef,
    account: 'DU1234567',
    contract,
    action,
    quantity,
    limitPrice,
  };
}
