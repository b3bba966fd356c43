// Byte-exact goldens of what the server writes at V=178: the hello, an openOrder, an execDetails.
// Rewrite with UPDATE_GOLDEN=1 after an intended change, and review the diff.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { encodeHandshake } from '../../../src/sim/protocol/framing.ts';
import { withFakeSim } from '../support/fake-sim.ts';
import { RawClient } from '../support/raw-client.ts';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../golden/sim');

function render(title: string, frame: Buffer): string {
  const fields = frame.subarray(4).toString('utf8').split('\0').slice(0, -1);
  const hex = frame
    .toString('hex')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return `# ${title}\n# length ${frame.readUInt32BE(0)}, ${fields.length} fields; \\0 shown as |\n${fields.join('|')}|\n${hex}\n`;
}

function checkGolden(name: string, text: string): void {
  const path = join(GOLDEN_DIR, name);
  if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(path)) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, text);
    if (process.env['UPDATE_GOLDEN'] !== '1')
      assert.fail(`golden ${name} was missing and has been written; review and re-run`);
    return;
  }
  assert.equal(text, readFileSync(path, 'utf8'), `golden ${name} differs (UPDATE_GOLDEN=1 rewrites it)`);
}

describe('golden bytes at server version 178', () => {
  it('server hello, openOrder and execDetails', async () => {
    await withFakeSim({ serverVersion: 178 }, async (sim) => {
      const raw = await RawClient.connect(sim.server.port);
      raw.write(encodeHandshake('v100..193'));
      await raw.waitFrame((f) => f.length === 2);
      checkGolden(
        'server-hello-v178.golden',
        render('server hello, v178, 2025-01-10 10:00:00 New York', raw.rawFrames[0]!),
      );

      raw.send(['71', '2', '7', '']);
      await raw.waitFrame((f) => f[0] === '9');
      const conId = sim.market.findContracts({ tradingClass: 'SPXW', strike: 5850, right: 'P' })[0]!.conId;
      // placeOrder as stoqey 1.6.10 writes it at v178 (114 fields), orderRef "golden-1".
      const place = [
        '3',
        '1',
        String(conId),
        '',
        '',
        '',
        '',
        '',
        '',
        'SMART',
        '',
        '',
        '',
        '',
        '',
        '',
        'SELL',
        '2',
        'LMT',
        '3.1',
        '',
        'DAY',
        '',
        '',
        '',
        '',
        'golden-1',
        '1',
      ];
      while (place.length < 114) place.push('');
      raw.send(place);
      await raw.waitFrame((f) => f[0] === '3');
      const openOrder = raw.rawFrames[raw.frames.findIndex((f) => f[0] === '5')]!;
      checkGolden(
        'open-order-v178.golden',
        render('openOrder for a SELL 2 SPXW 5850P LMT 3.1, v178', openOrder),
      );

      sim.venue.fill(7, 1, 1, 3.1);
      await raw.waitFrame((f) => f[0] === '11');
      const exec = raw.rawFrames[raw.frames.findIndex((f) => f[0] === '11')]!;
      checkGolden(
        'exec-details-v178.golden',
        render('execDetails for the first fill of that order, v178', exec),
      );
      raw.end();
    });
  });
});
