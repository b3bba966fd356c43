// The daemon's rules on a virtual clock: restart mid-day, the restart window, the kill switch, a
// gateway down at the entry time, the clock jumping, a runner that fails, a journal that cannot be
// used. Times are New York; 2026-03-17 is a Tuesday (entry 15:45, last start 15:52).
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { createMemoryJournal } from '../../src/adapters/memory/memory-journal.ts';
import { cycleSlot, nextCycleSlot, restartWindowAt } from '../../src/app/daemon.ts';
import { IronvixError } from '../../src/errors.ts';
import { sleepUntil } from '../../src/ports/clock.ts';
import type { Rig } from './daemon-harness.ts';
import { BASE_SETTINGS, calendar, rig, settle } from './daemon-harness.ts';

const at = (nyLocal: string): number => Date.parse(`${nyLocal}-04:00`);
const MIN = 60_000;

let rigs: Rig[] = [];
function newRig(startNy: string, journal = createMemoryJournal('sim')): Rig {
  const r = rig(`${startNy}-04:00`, journal);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs) await r.stopAll();
  rigs = [];
});

describe('cycle points', () => {
  it('last start: 7 minutes after a 15:45 entry (the plan needs 8 minutes before the 16:00 close)', () => {
    const s = cycleSlot(calendar, '2026-03-17', BASE_SETTINGS);
    assert.equal(s.entryAtMs, at('2026-03-17T15:45:00'));
    assert.equal(s.lastStartAtMs, at('2026-03-17T15:52:00'));
  });

  it('an early entry may run late by maxLateMinutes at most', () => {
    const s = cycleSlot(calendar, '2026-03-17', {
      ...BASE_SETTINGS,
      entry: { time: '10:00', earlyCloseMinutesBefore: 15 },
      maxLateMinutes: 45,
    });
    assert.equal(s.lastStartAtMs - s.entryAtMs, 45 * MIN);
  });

  it('after the last start the next cycle point is the next trading day (Good Friday skipped)', () => {
    const s = nextCycleSlot(calendar, at('2026-04-02T15:53:00'), BASE_SETTINGS);
    assert.equal(s.cycleDate, '2026-04-06');
  });

  it('restart window crossing midnight: inside until its end the next day', () => {
    const w = { startMinutes: 23 * 60 + 45, endMinutes: 15 };
    assert.deepEqual(restartWindowAt(w, at('2026-03-17T23:50:00')), {
      inside: true,
      endsAtMs: at('2026-03-18T00:15:00'),
    });
    assert.deepEqual(restartWindowAt(w, at('2026-03-18T00:10:00')), {
      inside: true,
      endsAtMs: at('2026-03-18T00:15:00'),
    });
    assert.equal(restartWindowAt(w, at('2026-03-18T00:15:00')).inside, false);
    assert.equal(restartWindowAt(w, at('2026-03-17T15:45:00')).inside, false);
  });
});

