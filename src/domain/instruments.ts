// Contracts as the domain sees them, and the exchange rules planner and simulator share.
import type { PriceCents } from './money.ts';
import { priceCents } from './money.ts';

/** ISO calendar date, YYYY-MM-DD (New York trading date). */
export type IsoDate = string;

export type OptionRight = 'C' | 'P';
export type Action = 'BUY' | 'SELL';
export type OptionTradingClass = 'SPXW' | 'VIX' | 'VIXW';
/** VRO: Cboe's VIX special opening quotation (the VIX AM settlement value), an index at IB. */
export type IndexSymbol = 'SPX' | 'VIX' | 'VIX9D' | 'VIX3M' | 'AD-NYSE' | 'VRO';

export interface OptionContract {
  readonly kind: 'option';
  readonly symbol: 'SPX' | 'VIX';
  readonly tradingClass: OptionTradingClass;
  readonly expiry: IsoDate;
  readonly strike: number;
  readonly right: OptionRight;
  readonly multiplier: number;
}

export interface IndexContract {
  readonly kind: 'index';
  readonly symbol: IndexSymbol;
}

export interface FutureContract {
  readonly kind: 'future';
  readonly symbol: 'VIX';
  readonly tradingClass: 'VX';
  readonly expiry: IsoDate;
  readonly multiplier: number;
}

export type Contract = OptionContract | IndexContract | FutureContract;

export const SPXW_MULTIPLIER = 100;
export const VIX_OPTION_MULTIPLIER = 100;
export const VX_FUTURE_MULTIPLIER = 1000;

export function spxwOption(expiry: IsoDate, strike: number, right: OptionRight): OptionContract {
  return {
    kind: 'option',
    symbol: 'SPX',
    tradingClass: 'SPXW',
    expiry,
    strike,
    right,
    multiplier: SPXW_MULTIPLIER,
  };
}

export function vixOption(
  tradingClass: 'VIX' | 'VIXW',
  expiry: IsoDate,
  strike: number,
  right: OptionRight = 'C',
): OptionContract {
  return {
    kind: 'option',
    symbol: 'VIX',
    tradingClass,
    expiry,
    strike,
    right,
    multiplier: VIX_OPTION_MULTIPLIER,
  };
}

/** Stable human/journal key: "SPXW 2026-03-18 5900P". */
export function contractKey(c: Contract): string {
  switch (c.kind) {
    case 'option':
      return `${c.tradingClass} ${c.expiry} ${formatStrike(c.strike)}${c.right}`;
    case 'index':
      return c.symbol;
    case 'future':
      return `VX ${c.expiry}`;
  }
}

/** A strike exactly as listed: 5900, 19.5, 19.37 (never rounded for display). */
export function formatStrike(strike: number): string {
  // 12 significant digits drop float noise (19.370000000000001) without rounding a real strike.
  return String(Number(strike.toPrecision(12)));
}

/** Whether x is a whole multiple of step, within float noise. */
function onGrid(x: number, step: number): boolean {
  const q = x / step;
  return Math.abs(q - Math.round(q)) <= 1e-9 * Math.max(1, Math.abs(q));
}

/**
 * Listed strike increments (docs/ib-notes.md §3): SPXW on the 5-point grid; VIX and VIXW
 * 0.50 below 15, 1 from 15 to 200, 5 above. Listed strikes are a subset; a strike off the grid
 * cannot exist and would be refused by IB.
 */
export function isOnStrikeGrid(tradingClass: OptionTradingClass, strike: number): boolean {
  if (!(strike > 0)) return false;
  if (tradingClass === 'SPXW') return onGrid(strike, 5);
  if (strike < 15) return onGrid(strike, 0.5);
  if (strike < 200) return onGrid(strike, 1);
  return onGrid(strike, 5);
}

export const STRIKE_GRID_RULE: Readonly<Record<OptionTradingClass, string>> = {
  SPXW: 'the SPXW 5-point strike grid',
  VIX: 'the VIX strike grid (0.50 below 15, 1 from 15 to 200, 5 above)',
  VIXW: 'the VIX strike grid (0.50 below 15, 1 from 15 to 200, 5 above)',
};

// ---------------------------------------------------------------------------------------------
// Tick rules (docs/ib-notes.md, ticks). A limit off its increment is rejected by IB with error 110.

export type TickVenue = 'SPXW' | 'VIX' | 'VIXW' | 'SPX-COMBO' | 'VIX-COMBO' | 'VX';

/** Minimum price increment in price cents at the given price (absolute value is used). */
export function tickSizeCents(venue: TickVenue, price: PriceCents | number): PriceCents {
  const abs = Math.abs(price);
  switch (venue) {
    case 'SPXW':
      return priceCents(abs < 300 ? 5 : 10);
    case 'VIX':
    case 'VIXW':
      return priceCents(abs < 300 ? 1 : 5);
    case 'SPX-COMBO':
      return priceCents(5);
    case 'VIX-COMBO':
      return priceCents(1);
    case 'VX':
      return priceCents(5);
  }
}

export function isOnTick(venue: TickVenue, price: PriceCents | number): boolean {
  if (!Number.isInteger(price)) return false;
  return Math.abs(price) % tickSizeCents(venue, price) === 0;
}

export type TickRounding = 'down' | 'up' | 'nearest';

/** Round a (possibly fractional) price in cents onto the tick grid of the venue. Works on magnitudes. */
export function roundToTick(venue: TickVenue, price: number, mode: TickRounding): PriceCents {
  const sign = price < 0 ? -1 : 1;
  const abs = Math.abs(price);
  // The increment is decided at the rounded-down price so that 2.99 -> 3.00 boundaries stay on grid.
  const tick = tickSizeCents(venue, Math.floor(abs));
  const q = abs / tick;
  const n = mode === 'down' ? Math.floor(q + 1e-9) : mode === 'up' ? Math.ceil(q - 1e-9) : Math.round(q);
  let out = n * tick;
  if (!isOnTick(venue, out)) {
    // Crossed into a coarser band (e.g. 2.99 up -> 3.00 region): snap on the coarser grid.
    const coarse = tickSizeCents(venue, out);
    out = mode === 'down' ? Math.floor(out / coarse) * coarse : Math.ceil(out / coarse) * coarse;
  }
  return priceCents(sign * out);
}

export function comboTickVenue(symbol: 'SPX' | 'VIX'): TickVenue {
  return symbol === 'SPX' ? 'SPX-COMBO' : 'VIX-COMBO';
}

export function optionTickVenue(tc: OptionTradingClass): TickVenue {
  return tc;
}
