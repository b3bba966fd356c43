import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ironvix = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, ['bin/ironvix.js', ...args], { encoding: 'utf8', timeout: 120_000 });

// The newcomer path: the launcher in bin/ runs the demo (a short campaign) against the built-in
// simulator in a fresh process. Two days keep the test short; `npm run demo` runs twenty.
test('`ironvix demo` in a fresh process trades a short campaign day by day and prints the report', () => {
  const r = ironvix('demo', '--days', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const [first] = r.stdout.split('\n');
  assert.match(
    first ?? '',
    /^demo: 2 trading days from 2026-03-16T15:45:00-04:00 on the simulator at 127\.0\.0\.1:\d+ \(generated market, seed 42, virtual time\); the daily service trades it through the IB adapter over TCP/,
  );
  // Issue 9's demo: an executed plan, each order's fills with the coverage at each fill, the outcome.
  for (const day of ['== day 1/2: 2026-03-16 ==', '== day 2/2: 2026-03-17 =='])
    assert.ok(r.stdout.includes(day), day);
  assert.match(r.stdout, /planned orders \(hedges go first/);
  assert.match(r.stdout, /hedge:A:open +BUY \d+ VIX/);
  assert.match(r.stdout, /fills \(New York time; coverage = filled hedge stress P&L after the fill/);
  assert.match(r.stdout, /^\d\d:\d\d:\d\d +condor +SLD +\d+ +SPXW/m);
  assert.match(r.stdout, /^OUTCOME: (COMPLETE|PARTIAL): /m);
  assert.match(r.stdout, /settlement after the 2026-03-17 close: SPX-PM 2026-03-17 \d+\.\d\d journaled/);
  assert.match(r.stdout, /^ironvix report \(sim, journal memory\), cycles 2026-03-16 \.\. 2026-03-17/m);
  assert.match(r.stdout, /^2026-03-16 +condor +SPXW 2026-03-17 .* settled /m);
});

test('`ironvix demo --json` is the same campaign in every fresh process (virtual clock + seed)', () => {
  const runs = [ironvix('demo', '--days', '2', '--json'), ironvix('demo', '--days', '2', '--json')];
  for (const r of runs) assert.equal(r.status, 0, r.stderr);
  assert.equal(runs[0]?.stdout, runs[1]?.stdout, 'two demo runs printed different campaigns');
  const demo = JSON.parse(runs[0]?.stdout ?? '') as {
    kind: string;
    market: { kind: string; seed: number };
    days: { cycleDate: string; result: { kind: string; fills: unknown[] } }[];
    positions: { group: string; status: string }[];
  };
  assert.equal(demo.kind, 'ironvix.demo');
  assert.deepEqual(demo.market, { kind: 'generated', seed: 42, startAt: '2026-03-16T15:45:00-04:00' });
  assert.deepEqual(
    demo.days.map((c) => [c.cycleDate, c.result.kind]),
    [
      ['2026-03-16', 'executed'],
      ['2026-03-17', 'executed'],
    ],
  );
  assert.ok(demo.days.every((c) => c.result.fills.length > 0));
  assert.ok(demo.positions.some((p) => p.group === 'condor' && p.status === 'settled'));
});

test('`ironvix demo --at DATE` shows that date: history replayed inside 1990-2019, a market seeded from the date outside', () => {
  const replay = ironvix('demo', '--at', '2008-10-10', '--days', '1');
  assert.equal(replay.status, 0, replay.stderr);
  assert.match(
    replay.stdout,
    /^demo: 1 trading days from 2008-10-10T15:45:00-04:00 .*\(replaying data\/history from 2008-10-10, /,
  );
  const vixOf = (date: string): number => {
    const r = ironvix('demo', '--at', date, '--days', '1', '--json');
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout) as { market: { seed: number }; cycles: { vix: number | null }[] };
    assert.equal(d.market.seed, Number(date.replace(/-/g, '')));
    return d.cycles[0]?.vix ?? NaN;
  };
  assert.notEqual(vixOf('2026-05-04'), vixOf('2026-05-05'), 'two dates, two markets');
});

test('`ironvix demo --sample --json` prints the same plan the golden calm preview pins', () => {
  const r = ironvix('demo', '--sample', '--json');
  assert.equal(r.status, 0, r.stderr);
  const demo = JSON.parse(r.stdout) as { plan: unknown };
  const golden = JSON.parse(readFileSync('test/golden/cli/preview-calm.json', 'utf8')) as { plan: unknown };
  assert.deepEqual(demo.plan, golden.plan, 'paper/sample-snapshot.json must stay the calm fixture');
});
