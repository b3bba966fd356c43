// The one broker contract suite: every BrokerPort implementation (the IB adapter over TCP to the
// simulator, the memory broker, a real paper gateway) must behave the same for these cases. Each case
// gets a fresh harness; contracts and prices come from the harness's own market data, so the suite
// runs unchanged on a real gateway.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestContext } from 'node:test';
import { DateTime } from 'luxon';
import type { IsoDate, OptionContract } from '../../src/domain/instruments.ts';
import { roundToTick, spxwOption, vixOption } from '../../src/domain/instruments.ts';
import type { PriceCents } from '../../src/domain/money.ts';
import type { Result } from '../../src/domain/result.ts';
import { priceCents } from '../../src/domain/money.ts';
import type {
  BrokerContract,
  BrokerEvent,
  BrokerPort,
  BrokerResult,
  ConnectFailure,
  ConnectInfo,
  ExecutionReport,
  OrderIntent,
  OrderReport,
  SendOutcome,
} from '../../src/ports/broker.ts';
import type { BrokerHarness, HarnessFactory } from './harness.ts';

/** Every orderRef the suite sends starts with this (a paper harness cancels what is left working). */
export const ORDER_REF_PREFIX = 'ctest';

/** Turns a hang into a failure; generous because the machine is shared. */
const SAFETY_TIMEOUT_MS = 15_000;
/** Virtual market time per step while waiting for fills. */
const MARKET_STEP_MS = 30_000;

export const CASES = {
  connect: 'connects and reports the account, the gateway clock and a next order id',
  single: 'single VIX call: fills, with its execution, commission, position and account values',
  spread: 'VIX call-spread BAG: fills per leg under the combo order id and permId',
  condor: 'SPX 4-leg condor BAG bought at a negative limit fills as a credit',
  partial: 'partial fill: the order reports filled < quantity before it completes',
  modify: 'modify keeps orderId, orderRef and permId and changes the limit',
  cancel: 'cancel ends a working order; cancelling it again is refused',
  rejects: 'rejects: bad tick (110), unknown contract (200), margin (201); nothing works',
  whatIf: 'what-if gives margin and commission and places nothing',
  whatIfFaults: 'what-if without margin numbers is unavailable; a refused what-if (360) is refused',
  reconnect: 'after a dropped link the open order is found again by orderRef and permId',
  restartClient: 'a restarted client (same client id) finds its open order by orderRef and permId',
  executionsAfterReconnect: "after a reconnect today's executions come with their commissions",
  completedAfterReconnect: "after a reconnect today's completed orders include the filled and cancelled ones",
  positions: 'positions and account values follow fills',
  duplicates: 'a duplicated execution is reported once per execId',
  noAck: 'an order the gateway never acknowledges is unknown (never refused) and found by orderRef',
  gatewayRestart: "gateway restart: IB's ids start over, nextOrderId stays above the journal floor",
} as const;

type CaseKey = keyof typeof CASES;

