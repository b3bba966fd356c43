// Bad input and faults at the connection (issue 8): each is a test with the real @stoqey/ib client over
// TCP on 127.0.0.1, against the simulator or a scripted gateway. Nothing is sent, the failure is a
// value that names what and why, and the process survives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import { priceCents } from '../../../src/domain/money.ts';
import { spxwOption } from '../../../src/domain/instruments.ts';
import { startTestSim } from '../../support/sim-server.ts';
import { SPX_CON_ID, indexContract, spxwOption as simSpxw } from '../../sim/support/fake-engine.ts';
import { SCRIPTED_VERSION, enc, startScriptedGateway } from './support/scripted-gateway.ts';
import type { GatewayConn } from './support/scripted-gateway.ts';
import { foreignServer, freePort, ibTestClient, testOrder, waitUntil } from './support/ib-test-client.ts';
import type { ClientRequest } from '../../../src/sim/protocol/decode-requests.ts';

const START_MS = Date.parse('2025-01-10T15:00:00Z');

/** Answers contract details for the SPX index and a two-strike SPXW series. */
function answerContracts(req: ClientRequest, conn: GatewayConn): void {
  if (req.type !== 'reqContractDetails') return;
  const c = req.contract;
  if (c.secType === 'IND') {
    conn.send(enc.contractData(SCRIPTED_VERSION, req.reqId, indexContract(SPX_CON_ID, c.symbol)));
  } else if (c.secType === 'OPT') {
    for (const [id, strike] of [
      [910001, 5900],
      [910002, 5950],
    ] as const)
      conn.send(enc.contractData(SCRIPTED_VERSION, req.reqId, simSpxw(id, strike, 'C')));
  }
  conn.send(enc.contractDataEnd(req.reqId));
}

