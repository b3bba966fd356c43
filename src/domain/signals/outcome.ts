// Turns one signal's raw reading into a SignalResult, applying the enabled flag and factor in one place.
import type { SignalToggle } from '../strategy.ts';
import type { SignalId, SignalResult } from './signal.ts';

export interface SignalReading {
  /** Headline number; null when it could not be computed. */
  readonly value: number | null;
  readonly available: boolean;
  /** Whether the rule holds on the data, before the enabled flag is applied. */
  readonly triggered: boolean;
  /** The rule and the numbers, one line. */
  readonly detail: string;
}

export function unavailable(detail: string, value: number | null = null): SignalReading {
  return { value, available: false, triggered: false, detail: `not available: ${detail}` };
}

/** Disabled or unavailable signals never fire and contribute factor 1. */
export function toSignalResult(
  id: SignalId,
  label: string,
  toggle: SignalToggle,
  reading: SignalReading,
): SignalResult {
  const value = reading.value !== null && Number.isFinite(reading.value) ? reading.value : null;
  const available = reading.available && value !== null;
  const fired = toggle.enabled && available && reading.triggered;
  const base = reading.available && value === null ? 'not available: non-finite input' : reading.detail;
  const detail = toggle.enabled ? base : `disabled; ${base}`;
  return { id, label, value, available, fired, factor: fired ? toggle.factor : 1, detail };
}

/** Fixed-decimals number for detail lines ("-0.0000" printed as "0.0000"). */
export function fmt(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** "needs N bars, have M" for insufficient-history readings. */
export function notEnoughBars(needed: number, have: number, what: string): SignalReading {
  return unavailable(`needs ${needed} daily bars for ${what}, have ${have}`);
}
