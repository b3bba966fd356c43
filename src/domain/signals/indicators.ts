// Technical indicators on daily closes (oldest first), pure math.
// Every series function returns an array ALIGNED with its input (same length, out[i] belongs to
// closes[i]) with NaN where the indicator is not yet defined (warm-up), so callers index by bar.

/** Population mean of a slice. */
function mean(values: readonly number[], from: number, to: number): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] ?? NaN;
  return sum / (to - from);
}

/**
 * RSI with Wilder smoothing. out[i] is defined from i = period: the seed averages the first
 * `period` gains and losses (changes 1..period), then avg = (prev * (period - 1) + x) / period.
 * RSI = 100 - 100 / (1 + avgGain / avgLoss); 100 when there are no losses, 50 when flat.
 */
export function rsiWilder(closes: readonly number[], period: number): number[] {
  const out = new Array<number>(closes.length).fill(NaN);
  if (period < 1 || closes.length <= period) return out;
  let avgGain = 0;
  let avgLoss = 0;
  for (let i = 1; i <= period; i++) {
    const change = (closes[i] ?? NaN) - (closes[i - 1] ?? NaN);
    if (change > 0) avgGain += change;
    else avgLoss -= change;
  }
  avgGain /= period;
  avgLoss /= period;
  out[period] = rsiFrom(avgGain, avgLoss);
  for (let i = period + 1; i < closes.length; i++) {
    const change = (closes[i] ?? NaN) - (closes[i - 1] ?? NaN);
    avgGain = (avgGain * (period - 1) + Math.max(change, 0)) / period;
    avgLoss = (avgLoss * (period - 1) + Math.max(-change, 0)) / period;
    out[i] = rsiFrom(avgGain, avgLoss);
  }
  return out;
}

function rsiFrom(avgGain: number, avgLoss: number): number {
  if (avgLoss === 0) return avgGain === 0 ? 50 : 100;
  return 100 - 100 / (1 + avgGain / avgLoss);
}

/**
 * EMA with k = 2 / (period + 1), seeded with the SMA of the first `period` defined values.
 * Leading NaNs in the input (another indicator's warm-up) are skipped: the seed sits at the
 * period-th defined value.
 */
export function ema(values: readonly number[], period: number): number[] {
  const out = new Array<number>(values.length).fill(NaN);
  if (period < 1) return out;
  const start = values.findIndex((v) => !Number.isNaN(v));
  if (start < 0 || values.length - start < period) return out;
  const seedAt = start + period - 1;
  let prev = mean(values, start, seedAt + 1);
  out[seedAt] = prev;
  const k = 2 / (period + 1);
  for (let i = seedAt + 1; i < values.length; i++) {
    prev = ((values[i] ?? NaN) - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

export interface MacdSeries {
  /** EMA(fast) - EMA(slow); defined from index slow - 1. */
  readonly macd: number[];
  /** EMA(signal) of the MACD line, seeded with the SMA of its first `signal` values; from index slow + signal - 2. */
  readonly signal: number[];
  /** macd - signal; defined where signal is. */
  readonly histogram: number[];
}

/** MACD(fast, slow, signal) on closes; all three series aligned with `closes` (NaN in warm-up). */
export function macd(closes: readonly number[], fast: number, slow: number, signal: number): MacdSeries {
  const fastEma = ema(closes, fast);
  const slowEma = ema(closes, slow);
  const line = closes.map((_, i) => (fastEma[i] ?? NaN) - (slowEma[i] ?? NaN));
  const signalLine = ema(line, signal);
  const histogram = line.map((m, i) => m - (signalLine[i] ?? NaN));
  return { macd: line, signal: signalLine, histogram };
}

/**
 * Bollinger bandwidth = (upper - lower) / middle = 2 * stdDevs * sd / sma over `period` closes,
 * with the POPULATION standard deviation. Defined from index period - 1; NaN if the middle is 0.
 */
export function bollingerBandwidth(closes: readonly number[], period: number, stdDevs: number): number[] {
  const out = new Array<number>(closes.length).fill(NaN);
  if (period < 1) return out;
  for (let end = period; end <= closes.length; end++) {
    const from = end - period;
    const middle = mean(closes, from, end);
    let squares = 0;
    for (let i = from; i < end; i++) squares += ((closes[i] ?? NaN) - middle) ** 2;
    const sd = Math.sqrt(squares / period);
    out[end - 1] = middle === 0 ? NaN : (2 * stdDevs * sd) / Math.abs(middle);
  }
  return out;
}

/**
 * The share of `window` AT OR BELOW `value`, in (0, 1] when the window holds the value itself
 * (today's reading): the lowest value of a 252-long window has 1/252, the highest 1. Empty -> NaN.
 */
export function shareAtOrBelow(window: readonly number[], value: number): number {
  if (window.length === 0) return NaN;
  let atOrBelow = 0;
  for (const v of window) if (v <= value) atOrBelow++;
  return atOrBelow / window.length;
}
