// Deterministic plan ids: a 32-bit FNV-1a hash of the cycle's identity (pure, no node:crypto).
import type { IsoDate } from '../instruments.ts';

/** FNV-1a over the UTF-16 code units of s, as 8 lowercase hex digits. */
export function fnv1a32(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** "2026-03-17-1a2b3c4d": the cycle date plus a hash of date, strategy name/version and asOf. */
export function planIdFor(
  cycleDate: IsoDate,
  strategyName: string,
  strategyVersion: number,
  asOf: string,
): string {
  return `${cycleDate}-${fnv1a32(`${cycleDate}|${strategyName}|${strategyVersion}|${asOf}`)}`;
}
