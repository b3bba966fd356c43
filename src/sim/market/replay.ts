// Daily closes the simulator can replay: SPX, VIX and optionally VIX9D/VIX3M joined on date. The market
// follows them session by session; src/config/replay-file.ts reads them from CSV files.
import type { IsoDate } from '../../domain/instruments.ts';

export interface DailyOhlc {
  readonly date: IsoDate;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
}

export interface ReplayRow {
  /** Source date (the simulator maps rows onto its own sessions in order). */
  readonly date: IsoDate;
  readonly spx: DailyOhlc;
  readonly vix: DailyOhlc;
  readonly vix9d: DailyOhlc | null;
  readonly vix3m: DailyOhlc | null;
}

export interface ReplaySeries {
  readonly source: string;
  /** Ascending by date; only dates that have both SPX and VIX. */
  readonly rows: readonly ReplayRow[];
}

/** Source dates a replay may start from: the first replayed day needs the close of a day before it. */
export function replayStartRange(
  series: ReplaySeries,
): { readonly first: IsoDate; readonly last: IsoDate } | null {
  const first = series.rows[1];
  const last = series.rows[series.rows.length - 1];
  return first === undefined || last === undefined ? null : { first: first.date, last: last.date };
}

/** Index of the first live row for a start date (the first row on or after it); null outside the range. */
export function replayStartIndex(series: ReplaySeries, from: IsoDate): number | null {
  const range = replayStartRange(series);
  if (range === null || from < range.first || from > range.last) return null;
  const i = series.rows.findIndex((r) => r.date >= from);
  return i < 1 ? null : i;
}

/** Sessions the data can drive from a start date on (0 outside the range): a run longer than this would leave the data. */
export function replaySessionsFrom(series: ReplaySeries, from: IsoDate): number {
  const i = replayStartIndex(series, from);
  return i === null ? 0 : series.rows.length - i;
}