/** Registers every case for one implementation. */
export function brokerContract(name: string, factory: HarnessFactory): void {
  const def = (key: CaseKey, body: (h: BrokerHarness, k: Kit, t: TestContext) => Promise<void>): void => {
    test(`${name}: ${CASES[key]}`, async (t) => {
      const h = await factory();
      try {
        const gap = h.knownGaps.get(CASES[key]);
        if (gap !== undefined) t.todo(gap);
        await body(h, new Kit(h), t);
      } finally {
        await h.close();
      }
    });
  };

  def('connect', async (h) => {
    const info = okConnect(await h.broker.connect());
    assert.ok(info.accounts.includes(h.account), `accounts ${info.accounts.join(',')} lack ${h.account}`);
    assert.ok(info.serverVersion >= 100);
    assert.ok(h.broker.isConnected());
    const t1 = ok(await h.broker.serverTimeMs(), 'server time');
    assert.ok(Math.abs(t1 - info.serverTimeMs) < 86_400_000, 'the gateway clock is consistent');
    const a = h.broker.nextOrderId();
    const b = h.broker.nextOrderId();
    assert.ok(b > a && a >= info.nextValidOrderId, 'order ids are fresh and above IB next valid id');
    // Connecting again while connected answers at once with the same session.
    assert.deepEqual(okConnect(await h.broker.connect()).accounts, info.accounts);
  });

  def('single', async (h, k) => {
    const call = await k.vixCall();
    const before = await k.optionPosition(call.contract);
    const rec = k.record();
    const order = k.intent('single', single(call.contract), 'BUY', 1, call.ask);
    const outcome = await h.broker.submit(order);
    assertSent(outcome, order);
    const fills = await k.fillsOf(rec, order, 1);
    const exec = fills[0]!;
    assert.equal(exec.side, 'BOT');
    assert.equal(exec.quantity, 1);
    assert.ok(exec.price > 0 && exec.price <= call.ask, `filled at ${exec.price}, limit ${call.ask}`);
    assert.equal(exec.account, h.account);
    const commission = await rec.waitFor(
      (e) => (e.type === 'commission' && e.report.execId === exec.execId ? e.report : undefined),
      `commission of ${exec.execId}`,
    );
    assert.ok(commission.commission > 0, 'options pay commission');
    await rec.waitFor(
      (e) =>
        e.type === 'order-status' && e.orderId === order.orderId && e.status === 'Filled' ? e : undefined,
      'order status Filled',
    );
    assert.equal(await k.optionPosition(call.contract), before + 1);
    const account = ok(await h.broker.account(), 'account');
    assert.equal(account.accountId, h.account);
    assert.ok(account.netLiquidation > 0);
  });

  def('spread', async (h, k) => {
    const [long, short] = await k.vixSpread();
    const limit = roundToTick('VIX-COMBO', long.ask - short.bid, 'up');
    const rec = k.record();
    const order = k.intent(
      'spread',
      combo('VIX', [leg(long.contract, 'BUY'), leg(short.contract, 'SELL')]),
      'BUY',
      1,
      limit,
    );
    assertSent(await h.broker.submit(order), order);
    const fills = await k.fillsOf(rec, order, 2);
    const status = await rec.waitFor(
      (e) =>
        e.type === 'order-status' && e.orderId === order.orderId && e.status === 'Filled' ? e : undefined,
      'order status Filled',
    );
    const legSides = new Map(fills.map((f) => [optionOf(f).strike, f.side]));
    assert.equal(legSides.get(long.contract.strike), 'BOT');
    assert.equal(legSides.get(short.contract.strike), 'SLD');
    for (const f of fills) {
      assert.equal(f.orderId, order.orderId);
      assert.equal(f.orderRef, order.orderRef);
      assert.equal(f.permId, status.permId, 'every leg execution carries the combo permId');
    }
  });

  def('condor', async (h, k) => {
    const c = await k.spxCondor();
    assert.ok(c.limit < 0, `a credit condor is bought at a negative limit, got ${c.limit}`);
    const before = await k.optionPosition(c.shortPut);
    const rec = k.record();
    const order = k.intent('condor', c.contract, 'BUY', 1, c.limit);
    assertSent(await h.broker.submit(order), order);
    const fills = await k.fillsOf(rec, order, 4);
    for (const f of fills) {
      const o = optionOf(f);
      const isShort = o.strike === c.shortPut.strike || o.strike === c.shortCall.strike;
      assert.equal(f.side, isShort ? 'SLD' : 'BOT', `leg ${o.strike}${o.right}`);
    }
    assert.equal(await k.optionPosition(c.shortPut), before - 1);
  });

  def('partial', async (h, k, t) => {
    const qty = h.controls.partialFillQuantity;
    if (qty === null) return void t.skip('this venue cannot be made to fill in slices');
    const [long, short] = await k.vixSpread();
    const limit = roundToTick('VIX-COMBO', long.ask - short.bid, 'up');
    const rec = k.record();
    const order = k.intent(
      'partial',
      combo('VIX', [leg(long.contract, 'BUY'), leg(short.contract, 'SELL')]),
      'BUY',
      qty,
      limit,
    );
    assertSent(await h.broker.submit(order), order);
    await k.untilMarket(() =>
      rec.events.some((e) => e.type === 'order-status' && e.orderId === order.orderId && e.filled > 0),
    );
    const partial = rec.events.find(
      (e) => e.type === 'order-status' && e.orderId === order.orderId && e.filled > 0 && e.filled < qty,
    );
    assert.ok(partial !== undefined, 'an order status with 0 < filled < quantity');
    await k.untilMarket(() =>
      rec.events.some(
        (e) => e.type === 'order-status' && e.orderId === order.orderId && e.status === 'Filled',
      ),
    );
    const fills = rec.executionsOf(order.orderRef);
    const longQty = fills
      .filter((f) => optionOf(f).strike === long.contract.strike)
      .reduce((s, f) => s + f.quantity, 0);
    assert.equal(longQty, qty, 'the slices add up to the order quantity');
  });

  def('modify', async (h, k) => {
    const { order, call } = await k.workingOrder('modify');
    const first = await k.openOrder(order.orderRef);
    const newLimit = priceCents(Math.max(1, order.limitPrice - 1));
    assert.ok(newLimit < call.bid);
    const outcome = await h.broker.modify({ ...order, limitPrice: newLimit });
    assertSent(outcome, order);
    const after = await k.openOrder(order.orderRef);
    assert.equal(after.orderId, order.orderId);
    assert.equal(after.permId, first.permId);
    assert.equal(after.limitPrice, newLimit);
  });

  def('cancel', async (h, k) => {
    const { order } = await k.workingOrder('cancel');
    const rec = k.record();
    assertSent(await h.broker.cancel(order.orderId), order);
    await rec.waitFor(
      (e) =>
        e.type === 'order-status' && e.orderId === order.orderId && e.status === 'Cancelled' ? e : undefined,
      'order status Cancelled',
    );
    const open = ok(await h.broker.openOrders(), 'open orders');
    assert.ok(!open.some((o) => o.orderRef === order.orderRef), 'a cancelled order is not open');
    const again = await h.broker.cancel(order.orderId);
    assert.equal(again.kind, 'refused', `cancelling a cancelled order: ${JSON.stringify(again)}`);
  });

  def('rejects', async (h, k) => {
    const call = await k.vixCall();
    const offTick = k.intent('tick', single(call.contract), 'BUY', 1, priceCents(302));
    assertRefused(await h.broker.submit(offTick), 110);
    const unlisted = vixOption('VIX', call.contract.expiry, call.contract.strike + 0.25, 'C');
    const unknown = k.intent('unknown', single(unlisted), 'BUY', 1, call.ask);
    assertRefused(await h.broker.submit(unknown), 200);
    const arm = h.controls.rejectNextOrderForMargin;
    if (arm !== null) {
      const fault = arm();
      const margin = k.intent('margin', single(call.contract), 'BUY', 1, call.ask);
      assertRefused(await h.broker.submit(margin), 201);
      assert.ok(fault.fired() > 0, 'the margin reject fault took effect');
    }
    const open = ok(await h.broker.openOrders(), 'open orders');
    assert.deepEqual(
      open.filter((o) => o.orderRef.startsWith(k.prefix)).map((o) => o.orderRef),
      [],
      'no refused order works',
    );
  });

  def('whatIf', async (h, k) => {
    const c = await k.spxCondor();
    const openBefore = ok(await h.broker.openOrders(), 'open orders').length;
    const { orderId: _unused, ...intent } = k.intent('whatif', c.contract, 'BUY', 1, c.limit);
    const w = await h.broker.whatIf(intent);
    assert.equal(w.kind, 'margin', JSON.stringify(w));
    if (w.kind !== 'margin') return;
    assert.ok(w.initMarginChange > 0, 'a short condor needs margin');
    assert.ok(w.initMarginAfter >= w.initMarginChange);
    assert.ok(w.commission === null || w.commission > 0);
    assert.equal(ok(await h.broker.openOrders(), 'open orders').length, openBefore, 'what-if places nothing');
    const execs = ok(await h.broker.executions(), 'executions').executions;
    assert.ok(!execs.some((e) => e.orderRef === intent.orderRef), 'what-if executes nothing');
  });

  def('whatIfFaults', async (h, k, t) => {
    const arm = h.controls.whatIfFault;
    if (arm === null) return void t.skip('what-if answers cannot be scripted here');
    const call = await k.vixCall();
    const { orderId: _a, ...intent } = k.intent('wif', single(call.contract), 'BUY', 1, call.ask);
    const noMargin = arm('no-margin');
    const w1 = await h.broker.whatIf(intent);
    assert.equal(w1.kind, 'unavailable', `sentinels are not a margin: ${JSON.stringify(w1)}`);
    assert.match(
      w1.kind === 'unavailable' ? w1.reason : '',
      /margin/i,
      'the reason names the missing margin',
    );
    assert.ok(noMargin.fired() > 0);
    const refused = arm('refused');
    const w2 = await h.broker.whatIf(intent);
    assert.deepEqual(w2.kind === 'refused' ? w2.code : w2, 360);
    assert.ok(refused.fired() > 0);
  });

  def('reconnect', async (h, k) => {
    const { order } = await k.workingOrder('reconnect');
    const first = await k.openOrder(order.orderRef);
    const rec = k.record();
    await h.controls.dropLink();
    await rec.waitFor((e) => (e.type === 'connectivity' && e.state === 'lost' ? e : undefined), 'link lost');
    await rec.waitFor(
      (e) => (e.type === 'connectivity' && e.state === 'restored' ? e : undefined),
      'link restored',
    );
    const again = await k.openOrder(order.orderRef);
    assert.equal(again.permId, first.permId);
    assert.equal(again.orderId, order.orderId);
  });

  def('restartClient', async (h, k) => {
    const { order } = await k.workingOrder('restart');
    const first = await k.openOrder(order.orderRef);
    const fresh = await h.controls.restartClient();
    const open = ok(await fresh.openOrders(), 'open orders after a client restart');
    const found = open.find((o) => o.orderRef === order.orderRef);
    assert.ok(found !== undefined, `order ${order.orderRef} not found after the restart`);
    assert.equal(found.permId, first.permId);
    assert.equal(found.orderId, order.orderId);
    assert.deepEqual(found.contract, order.contract, 'the report maps the contract back');
  });

  def('executionsAfterReconnect', async (h, k) => {
    const call = await k.vixCall();
    const rec = k.record();
    const order = k.intent('execs', single(call.contract), 'BUY', 1, call.ask);
    assertSent(await h.broker.submit(order), order);
    const [exec] = await k.fillsOf(rec, order, 1);
    await h.controls.dropLink();
    await rec.waitFor(
      (e) => (e.type === 'connectivity' && e.state === 'restored' ? e : undefined),
      'link restored',
    );
    const fresh = await h.controls.restartClient();
    const report = ok(await fresh.executions(), 'executions');
    const found = report.executions.find((e) => e.execId === exec!.execId);
    assert.ok(found !== undefined, 'the execution is reported after the reconnect');
    assert.equal(found.orderRef, order.orderRef);
    assert.ok(
      report.commissions.some((c) => c.execId === exec!.execId),
      'with its commission',
    );
  });

  def('completedAfterReconnect', async (h, k) => {
    const call = await k.vixCall();
    const rec = k.record();
    const filled = k.intent('done', single(call.contract), 'BUY', 1, call.ask);
    assertSent(await h.broker.submit(filled), filled);
    await k.fillsOf(rec, filled, 1);
    const { order: cancelled } = await k.workingOrder('gone');
    assertSent(await h.broker.cancel(cancelled.orderId), cancelled);
    await rec.waitFor(
      (e) =>
        e.type === 'order-status' && e.orderId === cancelled.orderId && e.status === 'Cancelled'
          ? e
          : undefined,
      'cancelled',
    );
    const fresh = await h.controls.restartClient();
    const done = ok(await fresh.completedOrders(), 'completed orders');
    const f = done.find((o) => o.orderRef === filled.orderRef);
    const c = done.find((o) => o.orderRef === cancelled.orderRef);
    assert.ok(
      f !== undefined && c !== undefined,
      `completed orders: ${done.map((o) => o.orderRef).join(', ')}`,
    );
    assert.equal(f.status, 'Filled');
    assert.equal(c.status, 'Cancelled');
  });

  def('positions', async (h, k) => {
    const [long, short] = await k.vixSpread();
    const beforeLong = await k.optionPosition(long.contract);
    const beforeShort = await k.optionPosition(short.contract);
    const accountBefore = ok(await h.broker.account(), 'account');
    const rec = k.record();
    const limit = roundToTick('VIX-COMBO', long.ask - short.bid, 'up');
    const order = k.intent(
      'pos',
      combo('VIX', [leg(long.contract, 'BUY'), leg(short.contract, 'SELL')]),
      'BUY',
      2,
      limit,
    );
    assertSent(await h.broker.submit(order), order);
    await k.untilMarket(() => rec.executionsOf(order.orderRef).reduce((s, e) => s + e.quantity, 0) >= 4);
    assert.equal(await k.optionPosition(long.contract), beforeLong + 2);
    assert.equal(await k.optionPosition(short.contract), beforeShort - 2);
    const accountAfter = ok(await h.broker.account(), 'account');
    assert.notEqual(
      accountAfter.initMarginReq,
      accountBefore.initMarginReq,
      'a new position changes the margin',
    );
  });

  def('duplicates', async (h, k, t) => {
    const arm = h.controls.duplicateExecutions;
    if (arm === null) return void t.skip('executions cannot be duplicated here');
    const fault = arm();
    const [long, short] = await k.vixSpread();
    const rec = k.record();
    const limit = roundToTick('VIX-COMBO', long.ask - short.bid, 'up');
    const order = k.intent(
      'dup',
      combo('VIX', [leg(long.contract, 'BUY'), leg(short.contract, 'SELL')]),
      'BUY',
      1,
      limit,
    );
    assertSent(await h.broker.submit(order), order);
    await k.fillsOf(rec, order, 2);
    ok(await h.broker.serverTimeMs(), 'round trip');
    assert.ok(fault.fired() > 0, 'the duplicate fault took effect');
    const ids = rec.executionsOf(order.orderRef).map((e) => e.execId);
    assert.equal(new Set(ids).size, ids.length, `execution events per execId: ${ids.join(', ')}`);
    const report = ok(await h.broker.executions(), 'executions').executions.filter(
      (e) => e.orderRef === order.orderRef,
    );
    assert.equal(report.length, 2, 'the report lists each execution once');
  });

  def('noAck', async (h, k, t) => {
    const arm = h.controls.dropNextAcks;
    if (arm === null) return void t.skip('acknowledgements cannot be withheld here');
    const call = await k.vixCall();
    const fault = arm();
    const order = k.intent(
      'noack',
      single(call.contract),
      'BUY',
      1,
      priceCents(Math.max(1, Math.floor(call.bid / 2))),
    );
    const outcome = await h.broker.submit(order);
    assert.equal(outcome.kind, 'unknown', JSON.stringify(outcome));
    assert.ok(fault.fired() > 0);
    const found = ok(await h.broker.openOrders(), 'open orders').find((o) => o.orderRef === order.orderRef);
    assert.ok(found !== undefined, 'reconciliation finds the unacknowledged order by orderRef');
  });

  def('gatewayRestart', async (h, k, t) => {
    const restart = h.controls.restartGateway;
    if (restart === null) return void t.skip('the gateway cannot be restarted from a test');
    const { order } = await k.workingOrder('before');
    await restart();
    const fresh = await h.controls.restartClient();
    // The journal's high-water mark is all that survives a process and gateway restart.
    fresh.raiseOrderIdFloor(order.orderId + 1);
    const id = fresh.nextOrderId();
    assert.ok(id > order.orderId, `next id ${id} must stay above ${order.orderId}`);
    const call = await k.vixCall();
    const second: OrderIntent = {
      ...k.intent(
        'after',
        single(call.contract),
        'BUY',
        1,
        priceCents(Math.max(1, Math.floor(call.bid / 2))),
      ),
      orderId: id,
    };
    assertSent(await fresh.submit(second), second);
    const open = ok(await fresh.openOrders(), 'open orders');
    const a = open.find((o) => o.orderRef === order.orderRef);
    const b = open.find((o) => o.orderRef === second.orderRef);
    assert.ok(a !== undefined && b !== undefined, 'both orders work, neither replaced the other');
    assert.notEqual(a.permId, b.permId);
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

interface Quoted {
  readonly contract: OptionContract;
  readonly bid: PriceCents;
  readonly ask: PriceCents;
}

interface Condor {
  readonly contract: BrokerContract;
  readonly shortPut: OptionContract;
  readonly shortCall: OptionContract;
  readonly limit: PriceCents;
}

function okConnect(r: Result<ConnectInfo, ConnectFailure>): ConnectInfo {
  if (!r.ok) assert.fail(`connect: ${JSON.stringify(r.error)}`);
  return r.value;
}

export function ok<T>(r: BrokerResult<T>, what: string): T {
  if (!r.ok) assert.fail(`${what}: ${JSON.stringify(r.error)}`);
  return r.value;
}

function assertSent(o: SendOutcome, order: { orderId: number }): void {
  assert.equal(o.kind, 'sent', JSON.stringify(o));
  assert.equal(o.orderId, order.orderId);
}

function assertRefused(o: SendOutcome, code: number): void {
  assert.equal(o.kind, 'refused', JSON.stringify(o));
  if (o.kind === 'refused') assert.equal(o.code, code, o.text);
}

function single(contract: OptionContract): BrokerContract {
  return { kind: 'single', contract };
}

function leg(
  contract: OptionContract,
  action: 'BUY' | 'SELL',
): { contract: OptionContract; action: 'BUY' | 'SELL'; ratio: number } {
  return { contract, action, ratio: 1 };
}

function combo(symbol: 'SPX' | 'VIX', legs: ReturnType<typeof leg>[]): BrokerContract {
  return { kind: 'combo', symbol, legs };
}

function optionOf(e: ExecutionReport): OptionContract {
  assert.equal(e.contract.kind, 'option', `execution ${e.execId} is not an option leg`);
  return (e.contract as { contract: OptionContract }).contract;
}

class Recorder {
  readonly events: BrokerEvent[] = [];
  private readonly wakers = new Set<() => void>();

  constructor(broker: BrokerPort) {
    broker.onEvent((e) => {
      this.events.push(e);
      for (const w of [...this.wakers]) w();
    });
  }

  executionsOf(orderRef: string): ExecutionReport[] {
    const out: ExecutionReport[] = [];
    for (const e of this.events)
      if (e.type === 'execution' && e.execution.orderRef === orderRef) out.push(e.execution);
    return out;
  }

  waitFor<T>(pick: (e: BrokerEvent) => T | undefined, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const check = (): boolean => {
        for (const e of this.events) {
          const v = pick(e);
          if (v !== undefined) {
            cleanup();
            resolve(v);
            return true;
          }
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(`timed out waiting for ${what}; last events: ${JSON.stringify(this.events.slice(-5))}`),
        );
      }, SAFETY_TIMEOUT_MS);
      const waker = (): void => {
        check();
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.wakers.delete(waker);
      };
      this.wakers.add(waker);
      check();
    });
  }
}

