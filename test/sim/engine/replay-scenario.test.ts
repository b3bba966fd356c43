import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IronvixError } from '../../../src/errors.ts';
import { SPX_CONID, VIX3M_CONID, VIX9D_CONID, VIX_CONID } from '../../../src/sim/market/contracts.ts';
import { checkReplayStart, loadReplayDir, parseDailyCsv } from '../../../src/config/replay-file.ts';
import { loadScenario, parseScenario } from '../../../src/config/scenario-file.ts';
import { DAY, MINUTE, calendar, makeMarket } from './harness.ts';

const replay = loadReplayDir(undefined, '2017-06-01', '2018-12-31');

test('replay: live sessions close on the CSV closes, history is the rows before, dates mapped onto sim sessions', () => {
  const { clock, market } = makeMarket('2026-03-17T09:00:00-04:00', {
    replay,
    replayFrom: '2018-01-29',
    historySessions: 30,
  });
  const from = replay.rows.findIndex((r) => r.date === '2018-01-29');
  const hist = market.dailyBars(SPX_CONID, '2026-03-16', 100);
  assert.equal(hist.length, 30);
  assert.deepEqual(
    hist.map((b) => b.close),
    replay.rows.slice(from - 30, from).map((r) => r.spx.close),
  );
  assert.equal(hist[29]!.date, '20260316');
  clock.advance(12 * DAY);
  const sessions = calendar.sessions('2026-03-17', '2026-03-27');
  const spx = market.dailyBars(SPX_CONID, '2026-03-27', sessions.length);
  const vix = market.dailyBars(VIX_CONID, '2026-03-27', sessions.length);
  const v9 = market.dailyBars(VIX9D_CONID, '2026-03-27', sessions.length);
  const v3 = market.dailyBars(VIX3M_CONID, '2026-03-27', sessions.length);
  sessions.forEach((d, i) => {
    const row = replay.rows[from + i]!;
    assert.equal(spx[i]!.date, d.replaceAll('-', ''));
    assert.equal(spx[i]!.close, row.spx.close, `SPX ${row.date}`);
    assert.equal(vix[i]!.close, row.vix.close, `VIX ${row.date}`);
    assert.equal(v9[i]!.close, row.vix9d!.close, `VIX9D ${row.date}`);
    assert.equal(v3[i]!.close, row.vix3m!.close, `VIX3M ${row.date}`);
  });
  // The Feb 2018 volatility spike arrives on schedule: 2018-02-05 closed VIX 37.32.
  const feb5 = replay.rows.findIndex((r) => r.date === '2018-02-05') - from;
  assert.equal(vix[feb5]!.close, 37.32);
  market.stop();
});

test('replay CSV problems are E_SIM_REPLAY_INVALID naming the line', () => {
  assert.throws(
    () => parseDailyCsv('date,close\n2020-01-02,1\n', 'x.csv'),
    (e: unknown) =>
      e instanceof IronvixError && e.code === 'E_SIM_REPLAY_INVALID' && e.message.startsWith('x.csv:1'),
  );
  assert.throws(
    () => parseDailyCsv('date,open,high,low,close\n2020-01-03,1,1,1,1\n2020-01-02,1,1,1,1\n', 'y.csv'),
    (e: unknown) => e instanceof IronvixError && e.message.startsWith('y.csv:3'),
  );
  assert.throws(
    () => loadReplayDir('/nonexistent-dir'),
    (e: unknown) => e instanceof IronvixError,
  );
});

test('a replay start outside the data is E_SIM_REPLAY_INVALID naming the range, never a silent fallback', () => {
  const outside = (from: string): void =>
    assert.throws(
      () => checkReplayStart(replay, from),
      (e: unknown) =>
        e instanceof IronvixError &&
        e.code === 'E_SIM_REPLAY_INVALID' &&
        e.message.includes(`--replay-from ${from}`) &&
        e.message.includes(`${replay.rows[1]!.date}..${replay.rows[replay.rows.length - 1]!.date}`),
    );
  outside('2031-01-02');
  outside('2017-06-01');
  outside('1991-01-02');
  checkReplayStart(replay, '2018-01-29');
  assert.throws(
    () => makeMarket('2026-03-17T09:00:00-04:00', { replay, replayFrom: '2031-01-02' }),
    RangeError,
  );
});

