// The shipped scenarios (scenarios/*.json): each parses, every shock lies inside an NYSE session,
// each has the shape it is named for, and the simulator driven by the 2018-02 spike shows it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/config/scenario-file.ts';
import { launchSimEngine, simCalendar } from '../../src/cli/wiring/simulator.ts';
import { nyDate, nyMinutes, nyTimestamp } from '../../src/domain/calendar.ts';
import type { SimScenario } from '../../src/sim/market/scenario.ts';

const dir = 'scenarios';
const load = (name: string): SimScenario => loadScenario(join(dir, `${name}.json`));

/** SPX % and VIX points per New York date, shocks summed (SPX compounded). */
function byDay(s: SimScenario): Map<string, { spxPct: number; vixPoints: number }> {
  const out = new Map<string, { spxPct: number; vixPoints: number }>();
  for (const x of s.shocks) {
    const d = nyDate(x.at);
    const prev = out.get(d) ?? { spxPct: 0, vixPoints: 0 };
    out.set(d, {
      spxPct: ((1 + prev.spxPct / 100) * (1 + x.spxPct / 100) - 1) * 100,
      vixPoints: prev.vixPoints + x.vixPoints,
    });
  }
  return out;
}

function drawdownPct(s: SimScenario): number {
  let level = 1;
  let peak = 1;
  let worst = 0;
  for (const d of byDay(s).values()) {
    level *= 1 + d.spxPct / 100;
    peak = Math.max(peak, level);
    worst = Math.min(worst, level / peak - 1);
  }
  return worst * 100;
}

describe('shipped scenarios', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

  it('are the five named ones, each valid with every shock inside a trading session', () => {
    assert.deepEqual(files.sort(), [
      'calm-year.json',
      'crash-2020-03.json',
      'gap-2024-08-05.json',
      'grinding-decline-2022.json',
      'vol-spike-2018-02.json',
    ]);
    const cal = simCalendar();
    for (const f of files) {
      const s = loadScenario(join(dir, f));
      assert.ok(s.shocks.length > 0, f);
      for (const x of s.shocks) {
        const session = cal.session(nyDate(x.at));
        assert.ok(session !== null, `${f}: ${x.at} is not a trading day`);
        const start = nyMinutes(x.at);
        assert.ok(
          start >= session.openMinutes && start + x.overMinutes <= session.closeMinutes,
          `${f}: ${x.at} outside the session`,
        );
      }
    }
  });

  it('have their shapes: a spike day, a crash, a gap at the open, a slow decline, a calm year', () => {
    const spike = [...byDay(load('vol-spike-2018-02')).values()];
    assert.ok(
      spike.some((d) => d.spxPct <= -4 && d.vixPoints >= 19),
      'one day SPX -4%, VIX +20',
    );
    const crash = load('crash-2020-03');
    assert.ok(drawdownPct(crash) <= -30, `crash drawdown ${drawdownPct(crash)}`);
    assert.ok([...byDay(crash).values()].some((d) => d.spxPct <= -9));
    const gap = load('gap-2024-08-05');
    assert.ok(gap.shocks.some((x) => nyMinutes(x.at) === 570 && x.overMinutes === 0 && x.vixPoints >= 25));
    const decline = load('grinding-decline-2022');
    const days = [...byDay(decline).keys()];
    assert.ok(drawdownPct(decline) <= -20, `decline ${drawdownPct(decline)}`);
    assert.ok(simCalendar().tradingDaysBetween(days[0]!, days[days.length - 1]!) >= 150);
    assert.ok(
      [...byDay(decline).values()].every((d) => d.vixPoints < 5 && d.spxPct > -2),
      'no spike, no crash day',
    );
    assert.ok([...byDay(load('calm-year')).values()].every((d) => d.spxPct > -1 && d.vixPoints <= 1));
  });

  it('drive the simulator: the 2018-02 spike day closes SPX down and VIX far up', () => {
    const engine = launchSimEngine({
      virtualTime: true,
      startAt: '2026-03-16T09:30',
      seed: 7,
      scenario: load('vol-spike-2018-02'),
    });
    try {
      const at = (d: string): { spx: number; vix: number } => {
        engine.clock.advanceTo(Date.parse(nyTimestamp(d, 16 * 60 + 1)));
        return { spx: engine.market.spot('SPX'), vix: engine.market.spot('VIX') };
      };
      const before = at('2026-03-20');
      const after = at('2026-03-23');
      assert.ok(after.spx / before.spx - 1 <= -0.03, `SPX ${before.spx} -> ${after.spx}`);
      assert.ok(after.vix - before.vix >= 12, `VIX ${before.vix} -> ${after.vix}`);
    } finally {
      engine.stop();
    }
  });
});