/** Picks listed contracts and prices from the harness's market, and places orders. */
class Kit {
  readonly prefix: string;
  private seq = 0;
  private today: IsoDate | null = null;

  constructor(private readonly h: BrokerHarness) {
    this.prefix = `${ORDER_REF_PREFIX}${Date.now().toString(36)}`;
  }

  record(): Recorder {
    return new Recorder(this.h.broker);
  }

  intent(
    key: string,
    contract: BrokerContract,
    action: 'BUY' | 'SELL',
    quantity: number,
    limitPrice: PriceCents,
  ): OrderIntent {
    return {
      orderId: this.h.broker.nextOrderId(),
      orderRef: `${this.prefix}:${key}:${++this.seq}`,
      account: this.h.account,
      contract,
      action,
      quantity,
      limitPrice,
    };
  }

  async serverToday(): Promise<IsoDate> {
    if (this.today !== null) return this.today;
    const ms = ok(await this.h.broker.serverTimeMs(), 'server time');
    this.today = DateTime.fromMillis(ms, { zone: 'America/New_York' }).toISODate() ?? '';
    return this.today;
  }

  async quotes(contracts: readonly OptionContract[]): Promise<Quoted[]> {
    const qs = ok(await this.h.marketData.optionQuotes(contracts), 'option quotes');
    const out: Quoted[] = [];
    for (const q of qs)
      if (q.bid !== null && q.ask !== null && q.bid > 0 && q.ask > q.bid)
        out.push({ contract: q.contract, bid: q.bid, ask: q.ask });
    return out;
  }

