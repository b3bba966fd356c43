// Money and prices as integers. Floats appear only inside pricing models and at the IB edge.

declare const brand: unique symbol;
type Brand<T, B extends string> = T & { readonly [brand]: B };

/** An amount of US dollars in integer cents (P&L, premium per contract, caps). */
export type Cents = Brand<number, 'Cents'>;
/** A quoted price per unit (per share of an option, per point of a future) in integer cents. */
export type PriceCents = Brand<number, 'PriceCents'>;

export function cents(n: number): Cents {
  if (!Number.isSafeInteger(n)) throw new RangeError(`cents must be a safe integer, got ${n}`);
  return n as Cents;
}

export function priceCents(n: number): PriceCents {
  if (!Number.isSafeInteger(n)) throw new RangeError(`priceCents must be a safe integer, got ${n}`);
  return n as PriceCents;
}

/** Dollars (as written in files and by IB) to cents, rounding half away from zero. */
export function dollarsToCents(dollars: number): Cents {
  return cents(roundHalfAway(dollars * 100));
}

/** A decimal price (3.45) to integer price cents (345). */
export function toPriceCents(price: number): PriceCents {
  return priceCents(roundHalfAway(price * 100));
}

/** Price cents back to a decimal for IB's wire and for display. */
export function priceToDecimal(p: PriceCents): number {
  return p / 100;
}

/** Premium per contract: price per unit times the multiplier, in cents. */
export function contractValue(p: PriceCents, multiplier: number): Cents {
  return cents(p * multiplier);
}

export function sumCents(values: readonly Cents[]): Cents {
  let total = 0;
  for (const v of values) total += v;
  return cents(total);
}

export function roundHalfAway(x: number): number {
  // Guard against 3.4499999 style float noise before rounding.
  const r = Math.round(Math.abs(x) * 1e6) / 1e6;
  return Math.sign(x) * Math.round(r);
}

/** "$1,234.56" / "-$12.00" */
export function formatCents(c: number): string {
  const sign = c < 0 ? '-' : '';
  const abs = Math.abs(Math.round(c));
  const dollars = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, '0');
  return `${sign}$${dollars.toLocaleString('en-US')}.${rest}`;
}

/** "3.45" from 345 price cents. */
export function formatPrice(p: number): string {
  const sign = p < 0 ? '-' : '';
  const abs = Math.abs(Math.round(p));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
