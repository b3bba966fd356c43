// The memory broker: the simulator's venue in-process behind BrokerPort, with the venue's own codes
// and the simulator's fault catalogue on its link.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { priceCents } from '../../../src/domain/money.ts';
import type { PriceCents } from '../../../src/domain/money.ts';
import type { BrokerContract, BrokerEvent, ExecutionReport } from '../../../src/ports/broker.ts';
import { MEMORY_NOT_CONNECTED_CODE } from '../../../src/adapters/memory/memory-broker.ts';
import { intent, memoryRig, ok, vixCalls } from './memory-support.ts';
import type { MemoryRig, Quoted } from './memory-support.ts';

const single = (q: Quoted): BrokerContract => ({ kind: 'single', contract: q.contract });
const spread = (long: Quoted, short: Quoted): BrokerContract => ({
  kind: 'combo',
  symbol: 'VIX',
  legs: [
    { contract: long.contract, action: 'BUY', ratio: 1 },
    { contract: short.contract, action: 'SELL', ratio: 1 },
  ],
});
const executions = (events: readonly BrokerEvent[], orderRef: string): ExecutionReport[] =>
  events.flatMap((e) => (e.type === 'execution' && e.execution.orderRef === orderRef ? [e.execution] : []));
/** A VIX call far under its bid: it works and does not fill while the test runs. */
const passive = (q: Quoted): PriceCents => priceCents(Math.max(5, Math.floor(q.bid / 2 / 5) * 5));

async function withRig(body: (r: MemoryRig) => Promise<void>): Promise<void> {
  const r = await memoryRig();
  try {
    await body(r);
  } finally {
    await r.stop();
  }
}