  /** Quoted calls of the nearest VIX monthly expiry at least a week out, from the money upward. */
  async vixCalls(): Promise<Quoted[]> {
    const today = await this.serverToday();
    const chains = ok(await this.h.marketData.optionChains('VIX'), 'VIX chains');
    const monthly = chains.find((c) => c.tradingClass === 'VIX');
    assert.ok(monthly !== undefined, 'a VIX monthly chain is listed');
    const weekOut = DateTime.fromISO(today).plus({ days: 7 }).toISODate() ?? today;
    const expiry = monthly.expirations.find((e) => e >= weekOut);
    assert.ok(expiry !== undefined, 'a VIX expiry a week out');
    const [vix] = ok(await this.h.marketData.indexQuotes(['VIX']), 'VIX');
    const spot = vix?.last ?? vix?.close ?? 20;
    const strikes = monthly.strikes.filter((s) => s >= spot - 1).slice(0, 8);
    const qs = await this.quotes(strikes.map((s) => vixOption('VIX', expiry, s, 'C')));
    assert.ok(qs.length >= 2, 'at least two quoted VIX calls');
    return qs.sort((a, b) => a.contract.strike - b.contract.strike);
  }

  async vixCall(): Promise<Quoted> {
    return (await this.vixCalls())[0]!;
  }

