// Daily closes for the simulator's replay: parses `date,open,high,low,close` CSV files
// (data/history/*.csv) and joins SPX, VIX and optionally VIX9D/VIX3M on date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IronvixError } from '../errors.ts';
import { parseIsoDate } from '../domain/calendar.ts';
import type { IsoDate } from '../domain/instruments.ts';
import type { DailyOhlc, ReplayRow, ReplaySeries } from '../sim/market/replay.ts';
import { replaySessionsFrom, replayStartIndex, replayStartRange } from '../sim/market/replay.ts';
import { projectPath } from './paths.ts';

/** data/history/ of the project (copies of the real daily series; see its SOURCE.md). */
export const DEFAULT_HISTORY_DIR = projectPath('data', 'history');

const HEADER = 'date,open,high,low,close';

/** Parses one CSV; throws E_SIM_REPLAY_INVALID naming the line. */
export function parseDailyCsv(text: string, sourceName: string): DailyOhlc[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const bad = (line: number, why: string): IronvixError =>
    new IronvixError('E_SIM_REPLAY_INVALID', `${sourceName}:${line}: ${why}`);
  if (lines[0]?.trim().toLowerCase() !== HEADER) throw bad(1, `header must be "${HEADER}"`);
  const out: DailyOhlc[] = [];
  for (let i = 1; i < lines.length; i++) {
    const parts = (lines[i] ?? '').split(',');
    if (parts.length !== 5) throw bad(i + 1, `expected 5 fields, got ${parts.length}`);
    const [date, ...nums] = parts as [string, string, string, string, string];
    if (parseIsoDate(date) === null)
      throw bad(i + 1, `date must be YYYY-MM-DD (got ${JSON.stringify(date)})`);
    const [open, high, low, close] = nums.map(Number) as [number, number, number, number];
    for (const v of [open, high, low, close]) {
      if (!Number.isFinite(v) || v <= 0) throw bad(i + 1, 'prices must be positive numbers');
    }
    const prev = out[out.length - 1];
    if (prev !== undefined && prev.date >= date)
      throw bad(i + 1, `dates must ascend (${date} after ${prev.date})`);
    out.push({ date, open, high, low, close });
  }
  if (out.length === 0) throw bad(2, 'no rows');
  return out;
}

function readCsv(path: string): DailyOhlc[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new IronvixError('E_SIM_REPLAY_INVALID', `${path}: cannot read the file (${(e as Error).message})`);
  }
  return parseDailyCsv(text, path);
}

export interface ReplaySources {
  readonly spx: readonly DailyOhlc[];
  readonly vix: readonly DailyOhlc[];
  readonly vix9d?: readonly DailyOhlc[];
  readonly vix3m?: readonly DailyOhlc[];
}

/** Joins the series on date, keeping dates in [from, to] that have both SPX and VIX. */
export function joinReplay(src: ReplaySources, source: string, from?: IsoDate, to?: IsoDate): ReplaySeries {
  const byDate = (xs: readonly DailyOhlc[] | undefined): Map<IsoDate, DailyOhlc> =>
    new Map((xs ?? []).map((x) => [x.date, x]));
  const vix = byDate(src.vix);
  const vix9d = byDate(src.vix9d);
  const vix3m = byDate(src.vix3m);
  const rows: ReplayRow[] = [];
  for (const s of src.spx) {
    if (from !== undefined && s.date < from) continue;
    if (to !== undefined && s.date > to) continue;
    const v = vix.get(s.date);
    if (v === undefined) continue;
    rows.push({
      date: s.date,
      spx: s,
      vix: v,
      vix9d: vix9d.get(s.date) ?? null,
      vix3m: vix3m.get(s.date) ?? null,
    });
  }
  if (rows.length === 0)
    throw new IronvixError('E_SIM_REPLAY_INVALID', `${source}: no dates with both SPX and VIX`);
  return { source, rows };
}

/** Loads spx.csv, vix.csv and (when present) vix9d.csv, vix3m.csv from a directory. */
export function loadReplayDir(dir: string = DEFAULT_HISTORY_DIR, from?: IsoDate, to?: IsoDate): ReplaySeries {
  const optional = (name: string): DailyOhlc[] | undefined => {
    try {
      return readCsv(join(dir, name));
    } catch (e) {
      if (e instanceof IronvixError && e.message.includes('cannot read the file')) return undefined;
      throw e;
    }
  };
  const src: ReplaySources = {
    spx: readCsv(join(dir, 'spx.csv')),
    vix: readCsv(join(dir, 'vix.csv')),
    ...optionalField('vix9d', optional('vix9d.csv')),
    ...optionalField('vix3m', optional('vix3m.csv')),
  };
  return joinReplay(src, dir, from, to);
}

/** A replay start outside the data is E_SIM_REPLAY_INVALID naming the range (never a silent fallback). */
export function checkReplayStart(series: ReplaySeries, from: IsoDate): void {
  if (replayStartIndex(series, from) !== null) return;
  const range = replayStartRange(series);
  throw new IronvixError(
    'E_SIM_REPLAY_INVALID',
    range === null
      ? `${series.source}: too few rows to replay (needs two dates with both SPX and VIX)`
      : `--replay-from ${from} is outside the replay data's range ${range.first}..${range.last} (${series.source})`,
  );
}

/**
 * A replay of `sessions` sessions from `from` must lie inside the data: otherwise
 * E_SIM_REPLAY_INVALID naming the data's range (the market would leave the data and go on generated).
 */
export function checkReplayRange(series: ReplaySeries, from: IsoDate, sessions: number): void {
  checkReplayStart(series, from);
  const available = replaySessionsFrom(series, from);
  if (available >= sessions) return;
  const range = replayStartRange(series)!;
  throw new IronvixError(
    'E_SIM_REPLAY_INVALID',
    `a replay of ${sessions} sessions from ${from} runs past the replay data's range ${range.first}..${range.last}: ` +
      `only ${available} sessions from ${from} (${series.source})`,
  );
}

function optionalField<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined ? {} : { [key]: v }) as { [P in K]?: V };
}
