// The simulator as a server under abuse: an unqualified contract request, a client that never reads,
// half-sent frames, a thousand connections. Every attack ends with the offender answered or dropped,
// its memory released, and the server still serving a normal client. Memory is asserted through the
// server's own accounting (bytes held per connection); the RSS figures live in `npm run bench`.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import { createVirtualClock } from '../../../src/adapters/clock/virtual-clock.ts';
import { encodeFrame, encodeHandshake } from '../../../src/sim/protocol/framing.ts';
import type { SimServer } from '../../../src/sim/server.ts';
import { SAFETY_TIMEOUT_MS } from '../support/harness.ts';
import { withFakeSim } from '../support/fake-sim.ts';
import { RawClient } from '../support/raw-client.ts';
import { withRealSim } from '../support/real-sim.ts';

const MIB = 1024 * 1024;

/** reqContractDetails at v178: 19 fields (docs/ib-notes.md §2). */
function contractDetails(reqId: number, c: { secType?: string; symbol?: string; conId?: number }): string[] {
  return [
    '9',
    '8',
    String(reqId),
    c.conId === undefined ? '' : String(c.conId),
    c.symbol ?? '',
    c.secType ?? '',
    '',
    '',
    '',
    '',
    'SMART',
    '',
    'USD',
    '',
    '',
    '0',
    '',
    '',
    '',
  ];
}