  async vixSpread(): Promise<[Quoted, Quoted]> {
    const calls = await this.vixCalls();
    const long = calls[0]!;
    const short =
      calls.find((c) => c.contract.strike >= long.contract.strike + 3) ?? calls[calls.length - 1]!;
    return [long, short];
  }

  /** A 25-wide condor about 50 points out on the next SPXW expiry, priced at its natural credit. */
  async spxCondor(): Promise<Condor> {
    const today = await this.serverToday();
    const chains = ok(await this.h.marketData.optionChains('SPX'), 'SPX chains');
    const spxw = chains.find((c) => c.tradingClass === 'SPXW');
    assert.ok(spxw !== undefined, 'an SPXW chain is listed');
    const expiry = spxw.expirations.find((e) => e > today);
    assert.ok(expiry !== undefined, 'an SPXW expiry after today');
    const [spx] = ok(await this.h.marketData.indexQuotes(['SPX']), 'SPX');
    const spot = spx?.last ?? spx?.close ?? 0;
    const below = (x: number): number => Math.max(...spxw.strikes.filter((s) => s <= x));
    const above = (x: number): number => Math.min(...spxw.strikes.filter((s) => s >= x));
    const sp = below(spot - 50);
    const lp = below(sp - 25);
    const sc = above(spot + 50);
    const lc = above(sc + 25);
    const legs = [
      spxwOption(expiry, sp, 'P'),
      spxwOption(expiry, lp, 'P'),
      spxwOption(expiry, sc, 'C'),
      spxwOption(expiry, lc, 'C'),
    ];
    const qs = await this.quotes(legs);
    assert.equal(qs.length, 4, 'all four condor legs are quoted');
    const q = (c: OptionContract): Quoted =>
      qs.find((x) => x.contract.strike === c.strike && x.contract.right === c.right)!;
    const [shortPut, longPut, shortCall, longCall] = legs as [
      OptionContract,
      OptionContract,
      OptionContract,
      OptionContract,
    ];
    // Buying the BAG at its natural: pay the wings' asks, receive the shorts' bids (a negative price).
    const natural = q(longPut).ask + q(longCall).ask - q(shortPut).bid - q(shortCall).bid;
    return {
      contract: combo('SPX', [
        leg(shortPut, 'SELL'),
        leg(longPut, 'BUY'),
        leg(shortCall, 'SELL'),
        leg(longCall, 'BUY'),
      ]),
      shortPut,
      shortCall,
      limit: priceCents(Math.ceil(natural / 5) * 5),
    };
  }