describe('restart of the daemon', () => {
  it('a restart after the cycle ran never runs it again; the next day runs', async () => {
    const journal = createMemoryJournal('sim');
    const a = newRig('2026-03-17T15:00:00', journal);
    const first = a.start();
    await a.clock.runUntil(at('2026-03-17T15:46:00'));
    assert.equal(a.calls.length, 1);
    first.daemon.stop();
    await settle();
    // The same journal (the database file) in a new process a few minutes later.
    const b = newRig('2026-03-17T15:47:00', journal);
    b.start();
    await b.clock.runUntil(at('2026-03-18T16:00:00'));
    assert.deepEqual(
      b.calls.map((c) => c.req.cycleDate),
      ['2026-03-18'],
    );
  });

  it('started after the entry time but before the last start: runs late, at once', async () => {
    const r = newRig('2026-03-17T15:49:30');
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:55:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.calls[0]!.atMs, at('2026-03-17T15:49:30'));
    assert.equal(r.journal.cycle('2026-03-17')?.state, 'done');
  });

  it('started after the last start: today is not run, tomorrow is', async () => {
    const r = newRig('2026-03-17T15:53:00');
    r.start();
    await r.clock.runUntil(at('2026-03-18T16:00:00'));
    assert.deepEqual(
      r.calls.map((c) => c.req.cycleDate),
      ['2026-03-18'],
    );
    assert.equal(r.journal.cycle('2026-03-17'), null);
  });

  it('a cycle claimed by a process that died is resumed inside its span, never planned anew', async () => {
    const journal = createMemoryJournal('sim');
    journal.append({ type: 'cycle-claimed', cycleDate: '2026-03-17', atMs: at('2026-03-17T15:45:00') });
    const r = newRig('2026-03-17T15:47:00', journal);
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:55:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.calls[0]!.req.recovering, true);
  });

  it('a cycle left running past its span is marked failed (interrupted) and notified', async () => {
    const journal = createMemoryJournal('sim');
    journal.append({ type: 'cycle-claimed', cycleDate: '2026-03-16', atMs: at('2026-03-16T15:45:00') });
    const r = newRig('2026-03-17T09:00:00', journal);
    r.start();
    await r.clock.runUntil(at('2026-03-17T09:01:00'));
    assert.equal(journal.cycle('2026-03-16')?.state, 'failed');
    assert.match(journal.cycle('2026-03-16')!.outcome, /interrupted/);
    assert.ok(r.notes.some((n) => n.kind === 'error' && n.cycleDate === '2026-03-16'));
  });
});

describe('before each cycle', () => {
  it('inside the restart window: waits for its end, then runs', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.start({ restartWindow: { startMinutes: 15 * 60 + 40, endMinutes: 15 * 60 + 48 } });
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.calls[0]!.atMs, at('2026-03-17T15:48:00'));
  });

  it('a restart window that outlasts the last start: skipped with its reason, notified, nothing run', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.start({ restartWindow: { startMinutes: 15 * 60 + 40, endMinutes: 16 * 60 } });
    await r.clock.runUntil(at('2026-03-17T16:30:00'));
    assert.equal(r.calls.length, 0);
    const c = r.journal.cycle('2026-03-17');
    assert.equal(c?.state, 'skipped');
    assert.match(c.outcome, /restart window/);
    assert.ok(r.notes.some((n) => n.kind === 'cycle-skipped' && /restart window/.test(n.text)));
  });

  it('halted: the cycle waits for a resume and never runs while halted; skipped at the last start', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.journal.append({
      type: 'halted',
      reason: 'checking fills',
      source: 'user',
      atMs: at('2026-03-17T14:00:00'),
    });
    r.start();
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.equal(r.calls.length, 0);
    assert.match(r.journal.cycle('2026-03-17')!.outcome, /halted.*checking fills/);
    const halts = r.notes.filter((n) => n.kind === 'halt');
    assert.equal(halts.length, 1, 'the halt is notified once, not at every retry');
    assert.ok(r.notes.some((n) => n.kind === 'cycle-skipped'));
  });

  it('resumed before the last start: the cycle runs at the next retry', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.journal.append({
      type: 'halted',
      reason: 'checking fills',
      source: 'user',
      atMs: at('2026-03-17T14:00:00'),
    });
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:47:30'));
    assert.equal(r.calls.length, 0);
    r.journal.append({ type: 'resumed', by: 'user', note: 'ok', atMs: at('2026-03-17T15:47:30') });
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.calls[0]!.atMs, at('2026-03-17T15:48:00'));
  });

  it('the reconcile hook runs at startup and before the cycle; a halting reconcile stops the cycle', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.reconcile = (q) => {
      if (q.trigger === 'startup') return { kind: 'clean' };
      q.journal.append({ type: 'halted', reason: 'unknown order 77', source: 'reconcile', atMs: 0 });
      return { kind: 'halted', message: 'unknown order 77' };
    };
    r.start();
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.deepEqual(
      r.reconciles.map((q) => q.trigger),
      ['startup', 'before-cycle'],
    );
    assert.equal(r.calls.length, 0);
    assert.equal(r.journal.cycle('2026-03-17')?.state, 'skipped');
  });
});