async function until(what: string, done: () => boolean, debug?: () => string): Promise<void> {
  const deadline = Date.now() + SAFETY_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline)
      assert.fail(`timed out waiting until ${what}${debug === undefined ? '' : `: ${debug()}`}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A socket that says hello and startApi, then never reads again. */
function deafClient(port: number, clientId: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.write(encodeHandshake('v100..178'));
      s.write(encodeFrame(['71', '2', String(clientId), '']));
      s.pause();
      resolve(s);
    });
    s.on('error', () => undefined);
    s.once('error', reject);
  });
}

function rawSocket(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => resolve(s));
    s.on('error', () => undefined);
    // Flowing, so a close from the server is seen.
    s.resume();
  });
}

async function stillServes(port: number, clientId: number): Promise<void> {
  const ok = await RawClient.started(port, clientId);
  ok.send(['49', '1']);
  await ok.waitFrame((f) => f[0] === '49');
  ok.end();
}

describe('the simulator under abuse', () => {
  it("answers an unqualified reqContractDetails with IB's validation error, not with every contract", async () => {
    await withRealSim({}, async (s) => {
      const raw = await RawClient.started(s.sim.port, 11);
      const since = raw.frames.length;
      raw.send(contractDetails(1, {}));
      raw.send(contractDetails(2, { secType: 'OPT' }));
      raw.send(contractDetails(3, { secType: 'IND', symbol: 'SPX' }));
      const end = await raw.waitFrame((f) => f[0] === '52' && f[2] === '3', since);
      assert.ok(end !== undefined);
      const answers = raw.frames.slice(since);
      const errors = answers.filter((f) => f[0] === '4').map((f) => [f[2], f[3], f[4]]);
      assert.deepEqual(errors, [
        ['1', '321', "Error validating request.-'bK' : cause - Please enter a valid security type"],
        ['2', '321', "Error validating request.-'bK' : cause - Please enter a symbol or a local symbol"],
      ]);
      assert.deepEqual(
        answers.filter((f) => f[0] === '10').map((f) => f[1]),
        ['3'],
        'only the qualified request got contract data',
      );
      raw.end();
    });
  });

  it('drops a client that stops reading once its unsent output passes the limit, and releases it', async () => {
    await withRealSim(
      { limits: { maxOutputBufferBytes: 1 * MIB, maxMessagesPerSecond: 100_000 } },
      async (s) => {
        const server: SimServer = s.sim.server;
        const deaf = await deafClient(s.sim.port, 21);
        // Every SPXW contract, 120 times: megabytes per answer that the client never takes.
        for (let i = 0; i < 120; i++)
          deaf.write(encodeFrame(contractDetails(100 + i, { secType: 'OPT', symbol: 'SPX' })));
        await until('the deaf client is dropped', () => server.stats().droppedSlowReaders === 1);
        await until('its session is gone', () => !server.sessions().some((x) => x.clientId === 21));
        const stats = server.stats();
        assert.equal(stats.pendingOutputBytes, 0, 'nothing is held for it any more');
        assert.ok(!server.sessions().some((x) => x.clientId === 21));
        const c = s.client(22);
        await c.connect();
        c.ib.reqCurrentTime();
        await c.waitFor(EventName.currentTime);
        deaf.destroy();
      },
    );
  });

  it('drops a 1 MiB frame left half-sent after the timeout, however slowly it trickles, and frees it', async () => {
    const guard = createVirtualClock(0);
    await withFakeSim({ guardClock: guard, limits: { partialFrameTimeoutMs: 10_000 } }, async (sim) => {
      const bad = await RawClient.started(sim.server.port, 31);
      const header = Buffer.alloc(4);
      header.writeUInt32BE(MIB - 16);
      bad.write(Buffer.concat([header, Buffer.alloc(MIB / 2, 0x41)]));
      const held = (): number =>
        sim.server.sessions().find((x) => x.clientId === 31)?.bufferedInputBytes ?? 0;
      await until('the half frame is buffered', () => held() >= MIB / 2);
      guard.advance(9_000);
      bad.write(Buffer.alloc(1024, 0x41));
      await until('more bytes arrive', () => held() >= MIB / 2 + 1024);
      guard.advance(999);
      assert.equal(bad.closed, false, 'still inside the window');
      guard.advance(1);
      await bad.waitClosed();
      const stats = sim.server.stats();
      assert.equal(stats.droppedPartialFrames, 1);
      assert.equal(stats.bufferedInputBytes, 0, 'the half frame is released');
      await stillServes(sim.server.port, 32);
    });
  });

  it('caps connections: 1,000 sockets holding half frames keep the held memory bounded and then free', async () => {
    const guard = createVirtualClock(0);
    await withFakeSim(
      {
        guardClock: guard,
        limits: { maxConnections: 32, partialFrameTimeoutMs: 10_000, setupTimeoutMs: 10_000 },
      },
      async (sim) => {
        const header = Buffer.alloc(4);
        header.writeUInt32BE(MIB);
        const hello = Buffer.concat([encodeHandshake('v100..178'), header, Buffer.alloc(64 * 1024, 0x42)]);
        const sockets = await Promise.all(Array.from({ length: 1000 }, () => rawSocket(sim.server.port)));
        for (const s of sockets) s.write(hello);
        // Each held connection keeps its frame's 4-byte header and the 64 KiB sent so far.
        const perConnection = 4 + 64 * 1024;
        await until(
          '32 connections hold their half frames and the rest are closed',
          () => {
            const st = sim.server.stats();
            return st.refusedConnections === 968 && st.bufferedInputBytes === 32 * perConnection;
          },
          () => JSON.stringify(sim.server.stats()),
        );
        const st = sim.server.stats();
        assert.ok(st.refusedConnections >= 968, `refused ${st.refusedConnections}`);
        assert.ok(st.bufferedInputBytes <= 32 * MIB, 'bounded by the cap times the largest frame');
        guard.advance(10_000);
        await until('every half frame is dropped', () => sim.server.stats().connections === 0);
        assert.deepEqual(
          { connections: sim.server.stats().connections, held: sim.server.stats().bufferedInputBytes },
          { connections: 0, held: 0 },
        );
        for (const s of sockets) s.destroy();
        await stillServes(sim.server.port, 41);
      },
    );
  });

  it('gives a connection that never says startApi its slot back after the setup timeout', async () => {
    const guard = createVirtualClock(0);
    await withFakeSim({ guardClock: guard, limits: { setupTimeoutMs: 10_000 } }, async (sim) => {
      const idle = await RawClient.connect(sim.server.port);
      await until('the server sees it', () => sim.server.stats().connections === 1);
      guard.advance(10_000);
      await idle.waitClosed();
      assert.equal(sim.server.stats().connections, 0);
    });
  });
});