  /** A VIX call bought far under its bid: it works and never fills while the case runs. */
  async workingOrder(key: string): Promise<{ order: OrderIntent; call: Quoted }> {
    const call = await this.vixCall();
    const limit = roundToTick('VIX', Math.max(2, Math.floor(call.bid / 2)), 'down');
    const order = this.intent(key, single(call.contract), 'BUY', 1, limit);
    const outcome = await this.h.broker.submit(order);
    assertSent(outcome, order);
    assert.ok(outcome.kind === 'sent' && outcome.status !== 'Filled', 'the order works');
    return { order, call };
  }

  async openOrder(orderRef: string): Promise<OrderReport> {
    const open = ok(await this.h.broker.openOrders(), 'open orders');
    const o = open.find((x) => x.orderRef === orderRef);
    assert.ok(o !== undefined, `open order ${orderRef} in ${open.map((x) => x.orderRef).join(', ')}`);
    return o;
  }

  async optionPosition(c: OptionContract): Promise<number> {
    const ps = ok(await this.h.broker.positions(), 'positions');
    let n = 0;
    for (const p of ps) {
      if (p.account !== this.h.account || p.contract.kind !== 'option') continue;
      const o = p.contract.contract;
      if (
        o.tradingClass === c.tradingClass &&
        o.expiry === c.expiry &&
        o.strike === c.strike &&
        o.right === c.right
      )
        n += p.quantity;
    }
    return n;
  }

  /** Waits for `legs` distinct executions of an order (a marketable order fills at once). */
  async fillsOf(rec: Recorder, order: OrderIntent, legs: number): Promise<ExecutionReport[]> {
    await this.untilMarket(() => rec.executionsOf(order.orderRef).length >= legs);
    return rec.executionsOf(order.orderRef);
  }

  /** Lets market time pass in steps until `done` (checked after a round trip to the broker). */
  async untilMarket(done: () => boolean, maxSteps = 40): Promise<void> {
    for (let i = 0; i < maxSteps; i++) {
      ok(await this.h.broker.serverTimeMs(), 'round trip');
      if (done()) return;
      await this.h.controls.advance(MARKET_STEP_MS);
    }
    ok(await this.h.broker.serverTimeMs(), 'round trip');
    assert.ok(done(), `condition not reached within ${maxSteps} market steps`);
  }
}
