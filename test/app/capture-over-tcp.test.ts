// One snapshot builder over two sources: the simulator's state read in-process (memory market data)
// and over TCP through the IB adapter and @stoqey/ib give the same snapshot; a link that drops in
// the middle of a capture fails it whole (never a half snapshot), and the next capture completes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import { createMemoryMarketData } from '../../src/adapters/memory/memory-market-data.ts';
import type { CaptureOptions } from '../../src/app/capture-snapshot.ts';
import { captureSnapshot } from '../../src/app/capture-snapshot.ts';
import { serializeSnapshot } from '../../src/config/snapshot-file.ts';
import type { Gateway } from '../../src/cli/wiring/gateway.ts';
import { openGateway } from '../../src/cli/wiring/gateway.ts';
import { launchSimulator, simCalendar } from '../../src/cli/wiring/simulator.ts';
import type { ManualClock } from '../../src/ports/clock.ts';
import type { RunningSimulator } from '../../src/sim/simulator.ts';

const CLIENT_ID = 23;
const OPTIONS: CaptureOptions = {
  calendar: simCalendar(),
  events: [{ date: '2026-03-18', kind: 'FOMC' }],
  hedgeBook: [],
  rates: { riskFree: 0.04, spxDividendYield: 0.013 },
  vixDteWindow: [14, 45],
};

describe('snapshot capture: in-process and over TCP', () => {
  let sim: RunningSimulator<ManualClock>;
  let gateway: Gateway;
  before(async () => {
    sim = await launchSimulator({
      virtualTime: true,
      startAt: '2026-03-16T15:45',
      seed: 11,
      port: 0,
      limits: { maxMessagesPerSecond: 1_000_000, maxMarketDataLines: 1_000_000 },
    });
    gateway = await openGateway({
      host: sim.host,
      port: sim.port,
      clientId: CLIENT_ID,
      account: null,
      mode: 'sim',
      purpose: 'read',
      logger: silentLogger,
      pacing: LIFTED_PACING_LIMITS,
    });
  });
  after(async () => {
    await gateway.close();
    await sim.close();
  });

  test('the same simulator state gives the same snapshot in-process and through @stoqey/ib over TCP', async () => {
    const inProcess = await captureSnapshot(createMemoryMarketData(sim), OPTIONS);
    const overTcp = await captureSnapshot(gateway.marketData, OPTIONS);
    assert.ok(inProcess.ok, inProcess.ok ? '' : inProcess.error.detail);
    assert.ok(overTcp.ok, overTcp.ok ? '' : overTcp.error.detail);
    const a = serializeSnapshot(inProcess.value) as Record<string, unknown>;
    const b = serializeSnapshot(overTcp.value) as Record<string, unknown>;
    // Only the name of the source differs.
    assert.notEqual(a['source'], b['source']);
    assert.deepEqual({ ...a, source: '' }, { ...b, source: '' });
    // Not vacuous: a full chain, VIX chains and the history the signals need.
    assert.ok(overTcp.value.spxw.quotes.length > 100);
    assert.ok(overTcp.value.vixOptions.length > 0);
    assert.equal(overTcp.value.history.length, 300);
    assert.equal(overTcp.value.asOf, '2026-03-16T15:45:00-04:00');
  });

  test('the link dropping in the middle of a capture fails it whole, and the next capture completes', async () => {
    // Drop this client's connection at the 40th message the simulator would send it: mid-chain.
    sim.faults.arm({ kind: 'dropAtMessage', n: 40, clientId: CLIENT_ID });
    const cut = await captureSnapshot(gateway.marketData, OPTIONS);
    assert.equal(cut.ok, false, 'a capture across a dropped link must not return a snapshot');
    if (!cut.ok) assert.match(cut.error.detail, /link lost|no answer|disconnected/);
    // The adapter reconnects with the same client id (connect() waits for it); the capture then completes.
    const back = await gateway.broker.connect();
    assert.ok(back.ok);
    const again = await captureSnapshot(gateway.marketData, OPTIONS);
    assert.ok(again.ok, again.ok ? '' : again.error.detail);
    assert.equal(again.value.history.length, 300);
  });
});