describe('gateway down at the entry time', () => {
  it('retries every minute and runs once the gateway is back', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = (req) =>
      req.attempt < 4
        ? { kind: 'unavailable', reason: 'connect ECONNREFUSED 127.0.0.1:4002' }
        : { kind: 'finished', planId: 'p1', result: 'PARTIAL', summary: 'condor 1 of 2' };
    r.start();
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.deepEqual(
      r.calls.map((c) => (c.atMs - at('2026-03-17T15:45:00')) / MIN),
      [0, 1, 2, 3],
    );
    assert.equal(r.journal.cycle('2026-03-17')?.state, 'done');
    assert.equal(r.notes.filter((n) => n.kind === 'service' && /unavailable/.test(n.title)).length, 1);
    assert.ok(r.notes.some((n) => n.kind === 'plan-outcome' && /PARTIAL/.test(n.title)));
  });

  it('down until the last start: a skipped cycle with its reason, notified', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = () => ({ kind: 'unavailable', reason: 'connect ECONNREFUSED 127.0.0.1:4002' });
    r.start();
    await r.clock.runUntil(at('2026-03-18T09:00:00'));
    assert.equal(r.calls.length, 8, 'attempts at 15:45 ... 15:52');
    assert.equal(r.calls.at(-1)!.atMs, at('2026-03-17T15:52:00'));
    const c = r.journal.cycle('2026-03-17')!;
    assert.equal(c.state, 'skipped');
    assert.match(c.outcome, /gateway unavailable: connect ECONNREFUSED/);
    assert.ok(r.notes.some((n) => n.kind === 'cycle-skipped' && /ECONNREFUSED/.test(n.text)));
  });

  it('a refused plan (nothing sent) is skipped at once, not retried', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = () => ({ kind: 'refused', reason: 'pre-flight: SPXW quote stale' });
    r.start();
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.journal.cycle('2026-03-17')?.outcome, 'pre-flight: SPXW quote stale');
  });

  it('a broker error thrown mid-cycle is retried as a recovery (resume, never a second plan)', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = (req) => {
      if (req.attempt === 1) throw new IronvixError('E_RECONCILE_UNAVAILABLE', 'link lost');
      return { kind: 'finished', planId: 'p1', result: 'COMPLETE', summary: '' };
    };
    r.start();
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.deepEqual(
      r.calls.map((c) => c.req.recovering),
      [false, true],
    );
  });
});

describe('faults', () => {
  it('a runner that throws: cycle failed, trading halted by the service, error notified; later cycles wait', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = (req) => {
      if (req.cycleDate === '2026-03-17') throw new Error('executor bug');
      return { kind: 'finished', planId: 'p', result: 'COMPLETE', summary: '' };
    };
    r.start();
    await r.clock.runUntil(at('2026-03-18T16:00:00'));
    assert.equal(r.journal.cycle('2026-03-17')?.state, 'failed');
    const h = r.journal.haltState();
    assert.ok(h.halted && h.source === 'service' && /executor bug/.test(h.reason));
    assert.ok(r.notes.some((n) => n.kind === 'error' && /executor bug/.test(n.text)));
    assert.equal(r.calls.length, 1, 'the next day waits on the halt');
    assert.equal(r.journal.cycle('2026-03-18')?.state, 'skipped');
  });

  it('a journal that cannot be opened stops the daemon with its code, notified', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.openJournal = () => {
      throw new IronvixError('E_JOURNAL_FULL', 'disk full writing journal-sim.sqlite');
    };
    const { done } = r.start();
    await r.clock.runUntil(at('2026-03-17T15:01:00'));
    const e = await done;
    assert.ok(
      e instanceof IronvixError && e.code === 'E_JOURNAL_FULL',
      'run() rejects with the journal error',
    );
    assert.equal(r.calls.length, 0);
    assert.ok(r.notes.some((n) => n.kind === 'error' && /E_JOURNAL_FULL/.test(n.text)));
  });

  it('a safety refusal from the runner fails the cycle and stops the daemon', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.script = () => {
      throw new IronvixError('E_PAPER_LIVE_ACCOUNT', 'paper mode refused: account U123 is a live account');
    };
    const { done } = r.start();
    await r.clock.runUntil(at('2026-03-18T16:00:00'));
    assert.equal(r.calls.length, 1);
    assert.equal(r.journal.cycle('2026-03-17')?.state, 'failed');
    assert.equal(r.journal.cycle('2026-03-18'), null, 'stopped: no later cycle');
    const e = await done;
    assert.ok(e instanceof IronvixError && e.code === 'E_PAPER_LIVE_ACCOUNT');
  });

  it('a notifier that has not answered does not hold the cycles up', async () => {
    const r = newRig('2026-03-17T15:00:00');
    const held: (() => void)[] = [];
    r.deliver = () => new Promise<void>((resolve) => held.push(resolve));
    r.script = async (req, clock) => {
      await sleepUntil(clock, req.entryAtMs + 3 * MIN);
      return { kind: 'finished', planId: 'p', result: 'COMPLETE', summary: '' };
    };
    r.start();
    await r.clock.runUntil(at('2026-03-18T16:00:00'));
    assert.deepEqual(
      r.calls.map((c) => c.atMs),
      [at('2026-03-17T15:45:00'), at('2026-03-18T15:45:00')],
    );
    assert.equal(r.journal.cycle('2026-03-18')?.state, 'done');
    assert.ok(held.length >= 3, 'started + two outcomes, none delivered');
    for (const release of held) release();
  });
});

