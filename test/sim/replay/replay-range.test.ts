// A replay run must lie inside its data: the start (checkReplayStart) and, for a run of known
// length (a campaign, the demo), its last session too. Outside, E_SIM_REPLAY_INVALID names the
// data's range instead of the market leaving the data and going on generated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkReplayRange, loadReplayDir } from '../../../src/config/replay-file.ts';
import { replaySessionsFrom } from '../../../src/sim/market/replay.ts';
import { IronvixError } from '../../../src/errors.ts';

const history = loadReplayDir();

test('sessions left from a start date: all rows from it to the end, 0 outside the data', () => {
  const n = replaySessionsFrom(history, '2019-12-02');
  assert.equal(n, history.rows.filter((r) => r.date >= '2019-12-02').length);
  assert.ok(n > 15 && n < 25, `${n}`);
  assert.equal(replaySessionsFrom(history, '2031-01-02'), 0);
  assert.equal(replaySessionsFrom(history, '1980-01-02'), 0);
});

test('a range inside the data passes; one running past its end names the range and what is left', () => {
  assert.doesNotThrow(() => checkReplayRange(history, '2008-10-10', 252));
  const left = replaySessionsFrom(history, '2019-12-02');
  assert.doesNotThrow(() => checkReplayRange(history, '2019-12-02', left));
  assert.throws(
    () => checkReplayRange(history, '2019-12-02', left + 1),
    (e: unknown) =>
      e instanceof IronvixError &&
      e.code === 'E_SIM_REPLAY_INVALID' &&
      e.message.includes(`only ${left} sessions from 2019-12-02`) &&
      /range 1990-01-\d\d\.\.2019-12-31/.test(e.message),
  );
  // A start outside the data is refused as before.
  assert.throws(() => checkReplayRange(history, '2031-01-02', 1), /outside the replay data's range/);
});
