// A settlement point (app/daemon-settlement.ts) over fakes: the SPX close of an expired condor's
// expiry is read from the daily bar and journaled once, a VIX layer's SOQ from VRO's; an expired
// contract the broker still holds, or a missing bar, comes back as a problem and nothing is booked
// for it. Over TCP: the simulator's VRO bars are the SOQs its venue settles with.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createVirtualClock } from '../../src/adapters/clock/virtual-clock.ts';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { journalSettlements } from '../../src/app/daemon-settlement.ts';
import { journaledSettlementValues } from '../../src/app/report.ts';
import type { PositionReport } from '../../src/domain/broker-reports.ts';
import type { DailyClose } from '../../src/ports/market-data.ts';
import { cents } from '../../src/domain/money.ts';
import { intentFor, legExecutions, samplePlan } from '../support/journal-fixtures.ts';
import { testCalendar } from '../support/snapshot-factory.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import { openGateway } from '../../src/cli/wiring/gateway.ts';
import { launchSimulator } from '../../src/cli/wiring/simulator.ts';

const plan = samplePlan();
const expiry = plan.condor!.expiry;

function journalWithCondor() {
  const j = createMemoryJournal('sim');
  j.append({ type: 'plan-started', plan, atMs: 0 });
  const intent = intentFor(plan, 'condor', 101);
  j.append({ type: 'order-intended', intent, atMs: 0 });
  for (const x of legExecutions(intent, 2, { permId: 9, execPrefix: '0001', timeMs: 0 }))
    j.append({ type: 'execution', execution: x, atMs: 0 });
  return j;
}

function deps(opts: { held?: PositionReport[]; bars?: DailyClose[]; atIso?: string }) {
  const journal = journalWithCondor();
  const asked: string[] = [];
  return {
    journal,
    asked,
    d: {
      journal,
      clock: createVirtualClock(Date.parse(opts.atIso ?? `${expiry}T20:15:00Z`)),
      calendar: testCalendar(),
      broker: { positions: () => Promise.resolve({ ok: true as const, value: opts.held ?? [] }) },
      marketData: {
        dailyCloses: (symbol: string, end: string) => {
          asked.push(`${symbol} ${end}`);
          return Promise.resolve({ ok: true as const, value: opts.bars ?? [] });
        },
      },
    },
  };
}

describe('a settlement point', () => {
  it('journals the SPX close of the expiry from the daily bar, once', async () => {
    const { d, journal, asked } = deps({ bars: [{ date: expiry, close: 6012.34 }] });
    const first = await journalSettlements(d);
    assert.deepEqual(first, { journaled: [`SPX-PM ${expiry} 6012.34`], problems: [] });
    assert.deepEqual(asked, [`SPX ${expiry}`]);
    const values = journaledSettlementValues(journal);
    assert.deepEqual(values, [{ style: 'SPX-PM', date: expiry, value: 6012.34, source: 'ib daily bar SPX' }]);
    const again = await journalSettlements(d);
    assert.deepEqual(again, { journaled: [], problems: [] });
    assert.equal(asked.length, 1, 'a known value is not asked again');
  });

  it('before the close nothing is due and nothing is asked', async () => {
    const { d, asked } = deps({ atIso: `${expiry}T19:00:00Z`, bars: [{ date: expiry, close: 1 }] });
    assert.deepEqual(await journalSettlements(d), { journaled: [], problems: [] });
    assert.equal(asked.length, 0);
  });

  it('an expired leg the broker still holds is a problem, not a booking', async () => {
    const leg = plan.condor !== null ? plan.orders.find((o) => o.key === 'condor')!.legs[0]!.contract : null;
    assert.ok(leg !== null);
    const held: PositionReport[] = [
      {
        account: 'DU1234567',
        contract: { kind: 'option', contract: leg },
        quantity: -2,
        avgCost: cents(100),
      },
    ];
    const { d } = deps({ held, bars: [{ date: expiry, close: 6012.34 }] });
    const r = await journalSettlements(d);
    assert.ok(
      r.problems.some((p) => /broker still reports -2/.test(p)),
      r.problems.join('\n'),
    );
  });

  it('no bar for the expiry yet: the value is missing, said so, nothing journaled', async () => {
    const { d, journal } = deps({ bars: [] });
    const r = await journalSettlements(d);
    assert.deepEqual(r.journaled, []);
    assert.ok(
      r.problems.some((p) => /SPX official close of .* is not known/.test(p)),
      r.problems.join('\n'),
    );
    assert.ok(r.problems.some((p) => /no SPX daily bar/.test(p)));
    assert.deepEqual(journaledSettlementValues(journal), []);
  });
});

describe('VIX AM settlement from VRO', () => {
  it('an expired VIX layer books the SOQ from the VRO daily bar', async () => {
    const intent = intentFor(plan, 'hedge:A:open', 102);
    const vixExpiry = plan.orders.find((o) => o.key === 'hedge:A:open')!.legs[0]!.contract.expiry;
    const journal = createMemoryJournal('sim');
    journal.append({ type: 'plan-started', plan, atMs: 0 });
    journal.append({ type: 'order-intended', intent, atMs: 0 });
    for (const x of legExecutions(intent, 3, { permId: 8, execPrefix: '0002', timeMs: 0 }))
      journal.append({ type: 'execution', execution: x, atMs: 0 });
    const asked: string[] = [];
    const r = await journalSettlements({
      journal,
      // 10:00 New York on the expiry morning: after the 09:30 SOQ.
      clock: createVirtualClock(Date.parse(`${vixExpiry}T14:00:00Z`)),
      calendar: testCalendar(),
      broker: { positions: () => Promise.resolve({ ok: true as const, value: [] }) },
      marketData: {
        dailyCloses: (symbol: string, end: string) => {
          asked.push(`${symbol} ${end}`);
          return Promise.resolve({ ok: true as const, value: [{ date: vixExpiry, close: 17.45 }] });
        },
      },
    });
    assert.ok(asked.includes(`VRO ${vixExpiry}`), asked.join());
    assert.ok(r.journaled.includes(`VIX-AM ${vixExpiry} 17.45`), r.journaled.join());
    assert.ok(
      journaledSettlementValues(journal).some(
        (v) => v.style === 'VIX-AM' && v.value === 17.45 && v.source === 'ib daily bar VRO',
      ),
    );
  });

  it("over TCP, the simulator's VRO daily bars are its VIX SOQs (what its venue settles with)", async () => {
    const sim = await launchSimulator({ virtualTime: true, startAt: '2026-03-16T15:45', seed: 3, port: 0 });
    const gateway = await openGateway({
      host: sim.host,
      port: sim.port,
      clientId: 31,
      account: null,
      mode: 'sim',
      purpose: 'read',
      logger: silentLogger,
      pacing: LIFTED_PACING_LIMITS,
    });
    try {
      for (let i = 0; i < 3; i++) sim.clock.advance(24 * 3600_000);
      const bars = await gateway.marketData.dailyCloses('VRO', '2026-03-19', 6);
      assert.ok(bars.ok, bars.ok ? '' : JSON.stringify(bars.error));
      if (!bars.ok) return;
      assert.equal(bars.value.length, 6);
      assert.ok(
        bars.value.some((b) => b.date === '2026-03-19'),
        'a live session',
      );
      for (const b of bars.value)
        assert.equal(
          Math.round(b.close * 100),
          Math.round((sim.market.settlementValue('VIX-SOQ', b.date) ?? NaN) * 100),
          b.date,
        );
    } finally {
      await gateway.close();
      await sim.close();
    }
  });
});
