// Small parsers and rules of the wire layer: IB durations and end times, start times, fault plans.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRequest } from '../../../src/sim/protocol/decode-requests.ts';
import { parseDurationDays, parseEndDateTime, toQuery } from '../../../src/sim/session.ts';
import { SimFaults } from '../../../src/sim/faults.ts';
import { parseStartAt } from '../../../src/cli/wiring/simulator.ts';

describe('historical request parsing', () => {
  it('turns IB durations into calendar days', () => {
    assert.equal(parseDurationDays('5 D'), 5);
    assert.equal(parseDurationDays('2 W'), 14);
    assert.equal(parseDurationDays('1 Y'), 366);
    assert.equal(parseDurationDays('30 S'), null);
    assert.equal(parseDurationDays('0 D'), null);
  });

  it('reads IB end times in New York, UTC or a named zone', () => {
    const now = 123;
    assert.equal(parseEndDateTime('', now), now);
    assert.equal(parseEndDateTime('20250110 16:00:00', now), Date.parse('2025-01-10T21:00:00Z'));
    assert.equal(parseEndDateTime('20250110 16:00:00 US/Eastern', now), Date.parse('2025-01-10T21:00:00Z'));
    assert.equal(parseEndDateTime('20250110-21:00:00', now), Date.parse('2025-01-10T21:00:00Z'));
    assert.equal(parseEndDateTime('20250110', now), Date.parse('2025-01-11T04:59:59Z'));
    assert.equal(parseEndDateTime('yesterday', now), null);
  });
});

describe('contract queries', () => {
  it('treats SMART, empty fields and "?" as wildcards and refuses an unknown right', () => {
    const base = {
      conId: null,
      symbol: 'SPX',
      secType: 'opt',
      lastTradeDateOrContractMonth: '2025-01-13',
      strike: 5900,
      right: 'PUT',
      multiplier: null,
      exchange: 'SMART',
      primaryExch: '',
      currency: 'USD',
      localSymbol: '',
      tradingClass: 'SPXW',
      includeExpired: false,
      comboLegs: [],
    };
    assert.deepEqual(toQuery(base), {
      symbol: 'SPX',
      secType: 'OPT',
      lastTradeDateOrContractMonth: '20250113',
      strike: 5900,
      right: 'P',
      currency: 'USD',
      tradingClass: 'SPXW',
    });
    assert.equal(toQuery({ ...base, right: 'X' }), null);
    assert.equal(toQuery({ ...base, right: '?' })?.right, undefined);
  });
});

describe('simulator start time', () => {
  it('reads dates and times as New York unless an offset is given', () => {
    assert.equal(parseStartAt('2025-01-10'), Date.parse('2025-01-10T14:30:00Z'));
    assert.equal(parseStartAt('2025-07-10T10:00'), Date.parse('2025-07-10T14:00:00Z'));
    assert.equal(parseStartAt('2025-01-10T10:00:00Z'), Date.parse('2025-01-10T10:00:00Z'));
    assert.throws(() => parseStartAt('next friday'), /not an ISO date/);
  });
});

describe('session faults', () => {
  it('rejects invalid plans', () => {
    const f = new SimFaults(1);
    assert.throws(() => f.arm({ kind: 'dropAtMessage', n: 0 }));
    assert.throws(() => f.arm({ kind: 'dropAcks', probability: 2 }));
    assert.throws(() => f.arm({ kind: 'dropAtEvent', event: '' }));
  });

  it('replays probabilistic faults identically for the same seed', () => {
    const run = (seed: number): boolean[] => {
      const f = new SimFaults(seed);
      f.arm({ kind: 'dropAcks', probability: 0.5 });
      return Array.from(
        { length: 40 },
        () => f.onOutgoing({ sessionId: 1, clientId: 1 }, 'orderStatus', true).action === 'drop',
      );
    };
    assert.deepEqual(run(9), run(9));
    assert.notDeepEqual(run(9), run(10));
    const drops = run(9).filter(Boolean).length;
    assert.ok(drops > 5 && drops < 35);
  });

  it('leaves replies to requests alone when dropping acknowledgements', () => {
    const f = new SimFaults(1);
    f.arm({ kind: 'dropAcks' });
    assert.deepEqual(f.onOutgoing({ sessionId: 1, clientId: 1 }, 'openOrder', false), {
      action: 'send',
      copies: 1,
    });
    assert.deepEqual(f.onOutgoing({ sessionId: 1, clientId: 1 }, 'openOrder', true), { action: 'drop' });
  });
});

describe('ib_async value conventions', () => {
  it('reads an unset conId/strike written as 0 / 0.0 as not given, and "Infinite" as +infinity', () => {
    const d = decodeRequest(
      ['9', '8', '1', '0', 'SPX', 'IND', '', '0.0', '', '', 'CBOE', '', 'USD', '', '', '0', '', '', ''],
      178,
    );
    assert.ok(d.ok && d.request.type === 'reqContractDetails');
    assert.equal(d.request.contract.conId, null);
    assert.equal(d.request.contract.strike, null);
    assert.equal(d.leftover, 0);
  });
});