describe('memory broker', () => {
  it('connects with the account, the gateway clock and IB next id; one client id at a time', async () => {
    await withRig(async (r) => {
      const again = await r.broker.connect();
      assert.ok(again.ok);
      assert.deepEqual(again.value.accounts, ['DU1234567']);
      assert.equal(again.value.nextValidOrderId, 1);
      assert.equal(again.value.serverTimeMs % 1000, 0, 'reqCurrentTime answers in seconds');
      const a = r.broker.nextOrderId();
      assert.ok(r.broker.nextOrderId() > a);
      const twin = r.gateway.broker({ clientId: 7 });
      const refused = await twin.connect();
      assert.ok(!refused.ok && refused.error.kind === 'client-id-in-use');
    });
  });

  it('fills a marketable VIX call: open order, status, execution, commission, position, account', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const order = intent(r.broker, 'm:single:1', single(call!), 'BUY', 1, call!.ask);
      const out = await r.broker.submit(order);
      assert.deepEqual(out, { kind: 'sent', orderId: order.orderId, status: 'Submitted' });
      const [exec] = executions(r.events, order.orderRef);
      assert.ok(exec !== undefined && exec.side === 'BOT' && exec.price <= call!.ask);
      assert.ok(
        r.events.some(
          (e) => e.type === 'commission' && e.report.execId === exec.execId && e.report.commission > 0,
        ),
      );
      assert.ok(
        r.events.some(
          (e) => e.type === 'order-status' && e.orderId === order.orderId && e.status === 'Filled',
        ),
      );
      const open = r.events.find((e) => e.type === 'open-order');
      assert.ok(open?.type === 'open-order' && open.order.orderRef === order.orderRef);
      assert.deepEqual(open.order.contract, single(call!));
      const pos = ok(await r.broker.positions());
      assert.deepEqual(
        pos.map((p) => [p.contract, p.quantity]),
        [[{ kind: 'option', contract: call!.contract }, 1]],
      );
      const account = ok(await r.broker.account());
      assert.equal(account.accountId, 'DU1234567');
      assert.ok(account.netLiquidation > 0 && account.netLiquidation < 100_000 * 100);
    });
  });

  it('fills a VIX call-spread BAG per leg under the combo order id and permId', async () => {
    await withRig(async (r) => {
      const calls = await vixCalls(r);
      const long = calls[0]!;
      const short = calls.find((c) => c.contract.strike >= long.contract.strike + 3)!;
      const order = intent(
        r.broker,
        'm:spread:1',
        spread(long, short),
        'BUY',
        2,
        priceCents(long.ask - short.bid),
      );
      assert.equal((await r.broker.submit(order)).kind, 'sent');
      const legs = executions(r.events, order.orderRef);
      const status = r.events.find((e) => e.type === 'order-status' && e.status === 'Filled');
      assert.ok(status?.type === 'order-status' && status.permId !== null);
      assert.equal(legs.length, 2);
      assert.ok(legs.every((e) => e.orderId === order.orderId && e.permId === status.permId));
      assert.deepEqual(
        legs.map((e) => e.side),
        ['BOT', 'SLD'],
      );
    });
  });

  it('modifies in place (orderId, orderRef, permId kept) and cancels once', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const order = intent(r.broker, 'm:work:1', single(call!), 'BUY', 1, passive(call!));
      assert.equal((await r.broker.submit(order)).kind, 'sent');
      const [before] = ok(await r.broker.openOrders());
      const lower = priceCents(Math.max(5, order.limitPrice - 5));
      assert.equal((await r.broker.modify({ ...order, limitPrice: lower })).kind, 'sent');
      const [after] = ok(await r.broker.openOrders());
      assert.deepEqual(
        [after!.orderId, after!.orderRef, after!.permId, after!.limitPrice],
        [order.orderId, order.orderRef, before!.permId, lower],
      );
      const cancelled = await r.broker.cancel(order.orderId);
      assert.equal(cancelled.kind, 'sent');
      assert.deepEqual(ok(await r.broker.openOrders()), []);
      const again = await r.broker.cancel(order.orderId);
      assert.ok(again.kind === 'refused' && again.code === 10148);
    });
  });

  it('refuses with the venue codes: bad tick 110, unknown contract 200, scripted margin 201', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const tick = await r.broker.submit(
        intent(r.broker, 'm:tick', single(call!), 'BUY', 1, priceCents(302)),
      );
      assert.ok(tick.kind === 'refused' && tick.code === 110);
      const unlisted = { ...call!, contract: { ...call!.contract, strike: call!.contract.strike + 0.25 } };
      const unknown = await r.broker.submit(
        intent(r.broker, 'm:unknown', single(unlisted), 'BUY', 1, call!.ask),
      );
      assert.ok(unknown.kind === 'refused' && unknown.code === 200);
      r.engine.faults.arm({
        kind: 'rejectOrders',
        count: 1,
        code: 201,
        reason: 'Order rejected - reason:YOUR ORDER IS NOT ACCEPTED (margin)',
      });
      const margin = await r.broker.submit(intent(r.broker, 'm:margin', single(call!), 'BUY', 1, call!.ask));
      assert.ok(margin.kind === 'refused' && margin.code === 201, JSON.stringify(margin));
      assert.deepEqual(ok(await r.broker.openOrders()), []);
      const err = r.events.find((e) => e.type === 'error' && e.code === 201);
      assert.ok(err?.type === 'error' && err.class === 'refused');
      assert.throws(() => void r.broker.submit(intent(r.broker, 'm:q0', single(call!), 'BUY', 0, call!.ask)));
    });
  });

  it('answers what-if with margin and commission, or unavailable / refused under a fault; places nothing', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const { orderId: _unused, ...wi } = intent(r.broker, 'm:wi', single(call!), 'SELL', 1, call!.bid);
      const w = await r.broker.whatIf(wi);
      assert.ok(w.kind === 'margin' && w.initMarginChange > 0 && (w.commission ?? 0) > 0, JSON.stringify(w));
      r.engine.faults.arm({ kind: 'whatIfNoMargin', count: 1 });
      const none = await r.broker.whatIf(wi);
      assert.ok(none.kind === 'unavailable' && /margin/.test(none.reason));
      r.engine.faults.arm({ kind: 'whatIfRefused', count: 1 });
      const refused = await r.broker.whatIf(wi);
      assert.ok(refused.kind === 'refused' && refused.code === 360);
      assert.deepEqual(ok(await r.broker.openOrders()), []);
      assert.deepEqual(ok(await r.broker.executions()).executions, []);
      assert.ok(!r.events.some((e) => e.type === 'open-order'), 'a what-if answer is no open order');
    });
  });

  it('drops the link and comes back by itself; while down nothing is sent and reports are disconnected', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const order = intent(r.broker, 'm:drop', single(call!), 'BUY', 1, passive(call!));
      await r.broker.submit(order);
      const [first] = ok(await r.broker.openOrders());
      r.broker.dropLink('test');
      assert.equal(r.broker.isConnected(), false);
      const down = await r.broker.submit(intent(r.broker, 'm:down', single(call!), 'BUY', 1, passive(call!)));
      assert.ok(down.kind === 'refused' && down.code === MEMORY_NOT_CONNECTED_CODE);
      const report = await r.broker.openOrders();
      assert.ok(!report.ok && report.error.kind === 'disconnected');
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(r.broker.isConnected(), true);
      const link = r.events
        .filter((e) => e.type === 'connectivity')
        .map((e) => e.type === 'connectivity' && e.state);
      assert.deepEqual(link, ['lost', 'restored']);
      const [again] = ok(await r.broker.openOrders());
      assert.deepEqual([again!.orderRef, again!.permId], [order.orderRef, first!.permId]);
    });
  });

  it("lists today's executions with commissions and completed orders; a fresh client knows no order ids", async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const filled = intent(r.broker, 'm:done', single(call!), 'BUY', 1, call!.ask);
      await r.broker.submit(filled);
      const working = intent(r.broker, 'm:gone', single(call!), 'BUY', 1, passive(call!));
      await r.broker.submit(working);
      await r.broker.cancel(working.orderId);
      const fresh = r.gateway.broker({ clientId: 8 });
      assert.ok((await fresh.connect()).ok);
      const report = ok(await fresh.executions());
      assert.equal(report.executions.length, 1);
      assert.deepEqual(
        report.commissions.map((c) => c.execId),
        report.executions.map((e) => e.execId),
      );
      const done = ok(await fresh.completedOrders());
      assert.deepEqual(
        done.map((o) => [o.orderRef, o.status, o.completedStatus, o.orderId]),
        [
          ['m:done', 'Filled', 'Filled', 0],
          ['m:gone', 'Cancelled', 'Cancelled by Trader', 0],
        ],
      );
      const mine = ok(await r.broker.completedOrders());
      assert.deepEqual(
        mine.map((o) => o.orderId),
        [filled.orderId, working.orderId],
        'the placing client saw their permIds',
      );
      await fresh.disconnect();
    });
  });

  it('on a gateway restart IB ids start over; the floor keeps ids fresh and a reused id is 103', async () => {
    await withRig(async (r) => {
      const [call] = await vixCalls(r);
      const before = intent(r.broker, 'm:before', single(call!), 'BUY', 1, passive(call!));
      await r.broker.submit(before);
      r.gateway.restart();
      await r.broker.disconnect();
      const fresh = r.gateway.broker({ clientId: 7 });
      const info = await fresh.connect();
      assert.ok(info.ok && info.value.nextValidOrderId === 1);
      const reused = await fresh.submit({ ...before, orderRef: 'm:reused', limitPrice: passive(call!) });
      assert.ok(
        reused.kind === 'sent',
        'the same id, the same contract: a modification of the working order',
      );
      const other = { ...before, orderId: 1, orderRef: 'm:low' };
      assert.equal((await fresh.submit(other)).kind, 'sent', 'id 1 was never used');
      const [filledCall] = await vixCalls(r);
      const done = intent(fresh, 'm:filled', single(filledCall!), 'BUY', 1, filledCall!.ask);
      await fresh.submit(done);
      r.gateway.restart();
      await fresh.disconnect();
      const third = r.gateway.broker({ clientId: 7 });
      await third.connect();
      const dup = await third.submit({ ...done, orderRef: 'm:dup' });
      assert.ok(dup.kind === 'refused' && dup.code === 103, JSON.stringify(dup));
      third.raiseOrderIdFloor(done.orderId + 1);
      assert.ok(third.nextOrderId() > done.orderId);
      await third.disconnect();
    });
  });

  it('applies the link faults of the catalogue: duplicates once per execId, lost acks, swallowed orders', async () => {
    await withRig(async (r) => {
      const calls = await vixCalls(r);
      r.engine.faults.arm({ kind: 'duplicateEvent', event: 'execDetails', clientId: 7 });
      const dup = intent(r.broker, 'm:dup', single(calls[0]!), 'BUY', 1, calls[0]!.ask);
      await r.broker.submit(dup);
      assert.equal(executions(r.events, dup.orderRef).length, 1, 'one event per execId');
      assert.ok(r.engine.faults.history().some((f) => f.kind === 'duplicateEvent'));
      r.engine.faults.clear();

      r.engine.faults.arm({ kind: 'dropOrderAcks', count: 1 });
      const noAck = intent(r.broker, 'm:noack', single(calls[1]!), 'BUY', 1, passive(calls[1]!));
      const out = await r.broker.submit(noAck);
      assert.equal(out.kind, 'unknown');
      assert.ok(ok(await r.broker.openOrders()).some((o) => o.orderRef === 'm:noack'));

      r.engine.faults.arm({ kind: 'silentDrop', count: 1 });
      const lost = intent(r.broker, 'm:lost', single(calls[1]!), 'BUY', 1, passive(calls[1]!));
      assert.equal((await r.broker.submit(lost)).kind, 'unknown');
      assert.ok(!ok(await r.broker.openOrders()).some((o) => o.orderRef === 'm:lost'));

      r.engine.faults.arm({ kind: 'dropAtEvent', event: 'execDetails', clientId: 7 });
      const cut = intent(r.broker, 'm:cut', single(calls[0]!), 'BUY', 1, calls[0]!.ask);
      const cutOut = await r.broker.submit(cut);
      assert.equal(cutOut.kind, 'sent', 'acknowledged before the link dropped at the execution');
      assert.equal(r.broker.isConnected(), false);
      assert.equal(executions(r.events, cut.orderRef).length, 0, 'the fill was not pushed');
      await new Promise((resolve) => setImmediate(resolve));
      const report = ok(await r.broker.executions());
      assert.ok(
        report.executions.some((e) => e.orderRef === 'm:cut'),
        'found by pulling the report',
      );
    });
  });
});