describe('connecting', () => {
  test('gateway not running: unreachable after the retries, naming host and port', async () => {
    const port = await freePort();
    const c = ibTestClient(port, { timeouts: { connectAttempts: 2 } });
    try {
      const r = await c.broker.connect();
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'unreachable');
      assert.match(r.error.text, new RegExp(`127\\.0\\.0\\.1:${port}.*ECONNREFUSED`));
      assert.equal(c.broker.isConnected(), false);
      const send = await c.broker.submit(testOrder(c.broker, 'p:k:1'));
      assert.deepEqual(
        [send.kind, send.kind === 'refused' ? send.code : null],
        ['refused', 504],
        'nothing is sent',
      );
    } finally {
      await c.close();
    }
  });

  test('wrong port (a service that is not IB): a handshake failure, not a hang', async () => {
    const http = await foreignServer(Buffer.from('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    const c = ibTestClient(http.port, { timeouts: { connectAttempts: 1 } });
    try {
      const r = await c.broker.connect();
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'handshake', r.error.text);
      assert.match(r.error.text, new RegExp(`127\\.0\\.0\\.1:${http.port}`));
    } finally {
      await c.close();
      await http.close();
    }
  });

  test('a silent port: the handshake times out', async () => {
    const silent = await foreignServer(null);
    const clock = createVirtualClock(START_MS);
    const c = ibTestClient(silent.port, { clock, timeouts: { connectAttempts: 1 } });
    try {
      const pending = c.broker.connect();
      await waitUntil(() => clock.pending() > 0, 'the handshake timer');
      clock.advance(c.client.conn.timeouts.connectAttemptMs);
      const r = await pending;
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'timeout');
      assert.match(r.error.text, /no API handshake/);
    } finally {
      await c.close();
      await silent.close();
    }
  });

  test('version mismatch: the refused handshake names the version; it is not retried', async () => {
    const gw = await startScriptedGateway({ hello: { version: 99 } });
    const c = ibTestClient(gw.port, { timeouts: { connectAttempts: 3 } });
    try {
      const r = await c.broker.connect();
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'handshake');
      assert.match(r.error.text, /Unsupported Version 99/);
      assert.equal(gw.connections(), 1, 'a refused version is not retried');
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('handshake refused (the gateway closes, e.g. an untrusted IP): a handshake failure with advice', async () => {
    const gw = await startScriptedGateway({ hello: null });
    const c = ibTestClient(gw.port, { timeouts: { connectAttempts: 1 } });
    try {
      const r = await c.broker.connect();
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'handshake');
      assert.match(r.error.text, /closed the connection during the API handshake.*trusted IP/);
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('duplicate client id (326): client-id-in-use after backing off; the first client keeps working', async () => {
    const t = await startTestSim({ limits: 'lifted' });
    const first = ibTestClient(t.port, { clientId: 5 });
    const second = ibTestClient(t.port, { clientId: 5, timeouts: { connectAttempts: 2 } });
    try {
      assert.ok((await first.broker.connect()).ok);
      const r = await second.broker.connect();
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'client-id-in-use');
      assert.equal(r.error.kind === 'client-id-in-use' ? r.error.clientId : 0, 5);
      assert.ok((await first.broker.serverTimeMs()).ok);
    } finally {
      await second.close();
      await first.close();
      await t.close();
    }
  });
  test('connect() while the lost gateway stays away ends within the connect budget', async () => {
    const t = await startTestSim({ limits: 'lifted' });
    const clock = createVirtualClock(START_MS);
    const c = ibTestClient(t.port, { clock, timeouts: { connectAttempts: 2 } });
    try {
      assert.ok((await c.broker.connect()).ok);
      await t.close();
      await waitUntil(
        () => c.events.some((e) => e.type === 'connectivity' && e.state === 'lost'),
        'link lost',
      );
      let settled: Awaited<ReturnType<typeof c.broker.connect>> | null = null;
      void c.broker.connect().then((r) => (settled = r));
      await waitUntil(() => {
        clock.advance(5_000);
        return settled !== null;
      }, 'connect to give up');
      const r = settled as Awaited<ReturnType<typeof c.broker.connect>> | null;
      assert.ok(r !== null && !r.ok);
      assert.match(r.error.text, /still reconnecting/);
    } finally {
      await c.close();
    }
  });
});

describe('requests', () => {
  test('market data not subscribed (354): the error says which data is missing', async () => {
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        answerContracts(req, conn);
        if (req.type === 'reqMktData')
          conn.send(
            enc.errorMessage(SCRIPTED_VERSION, req.reqId, 354, 'Requested market data is not subscribed.'),
          );
      },
    });
    const c = ibTestClient(gw.port);
    try {
      assert.ok((await c.broker.connect()).ok);
      const r = await c.md.indexQuotes(['SPX']);
      assert.ok(!r.ok);
      assert.equal(r.error.kind === 'error' ? r.error.code : 0, 354);
      assert.match(r.error.text, /market data for index SPX is not available: market data not subscribed/);
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('delayed data (10167) is an error unless delayed data was asked for; then delayed ticks count', async () => {
    const script = (req: ClientRequest, conn: GatewayConn): void => {
      answerContracts(req, conn);
      if (req.type !== 'reqMktData') return;
      conn.send(enc.errorMessage(SCRIPTED_VERSION, req.reqId, 10167, 'Displaying delayed market data.'));
      conn.send(enc.tickPrice(req.reqId, 66, 5899.5, 1, 0));
      conn.send(enc.tickPrice(req.reqId, 67, 5900.5, 1, 0));
      conn.send(enc.tickSnapshotEnd(req.reqId));
    };
    const gw = await startScriptedGateway({ onRequest: script });
    const live = ibTestClient(gw.port, { clientId: 1 });
    const delayed = ibTestClient(gw.port, { clientId: 2, marketDataType: 3 });
    try {
      assert.ok((await live.broker.connect()).ok);
      const r1 = await live.md.indexQuotes(['SPX']);
      assert.ok(!r1.ok);
      assert.match(r1.error.text, /showing delayed market data/);
      assert.ok((await delayed.broker.connect()).ok);
      const r2 = await delayed.md.indexQuotes(['SPX']);
      assert.ok(r2.ok, JSON.stringify(r2));
      assert.deepEqual([r2.value[0]?.bid, r2.value[0]?.ask], [5899.5, 5900.5]);
      assert.ok(
        gw.requests.some((r) => r.req.type === 'reqMarketDataType'),
        'delayed data was asked for',
      );
    } finally {
      await live.close();
      await delayed.close();
      await gw.close();
    }
  });

  test('a chain with no quotes: an error naming the series, not a chain of empty quotes', async () => {
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        answerContracts(req, conn);
        if (req.type === 'reqMktData') conn.send(enc.tickSnapshotEnd(req.reqId));
      },
    });
    const c = ibTestClient(gw.port);
    try {
      assert.ok((await c.broker.connect()).ok);
      const r = await c.md.optionQuotes([
        spxwOption('2025-01-13', 5900, 'C'),
        spxwOption('2025-01-13', 5950, 'C'),
      ]);
      assert.ok(!r.ok);
      assert.match(r.error.text, /no bid or ask for any of the 2 options asked \(SPXW 2025-01-13\)/);
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('a request that is never answered ends as a timeout value; a late answer is ignored', async () => {
    let held: { req: ClientRequest; conn: GatewayConn } | null = null;
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        if (req.type === 'reqContractDetails') held = { req, conn };
      },
    });
    const clock = createVirtualClock(START_MS);
    const c = ibTestClient(gw.port, { clock });
    try {
      assert.ok((await c.broker.connect()).ok);
      const pending = c.md.optionChains('SPX');
      await waitUntil(() => held !== null, 'the contract details request');
      clock.advance(c.client.conn.timeouts.requestMs);
      const r = await pending;
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'timeout');
      assert.match(r.error.text, /contract details for index SPX: no answer within 15000 ms/);
      assert.equal(c.client.registry.openCount(), 0, 'nothing is left pending');
      // The answer arrives after all: nothing crashes, nothing resolves twice, the link still works.
      const late = held as { req: ClientRequest; conn: GatewayConn } | null;
      assert.ok(late !== null);
      answerContracts(late.req, late.conn);
      assert.ok((await c.broker.serverTimeMs()).ok);
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('the link drops in the middle of many requests: one disconnected failure, then the same call succeeds', async () => {
    const t = await startTestSim({ limits: 'lifted' });
    const c = ibTestClient(t.port);
    try {
      assert.ok((await c.broker.connect()).ok);
      const chains = await c.md.optionChains('VIX');
      assert.ok(chains.ok);
      const monthly = chains.value.find((ch) => ch.tradingClass === 'VIX')!;
      const expiry = monthly.expirations[1]!;
      const calls = monthly.strikes.slice(0, 40).map((s) => ({
        kind: 'option' as const,
        symbol: 'VIX' as const,
        tradingClass: 'VIX' as const,
        expiry,
        strike: s,
        right: 'C' as const,
        multiplier: 100,
      }));
      t.sim.faults.arm({ kind: 'dropAtEvent', event: 'tickSnapshotEnd', occurrence: 20 });
      const r = await c.md.optionQuotes(calls);
      assert.ok(!r.ok, 'no half answer');
      assert.equal(r.error.kind, 'disconnected');
      assert.equal(c.client.registry.openCount(), 0, 'every pending request ended');
      await waitUntil(
        () => c.events.some((e) => e.type === 'connectivity' && e.state === 'restored'),
        'reconnection',
      );
      const again = await c.md.optionQuotes(calls);
      assert.ok(again.ok, JSON.stringify(again));
      assert.equal(again.value.length, 40);
    } finally {
      await c.close();
      await t.close();
    }
  });
});

describe("IB's own link (1100, 1101, 1102)", () => {
  test('1100 freezes orders and market data; 1102 and 1101 restore, saying whether data was lost', async () => {
    const gw = await startScriptedGateway({ onRequest: answerContracts });
    const c = ibTestClient(gw.port);
    const notice = (code: number, text: string): readonly string[] =>
      enc.errorMessage(SCRIPTED_VERSION, -1, code, text);
    try {
      assert.ok((await c.broker.connect()).ok);
      gw.broadcast(notice(1100, 'Connectivity between IB and Trader Workstation has been lost.'));
      await waitUntil(() => c.events.some((e) => e.type === 'connectivity' && e.state === 'lost'), '1100');
      assert.equal(c.broker.isConnected(), false, 'orders wait for IB');
      const before = gw.requests.length;
      const order = await c.broker.submit(testOrder(c.broker, 'p:frozen:1'));
      assert.deepEqual([order.kind, order.kind === 'refused' ? order.code : 0], ['refused', 504]);
      const quotes = await c.md.indexQuotes(['SPX']);
      assert.ok(!quotes.ok && quotes.error.kind === 'disconnected');
      assert.ok((await c.broker.serverTimeMs()).ok, 'the gateway itself still answers');
      assert.deepEqual(
        gw.requests.slice(before).map((r) => r.req.type),
        ['reqCurrentTime'],
        'nothing but the clock query went out',
      );
      gw.broadcast(notice(1102, 'Connectivity between IB and TWS has been restored - data maintained.'));
      await waitUntil(() => c.broker.isConnected(), '1102');
      const restored = c.events.filter((e) => e.type === 'connectivity' && e.state === 'restored');
      assert.deepEqual(
        restored.map((e) => e.type === 'connectivity' && e.dataLost),
        [false],
      );
      gw.broadcast(notice(1100, 'lost again'));
      gw.broadcast(notice(1101, 'Connectivity between IB and TWS has been restored - data lost.'));
      await waitUntil(
        () => c.events.filter((e) => e.type === 'connectivity' && e.state === 'restored').length === 2,
        '1101',
      );
      const last = c.events.filter((e) => e.type === 'connectivity' && e.state === 'restored').at(-1);
      assert.ok(
        last?.type === 'connectivity' && last.dataLost,
        '1101 says market data must be requested again',
      );
    } finally {
      await c.close();
      await gw.close();
    }
  });
});

describe('a gateway that misbehaves', () => {
  test('a garbage frame: an error event, and the link keeps working', async () => {
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        if (req.type === 'reqCurrentTime') conn.send(['zzz', 'not', 'a', 'message']);
      },
    });
    const c = ibTestClient(gw.port);
    try {
      assert.ok((await c.broker.connect()).ok);
      assert.ok((await c.broker.serverTimeMs()).ok);
      assert.ok(c.events.some((e) => e.type === 'error' && e.code === 505 && e.class === 'unknown'));
      assert.ok(c.broker.isConnected());
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('raw garbage bytes stall the stream: the liveness probe drops the socket and reconnects', async () => {
    let garbageSent = false;
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        // The first probe of the first connection gets a frame header promising 2 GB, then nothing.
        if (req.type === 'reqCurrentTime' && conn.index === 1 && gw.requests.length > 1 && !garbageSent) {
          garbageSent = true;
          conn.sendRaw(Buffer.from([0x7f, 0xff, 0xff, 0xf0, 0x31, 0x00, 0xde, 0xad]));
        }
      },
      answerCurrentTime: true,
    });
    const clock = createVirtualClock(START_MS);
    const c = ibTestClient(gw.port, { clock });
    try {
      assert.ok((await c.broker.connect()).ok);
      const t = c.client.conn.timeouts;
      clock.advance(t.probeIntervalMs);
      await waitUntil(() => garbageSent, 'the garbage');
      clock.advance(t.probeTimeoutMs);
      await waitUntil(
        () => c.events.some((e) => e.type === 'connectivity' && e.state === 'lost'),
        'link lost',
      );
      const lost = c.events.find((e) => e.type === 'connectivity' && e.state === 'lost');
      assert.match(lost?.type === 'connectivity' ? lost.reason : '', /liveness probe/);
      await waitUntil(() => {
        clock.advance(t.backoffInitialMs);
        return c.events.some((e) => e.type === 'connectivity' && e.state === 'restored');
      }, 'reconnection');
      assert.equal(gw.connections(), 2);
      assert.ok((await c.broker.serverTimeMs()).ok);
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('a zombie socket (connected, silent): pending requests end as disconnected, then it reconnects', async () => {
    const gw = await startScriptedGateway();
    const clock = createVirtualClock(START_MS);
    // Requests wait longer than the probe: the probe, not the request's own deadline, ends them.
    const c = ibTestClient(gw.port, { clock, timeouts: { requestMs: 120_000 } });
    try {
      assert.ok((await c.broker.connect()).ok);
      gw.mute();
      const pending = c.md.optionChains('SPX');
      const t = c.client.conn.timeouts;
      clock.advance(t.probeIntervalMs);
      await waitUntil(
        () => gw.requests.filter((r) => r.req.type === 'reqCurrentTime').length >= 2,
        'the probe',
      );
      clock.advance(t.probeTimeoutMs);
      const r = await pending;
      assert.ok(!r.ok);
      assert.equal(r.error.kind, 'disconnected');
      await waitUntil(() => {
        clock.advance(t.backoffInitialMs);
        return c.events.some((e) => e.type === 'connectivity' && e.state === 'restored');
      }, 'reconnection');
      assert.ok(c.broker.isConnected());
    } finally {
      await c.close();
      await gw.close();
    }
  });

  test('a malformed advancedOrderRejectJson (stoqey would crash Node): refused with IB code and text kept', async () => {
    const gw = await startScriptedGateway({
      onRequest: (req, conn) => {
        answerContracts(req, conn);
        if (req.type === 'placeOrder')
          conn.send(
            enc.errorMessage(
              SCRIPTED_VERSION,
              req.orderId,
              201,
              'Order rejected - reason:test',
              '{"reject": bad json',
            ),
          );
      },
    });
    const c = ibTestClient(gw.port);
    try {
      assert.ok((await c.broker.connect()).ok);
      const order = testOrder(c.broker, 'p:k:1', { limitPrice: priceCents(1250) });
      const outcome = await c.broker.submit(order);
      const { orderId } = order;
      assert.deepEqual(outcome, {
        kind: 'refused',
        orderId,
        code: 201,
        text: 'Order rejected - reason:test',
      });
      assert.ok(
        c.events.some((e) => e.type === 'error' && e.code === 505 && /malformed-reject-json/.test(e.text)),
      );
      assert.ok((await c.broker.serverTimeMs()).ok, 'the link still works');
    } finally {
      await c.close();
      await gw.close();
    }
  });
});
