import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateVersion, parseVersionRange } from '../../../src/sim/protocol/version.ts';

describe('version negotiation', () => {
  it('parses the version strings real clients send', () => {
    assert.deepEqual(parseVersionRange('v100..193'), { min: 100, max: 193 });
    assert.deepEqual(parseVersionRange('v157..178 +PACEAPI'), { min: 157, max: 178 });
    assert.deepEqual(parseVersionRange('v176'), { min: 176, max: 176 });
    assert.equal(parseVersionRange('100..193'), null);
    assert.equal(parseVersionRange('v193..100'), null);
  });

  it('picks min(clientMax, simMax)', () => {
    assert.deepEqual(negotiateVersion('v100..193'), {
      ok: true,
      version: 178,
      client: { min: 100, max: 193 },
    });
    const version = (text: string, simMax: number): number | null => {
      const n = negotiateVersion(text, simMax);
      return n.ok ? n.version : null;
    };
    assert.equal(version('v100..193', 193), 193);
    assert.equal(version('v157..178 +PACEAPI', 193), 178);
    assert.equal(version('v100..225', 193), 193);
  });

  it('refuses ranges that do not overlap', () => {
    assert.equal(negotiateVersion('v194..225', 178).ok, false);
    assert.equal(negotiateVersion('v100..150').ok, false);
    assert.equal(negotiateVersion('garbage').ok, false);
  });
});
