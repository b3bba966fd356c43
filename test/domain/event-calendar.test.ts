// An expiry day beyond the event calendar is said loudly and treated by calendarGapPolicy
// (default: an event day), instead of being counted silently as "no event".
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventDay } from '../../src/domain/events.ts';
import { buildPlan } from '../../src/domain/plan/build-plan.ts';
import { checkPlan } from '../../src/domain/plan/check-plan.ts';
import type { Plan } from '../../src/domain/plan/types.ts';
import type { StrategyConfig } from '../../src/domain/strategy.ts';
import { signalDetail } from '../../src/cli/render/rationale-text.ts';
import { defaultStrategy, strategyWith } from '../support/default-strategy.ts';
import { makeSnapshot, testCalendar } from '../support/snapshot-factory.ts';
import type { SnapshotParams } from '../support/snapshot-factory.ts';
import { rationaleText } from '../support/plan-text.ts';

function planFor(params: SnapshotParams, strategy: StrategyConfig = defaultStrategy()): Plan {
  const p = buildPlan({ snapshot: makeSnapshot(params), strategy, calendar: testCalendar(), mode: 'sim' });
  assert.deepEqual(checkPlan(p, strategy), []);
  return p;
}

const withGap = (s: StrategyConfig, policy: 'treat-as-event' | 'treat-as-no-event'): StrategyConfig => ({
  ...s,
  signals: { ...s.signals, event: { ...s.signals.event, calendarGapPolicy: policy } },
});

describe('eventDay', () => {
  const events = [{ date: '2026-02-11', kind: 'CPI' as const }];

  it('covered through the last event by default; a later day is uncovered', () => {
    const d = eventDay(events, '2026-03-11', undefined, 'treat-as-event');
    assert.deepEqual(d, {
      date: '2026-03-11',
      kinds: [],
      coveredThrough: '2026-02-11',
      uncovered: true,
      treatedAsEvent: true,
      isEventDay: true,
    });
    assert.equal(eventDay(events, '2026-03-11', undefined, 'treat-as-no-event').isEventDay, false);
  });

  it('an explicit coverage date and a listed event', () => {
    assert.equal(eventDay(events, '2026-03-11', '2026-12-31', 'treat-as-event').uncovered, false);
    assert.equal(eventDay(events, '2026-02-11', null, 'treat-as-event').kinds[0], 'CPI');
    assert.equal(
      eventDay([], '2026-03-11', null, 'treat-as-event').uncovered,
      true,
      'an empty calendar covers nothing',
    );
  });
});

describe('buildPlan when the event file ends before the cycle date', () => {
  const uncovered: SnapshotParams = {
    events: [{ date: '2026-02-11', kind: 'CPI' }],
    eventsCoveredThrough: null,
  };

  it('default: the day counts as an event day, the event signal fires, and the rationale says so loudly', () => {
    const p = planFor(uncovered);
    const event = p.signals.find((s) => s.id === 'event')!;
    assert.equal(event.fired, true);
    assert.match(
      signalDetail(event),
      /^CALENDAR NOT COVERED: the event calendar ends 2026-02-11, before the expiry day; treated as an event day/,
    );
    assert.match(
      rationaleText(p),
      /EVENT CALENDAR NOT COVERED: 2026-03-11 is beyond the event calendar \(covered through 2026-02-11\)/,
    );
    assert.deepEqual(p.event, {
      kinds: [],
      policy: 'upsize-hedge',
      uncovered: true,
      coveredThrough: '2026-02-11',
    });
    assert.ok(Math.abs(p.coverage.regimeMultiplier - 1.3) < 1e-12);
  });

  it('with the skip policy an uncovered day is skipped like an event day', () => {
    const p = planFor(uncovered, strategyWith({ condor: { eventPolicy: 'skip' } }));
    assert.equal(p.outcome.kind === 'no-trade' && p.outcome.reason, 'event-skip');
  });

  it('treat-as-no-event: still said, but no factor', () => {
    const p = planFor(uncovered, withGap(defaultStrategy(), 'treat-as-no-event'));
    const event = p.signals.find((s) => s.id === 'event')!;
    assert.equal(event.fired, false);
    assert.match(signalDetail(event), /CALENDAR NOT COVERED.*treated as no event/);
    assert.equal(p.coverage.regimeMultiplier, 1);
  });

  it('a covered day without events is a plain "no event"', () => {
    const p = planFor({});
    assert.equal(p.event, null);
    assert.ok(!p.rationale.some((e) => e.kind === 'event-calendar'));
  });
});
