// Turns one signal's raw reading into a SignalResult, applying the enabled flag and factor in one place.
import type { SignalToggle } from '../strategy.ts';
import type { SignalId, SignalReading, SignalResult, SignalUnavailable } from './signal.ts';

export type Observation =
  | {
      readonly available: true;
      /** Headline number. */
      readonly value: number;
      /** Whether the rule holds on the data, before the enabled flag is applied. */
      readonly triggered: boolean;
      readonly reading: SignalReading;
    }
  | { readonly available: false; readonly why: SignalUnavailable };

export function unavailable(why: SignalUnavailable): Observation {
  return { available: false, why };
}

/** "needs N bars, have M" for insufficient-history readings. */
export function notEnoughBars(needed: number, have: number): Observation {
  return unavailable({ kind: 'not-enough-bars', needed, have });
}

/** Disabled or unavailable signals never fire and contribute factor 1; a non-finite value is unavailable. */
export function toSignalResult(
  id: SignalId,
  label: string,
  toggle: SignalToggle,
  o: Observation,
): SignalResult {
  const base = { id, label, enabled: toggle.enabled };
  if (!o.available || !Number.isFinite(o.value)) {
    const why: SignalUnavailable = o.available ? { kind: 'non-finite' } : o.why;
    return {
      ...base,
      value: null,
      available: false,
      triggered: false,
      fired: false,
      factor: 1,
      reading: null,
      unavailable: why,
    };
  }
  const fired = toggle.enabled && o.triggered;
  return {
    ...base,
    value: o.value,
    available: true,
    triggered: o.triggered,
    fired,
    factor: fired ? toggle.factor : 1,
    reading: o.reading,
    unavailable: null,
  };
}
