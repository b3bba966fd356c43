import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  FrameDecoder,
  encodeFrame,
  encodeHandshake,
  splitFields,
} from '../../../src/sim/protocol/framing.ts';
import type { InboundItem } from '../../../src/sim/protocol/framing.ts';

const fieldArb = fc.string({ maxLength: 12 }).map((s) => s.replaceAll('\0', ''));
const messageArb = fc.array(fieldArb, { minLength: 1, maxLength: 8 });

function feed(d: FrameDecoder, bytes: Buffer, cuts: readonly number[]): InboundItem[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: InboundItem[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(...d.push(bytes.subarray(prev, p)));
    prev = p;
  }
  return out;
}

describe('framing', () => {
  it('encodes a frame with a NUL after every field, the last one too, counted in the length', () => {
    const b = encodeFrame(['71', '2', '7', '']);
    assert.equal(b.readUInt32BE(0), 8);
    assert.equal(b.subarray(4).toString('latin1'), '71\u00002\u00007\u0000\u0000');
  });

  it('decodes a handshake and messages however the bytes are split', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (msgs, cuts) => {
          const bytes = Buffer.concat([encodeHandshake('v100..193'), ...msgs.map(encodeFrame)]);
          const items = feed(new FrameDecoder({ expectHandshake: true }), bytes, cuts);
          assert.deepEqual(items[0], { kind: 'handshake', text: 'v100..193' });
          assert.deepEqual(
            items.slice(1).map((i) => (i.kind === 'message' ? i.fields : i)),
            msgs,
          );
        },
      ),
    );
  });

  it('keeps an unterminated last field and flags it', () => {
    assert.deepEqual(splitFields(Buffer.from('1\u00002\u0000abc')), {
      fields: ['1', '2', 'abc'],
      terminated: false,
    });
    assert.deepEqual(splitFields(Buffer.from('1\u0000\u0000')), { fields: ['1', ''], terminated: true });
  });

  it('rejects a connection that does not start with API\\0, as soon as the first byte differs', () => {
    const d = new FrameDecoder({ expectHandshake: true });
    const items = d.push(Buffer.from('GET / HTTP/1.1\r\n'));
    assert.equal(items.length, 1);
    assert.equal(items[0]?.kind, 'error');
    assert.equal(d.failed, true);
    assert.deepEqual(d.push(encodeFrame(['49', '1'])), []);
  });

  it('waits for more bytes on a prefix of API\\0', () => {
    const d = new FrameDecoder({ expectHandshake: true });
    assert.deepEqual(d.push(Buffer.from('AP')), []);
    assert.equal(d.failed, false);
  });

  it('rejects an absurd handshake length and an oversize frame', () => {
    const h = Buffer.concat([Buffer.from('API\0', 'latin1'), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
    assert.equal(new FrameDecoder({ expectHandshake: true }).push(h)[0]?.kind, 'error');
    const d = new FrameDecoder({ expectHandshake: false, maxFrameBytes: 64 });
    const big = Buffer.alloc(4);
    big.writeUInt32BE(65);
    const items = d.push(big);
    assert.equal(items[0]?.kind, 'error');
  });

  it('waits on a truncated frame without yielding anything', () => {
    const d = new FrameDecoder({ expectHandshake: false });
    const f = encodeFrame(['49', '1']);
    assert.deepEqual(d.push(f.subarray(0, f.length - 1)), []);
    assert.equal(d.buffered, f.length - 1);
    assert.equal(d.push(f.subarray(f.length - 1)).length, 1);
  });

  it('reads a large frame sent in many small pieces, glued to the next, and forgets it on reset', () => {
    const d = new FrameDecoder({ expectHandshake: false });
    const big = encodeFrame(['20', 'x'.repeat(200_000)]);
    const both = Buffer.concat([big, encodeFrame(['49', '1'])]);
    const items = [];
    for (let i = 0; i < both.length; i += 997) items.push(...d.push(both.subarray(i, i + 997)));
    assert.deepEqual(
      items.map((x) => (x.kind === 'message' ? [x.fields[0], x.fields[1]?.length] : x.kind)),
      [
        ['20', 200_000],
        ['49', 1],
      ],
    );
    assert.equal(d.buffered, 0);
    d.push(big.subarray(0, 1000));
    assert.equal(d.buffered, 1000);
    d.reset();
    assert.equal(d.buffered, 0);
  });

  it('refuses to encode a field containing NUL', () => {
    assert.throws(() => encodeFrame(['a\0b']));
  });
});