describe('the clock jumping', () => {
  it('a suspend over the whole cycle span: recorded as missed and notified; the next day runs', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:30:00'));
    r.clock.jump(90 * MIN); // wakes at 17:00 with the heartbeat timer still pending
    await r.clock.runUntil(at('2026-03-18T16:00:00'));
    const c = r.journal.cycle('2026-03-17')!;
    assert.equal(c.state, 'skipped');
    assert.match(c.outcome, /missed: the clock went from 2026-03-17 15:30 New York to 2026-03-17 17:0\d/);
    assert.ok(r.notes.some((n) => n.kind === 'cycle-skipped' && /missed/.test(n.text)));
    assert.deepEqual(
      r.calls.map((c) => c.req.cycleDate),
      ['2026-03-18'],
    );
  });

  it('a suspend that ends inside the span: the cycle runs late, within one heartbeat of waking', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:40:00'));
    r.clock.jump(7 * MIN); // now 15:47
    await r.clock.runUntil(at('2026-03-17T16:00:00'));
    assert.equal(r.calls.length, 1);
    assert.ok(r.calls[0]!.atMs <= at('2026-03-17T15:48:00'));
  });

  it('the clock set back after a cycle never fires it twice', async () => {
    const r = newRig('2026-03-17T15:00:00');
    r.start();
    await r.clock.runUntil(at('2026-03-17T15:50:00'));
    r.clock.jump(-20 * MIN); // 15:30 again
    await r.clock.runUntil(at('2026-03-17T16:30:00'));
    assert.equal(r.calls.length, 1);
  });

  it('every runner call lies inside its cycle span (no order between cycle points)', async () => {
    const r = newRig('2026-03-16T00:00:00');
    r.script = (req) =>
      req.attempt < 3
        ? { kind: 'unavailable', reason: 'down' }
        : { kind: 'finished', planId: 'p', result: 'COMPLETE', summary: '' };
    r.start({ restartWindow: { startMinutes: 23 * 60 + 45, endMinutes: 15 } });
    await r.clock.runUntil(at('2026-03-18T12:00:00'));
    r.clock.jump(4 * 60 * MIN);
    await r.clock.runUntil(at('2026-03-25T00:00:00'));
    assert.ok(r.calls.length > 10);
    for (const c of r.calls) {
      const s = cycleSlot(calendar, c.req.cycleDate, BASE_SETTINGS);
      assert.ok(c.atMs >= s.entryAtMs && c.atMs <= s.lastStartAtMs, `${c.req.cycleDate} inside its span`);
    }
  });
});
