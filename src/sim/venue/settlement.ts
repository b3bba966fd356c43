// Expiry settlement: SPXW cash-settle on the SPX official close of their expiry day (PM), VIX options
// and VX futures on the special opening quotation of theirs (AM, the model's VIX at 09:30).
import type { IsoDate } from '../../domain/instruments.ts';
import type { SimContract } from '../engine-api.ts';
import type { SettlementKind } from '../market/market.ts';
import { intrinsicValue } from './margin.ts';

export interface SettlementSource {
  settlementValue(kind: SettlementKind, date: IsoDate): number | null;
}

/** Which settlement value a contract uses, or null for contracts that do not expire. */
export function settlementKindOf(c: SimContract): SettlementKind | null {
  if (c.expiry === null) return null;
  return c.symbol === 'SPX' ? 'SPX-PM' : 'VIX-SOQ';
}

export interface Settlement {
  /** The settlement value (SPX close or SOQ). */
  readonly value: number;
  /** What one unit is worth at settlement: intrinsic for options, the value itself for futures. */
  readonly unitPrice: number;
}

/** The settlement of an expired contract, or null while its settlement value is not yet known. */
export function settlementOf(c: SimContract, market: SettlementSource): Settlement | null {
  const kind = settlementKindOf(c);
  if (kind === null || c.expiry === null) return null;
  const value = market.settlementValue(kind, c.expiry);
  if (value === null) return null;
  if (c.secType === 'FUT') return { value, unitPrice: value };
  if (c.strike === null || c.right === null) return null;
  return { value, unitPrice: intrinsicValue(c.right, c.strike, value) };
}
