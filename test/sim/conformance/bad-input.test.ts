// Garbage on the wire: the offending client is answered or dropped, every other client keeps working.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventName } from '@stoqey/ib';
import { encodeFrame, encodeHandshake } from '../../../src/sim/protocol/framing.ts';
import { withFakeSim } from '../support/fake-sim.ts';
import type { FakeSim } from '../support/fake-sim.ts';
import { RawClient } from '../support/raw-client.ts';

/** A well-behaved stoqey client still gets answers. */
async function stillServes(sim: FakeSim, clientId: number): Promise<void> {
  const ok = sim.client(clientId);
  await ok.connect();
  ok.ib.reqCurrentTime();
  await ok.waitFor(EventName.currentTime);
}

describe('bad input', () => {
  it('drops a client that sends garbage instead of the handshake', async () => {
    await withFakeSim({}, async (sim) => {
      const bad = await RawClient.connect(sim.server.port);
      bad.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      await bad.waitClosed();
      assert.equal(bad.frames.length, 0);
      await stillServes(sim, 1);
    });
  });

  it('drops a client whose version range does not overlap, without a hello', async () => {
    await withFakeSim({}, async (sim) => {
      const bad = await RawClient.connect(sim.server.port);
      bad.write(encodeHandshake('v194..225'));
      await bad.waitClosed();
      assert.equal(bad.frames.length, 0);
      await stillServes(sim, 1);
    });
  });

  it('drops a client announcing an absurd frame length', async () => {
    await withFakeSim({}, async (sim) => {
      const bad = await RawClient.started(sim.server.port, 11);
      const huge = Buffer.alloc(4);
      huge.writeUInt32BE(0xfffffff0);
      bad.write(Buffer.concat([huge, Buffer.from('49\u00001\u0000')]));
      await bad.waitClosed();
      await stillServes(sim, 1);
    });
  });

  it('survives a truncated frame followed by a hang-up', async () => {
    await withFakeSim({}, async (sim) => {
      const bad = await RawClient.started(sim.server.port, 12);
      bad.write(encodeFrame(['49', '1']).subarray(0, 5));
      bad.end();
      await bad.waitClosed();
      await stillServes(sim, 1);
    });
  });

  it('answers unknown ids, unsupported and malformed requests with IB errors and keeps the connection', async () => {
    await withFakeSim({}, async (sim) => {
      const raw = await RawClient.started(sim.server.port, 13);
      let since = raw.frames.length;
      raw.send(['999', '1']);
      const unknown = await raw.waitFrame((f) => f[0] === '4', since);
      assert.deepEqual(unknown.slice(0, 4), ['4', '2', '-1', '320']);

      since = raw.frames.length;
      raw.send(['10', '5', '1']); // reqMktDepth: a real request the simulator does not serve
      const unsupported = await raw.waitFrame((f) => f[0] === '4', since);
      assert.equal(unsupported[3], '322');

      since = raw.frames.length;
      raw.send(['3', '4242', '', 'SPX', 'OPT']); // placeOrder cut short
      const malformed = await raw.waitFrame((f) => f[0] === '4', since);
      assert.deepEqual(malformed.slice(0, 4), ['4', '2', '4242', '320']);

      since = raw.frames.length;
      raw.send([
        '1',
        '11',
        '77',
        '',
        'SPX',
        'BAG',
        '',
        '',
        '',
        '',
        'SMART',
        '',
        'USD',
        '',
        '',
        '2147483647',
        '1',
        '1',
        'BUY',
      ]);
      const absurdCount = await raw.waitFrame((f) => f[0] === '4', since);
      assert.equal(absurdCount[3], '320');

      since = raw.frames.length;
      raw.send(['9', '8', 'not-a-number', 'x']);
      assert.equal((await raw.waitFrame((f) => f[0] === '4', since))[3], '320');

      since = raw.frames.length;
      raw.write(Buffer.from([0, 0, 0, 0])); // an empty frame
      raw.send(['49', '1']);
      const time = await raw.waitFrame((f) => f[0] === '49', since);
      assert.equal(time[2], String(Math.floor(sim.clock.nowMs() / 1000)));
      assert.equal(raw.closed, false);
      raw.end();
    });
  });

  it('answers a request sent before startApi with 320 and a frame missing its final NUL is still read', async () => {
    await withFakeSim({}, async (sim) => {
      const raw = await RawClient.connect(sim.server.port);
      raw.write(encodeHandshake('v100..178'));
      await raw.waitFrame((f) => f.length === 2);
      raw.send(['49', '1']);
      const early = await raw.waitFrame((f) => f[0] === '4');
      assert.equal(early[3], '320');
      raw.send(['71', '2', '14', '']);
      await raw.waitFrame((f) => f[0] === '9');
      const body = Buffer.from('49\u00001');
      const header = Buffer.alloc(4);
      header.writeUInt32BE(body.length);
      const since = raw.frames.length;
      raw.write(Buffer.concat([header, body]));
      await raw.waitFrame((f) => f[0] === '49', since);
      assert.ok(sim.logs.some((l) => l.msg === 'frame without a final NUL'));
      raw.end();
    });
  });
});
