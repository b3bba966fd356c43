// reqMarketRule and reqHeadTimestamp against the full simulator on a virtual clock, through the
// unmodified @stoqey/ib client: rule ids from contract details resolve to the venues' tick rules,
// and the head timestamp is the first day of the market's daily history.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import type { Contract, ContractDetails } from '@stoqey/ib';
import { DateTime } from 'luxon';
import { tickSizeCents } from '../../../src/domain/instruments.ts';
import type { TickVenue } from '../../../src/domain/instruments.ts';
import { SPX_CONID, VIX_CONID } from '../../../src/sim/market/contracts.ts';
import type { TestClient } from '../support/harness.ts';
import { withRealSim } from '../support/real-sim.ts';

interface PriceIncrement {
  readonly lowEdge: number;
  readonly increment: number;
}

const spxIndex: Contract = { symbol: 'SPX', secType: 'IND' as never, exchange: 'CBOE', currency: 'USD' };

async function details(c: TestClient, reqId: number, contract: Contract): Promise<ContractDetails> {
  c.ib.reqContractDetails(reqId, contract);
  await c.waitFor(EventName.contractDetailsEnd, ([r]) => r === reqId);
  const d = c.all(EventName.contractDetails).find(([r]) => r === reqId)?.[1] as ContractDetails | undefined;
  assert.ok(d !== undefined, `no contract details for request ${reqId}`);
  return d;
}

async function rule(c: TestClient, id: number): Promise<readonly PriceIncrement[]> {
  const since = c.mark();
  c.ib.reqMarketRule(id);
  const [, increments] = await c.waitFor(EventName.marketRule, ([r]) => r === id, since);
  return increments as readonly PriceIncrement[];
}

/** The increment a rule gives at a price: the band with the highest low edge at or below it. */
function incrementAt(rules: readonly PriceIncrement[], price: number): number {
  const band = rules.filter((p) => p.lowEdge <= price).sort((a, b) => b.lowEdge - a.lowEdge)[0];
  assert.ok(band !== undefined, `no band covers ${price}`);
  return band.increment;
}

/** Each sample price gets the domain's tick size (the rule IB rejects limits with, error 110). */
function assertMatchesTickRule(rules: readonly PriceIncrement[], venue: TickVenue): void {
  for (const price of [0.05, 1.5, 2.95, 2.99, 3, 3.5, 12, 40]) {
    const ruleCents = Math.round(incrementAt(rules, price) * 100);
    assert.equal(ruleCents, tickSizeCents(venue, Math.round(price * 100)), `${venue} at ${price}`);
  }
}

describe('reqMarketRule', () => {
  for (const serverVersion of [178, 193] as const) {
    it(`resolves the rule ids in SPXW and VIX option details to their tick rules (v${serverVersion})`, async () => {
      await withRealSim({ serverVersion }, async ({ sim, client, spxw }) => {
        const c = client(1);
        await c.connect();
        const put = spxw('P', 5900);
        const spxwDetails = await details(c, 1, { conId: put.conId, exchange: 'SMART' });
        const spxwIds = (spxwDetails.marketRuleIds ?? '').split(',').filter((s) => s !== '');
        assert.ok(spxwIds.length > 0, 'SPXW details carry market rule ids');
        for (const id of new Set(spxwIds)) assertMatchesTickRule(await rule(c, Number(id)), 'SPXW');

        const vixOpt = sim.market
          .findContracts({ symbol: 'VIX', secType: 'OPT', tradingClass: 'VIX' })
          .find((o) => o.underConId === VIX_CONID);
        assert.ok(vixOpt !== undefined, 'a VIX option is listed');
        const vixDetails = await details(c, 2, { conId: vixOpt.conId, exchange: 'SMART' });
        const vixIds = (vixDetails.marketRuleIds ?? '').split(',').filter((s) => s !== '');
        assert.ok(vixIds.length > 0, 'VIX option details carry market rule ids');
        for (const id of new Set(vixIds)) assertMatchesTickRule(await rule(c, Number(id)), 'VIX');
        assert.deepEqual(c.errors, []);
      });
    });
  }

  it('answers an unknown rule id with error 321 (id -1) instead of silence', async () => {
    await withRealSim({}, async ({ client }) => {
      const c = client(1);
      await c.connect();
      const since = c.mark();
      c.ib.reqMarketRule(987654);
      await c.sync();
      assert.equal(c.count(EventName.marketRule, since), 0);
      // The request has no id, so the error carries -1, which stoqey reports as info, not error.
      const info = c.infos.find((i) => i.code === 321 && i.message.includes('987654'));
      assert.ok(info !== undefined, `infos: ${JSON.stringify(c.infos)}`);
    });
  });
});

describe('reqHeadTimestamp', () => {
  it('returns the first daily SPX bar (09:30 New York) in UTC text and as epoch seconds', async () => {
    await withRealSim({}, async ({ sim, clock, client }) => {
      const c = client(1);
      await c.connect();
      const today = DateTime.fromMillis(clock.nowMs(), { zone: 'America/New_York' }).toISODate() ?? '';
      const first = sim.market.dailyBars(SPX_CONID, today, 1_000_000)[0];
      assert.ok(first !== undefined, 'SPX has daily history');
      assert.ok(first.date < today.replaceAll('-', ''), 'history starts before today');
      const open = DateTime.fromFormat(`${first.date} 09:30`, 'yyyyMMdd HH:mm', { zone: 'America/New_York' });

      c.ib.reqHeadTimestamp(11, spxIndex, 'TRADES', true, 1);
      const [, text] = await c.waitFor(EventName.headTimestamp, ([r]) => r === 11);
      assert.equal(text, open.toUTC().toFormat('yyyyMMdd-HH:mm:ss'));
      assert.match(String(text), new RegExp(`^${first.date}-1[34]:30:00$`));

      c.ib.reqHeadTimestamp(12, { conId: SPX_CONID, exchange: 'CBOE' }, 'TRADES', false, 2);
      const [, epoch] = await c.waitFor(EventName.headTimestamp, ([r]) => r === 12);
      assert.equal(Number(epoch), open.toSeconds());
      c.ib.cancelHeadTimestamp(12);
      await c.sync();
      assert.deepEqual(c.errors, []);
    });
  });

  it('refuses an option (162), a BAG (321) and an unknown contract (200), as historical data does', async () => {
    await withRealSim({}, async ({ client, spxw }) => {
      const c = client(1);
      await c.connect();
      const put = spxw('P', 5900);
      const since = c.mark();
      c.ib.reqHeadTimestamp(21, { conId: put.conId, exchange: 'SMART' }, 'TRADES', true, 1);
      await c.waitFor(EventName.error, ([, code, r]) => code === 162 && r === 21);
      c.ib.reqHeadTimestamp(
        22,
        {
          symbol: 'SPX',
          secType: 'BAG' as never,
          exchange: 'SMART',
          currency: 'USD',
          comboLegs: [{ conId: put.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }],
        },
        'TRADES',
        true,
        1,
      );
      await c.waitFor(EventName.error, ([, code, r]) => code === 321 && r === 22);
      c.ib.reqHeadTimestamp(23, { symbol: 'NOPE', secType: 'IND' as never }, 'TRADES', true, 1);
      await c.waitFor(EventName.error, ([, code, r]) => code === 200 && r === 23);
      await c.sync();
      assert.equal(c.count(EventName.headTimestamp, since), 0);
    });
  });
});