test('scenario files are validated; problems are E_SIM_SCENARIO_INVALID', () => {
  const ok = parseScenario(
    {
      name: 'crash',
      shocks: [{ at: '2026-03-17T14:00:00-04:00', spxPct: -4, vixPoints: 15, overMinutes: 30 }],
    },
    'crash.json',
  );
  assert.equal(ok.shocks[0]!.atMs, Date.parse('2026-03-17T18:00:00Z'));
  const bad = (json: unknown, pattern: RegExp): void =>
    assert.throws(
      () => parseScenario(json, 's.json'),
      (e: unknown) =>
        e instanceof IronvixError && e.code === 'E_SIM_SCENARIO_INVALID' && pattern.test(e.message),
    );
  bad({ name: 'x', shocks: [{ at: '2026-03-17 14:00', spxPct: -4 }] }, /shocks\[0\]\.at/);
  bad({ name: 'x', shocks: [{ at: '2026-03-17T14:00:00-04:00', spxPtc: -4 }] }, /spxPct/);
  bad({ shocks: [] }, /name/);
  const dir = mkdtempSync(join(tmpdir(), 'ironvix-scenario-'));
  try {
    const file = join(dir, 's.json');
    writeFileSync(file, JSON.stringify({ name: 'file', shocks: [] }));
    assert.equal(loadScenario(file).name, 'file');
    writeFileSync(file, '{ not json');
    assert.throws(
      () => loadScenario(file),
      (e: unknown) => e instanceof IronvixError && /not valid JSON/.test(e.message),
    );
    assert.throws(
      () => loadScenario(join(dir, 'missing.json')),
      (e: unknown) => e instanceof IronvixError,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a scripted shock moves SPX and VIX by the scripted amounts over its window', () => {
  const scenario = parseScenario(
    {
      name: 'crash',
      shocks: [{ at: '2026-03-17T14:00:00-04:00', spxPct: -4, vixPoints: 15, overMinutes: 30 }],
    },
    'crash.json',
  );
  const start = '2026-03-17T10:00:00-04:00';
  const base = makeMarket(start, { seed: 21 });
  const shocked = makeMarket(start, { seed: 21, scenario });
  const at = (iso: string): void => {
    base.clock.advanceTo(Date.parse(iso));
    shocked.clock.advanceTo(Date.parse(iso));
  };
  at('2026-03-17T14:00:00-04:00');
  assert.equal(shocked.market.spot('SPX'), base.market.spot('SPX'));
  at('2026-03-17T14:15:00-04:00');
  const half = shocked.market.spot('SPX') / base.market.spot('SPX');
  assert.ok(Math.abs(half - 0.98) < 0.004, `half-way ${half}`);
  at('2026-03-17T14:30:00-04:00');
  const ratio = shocked.market.spot('SPX') / base.market.spot('SPX');
  const dVix = shocked.market.spot('VIX') - base.market.spot('VIX');
  assert.ok(Math.abs(ratio - 0.96) < 0.005, `SPX ratio ${ratio}`);
  assert.ok(Math.abs(dVix - 15) < 2, `VIX +${dVix}`);
  base.market.stop();
  shocked.market.stop();
});

test('applyShock now moves the market at once and notifies quote listeners', () => {
  const { clock, market } = makeMarket('2026-03-17T11:00:00-04:00');
  clock.advance(MINUTE);
  const seen: number[] = [];
  market.onQuotes((ids) => seen.push(ids.length));
  const spx = market.spot('SPX');
  const vix = market.spot('VIX');
  market.applyShock({ spxPct: -2, vixPoints: 5 });
  assert.ok(Math.abs(market.spot('SPX') / spx - 0.98) < 1e-9);
  assert.ok(Math.abs(market.spot('VIX') - vix - 5) < 1e-9);
  assert.ok(seen.length === 1 && seen[0]! > 1000);
  market.stop();
});
