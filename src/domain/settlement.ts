// Expiry settlement of the contracts ironvix holds, to the cent: SPXW (PM) cash-settle on the SPX
// official close of their expiry day; VIX and VIXW options (AM) on the special opening quotation
// (SOQ, Cboe's VRO) of their expiry morning. The journal's fills say what was held; the broker's
// positions say what it still holds; a settlement the broker has not booked when it is due, or one
// whose settlement value is unknown, is a coded condition, never a silent zero.
import type { PositionReport } from './broker-reports.ts';
import type { TradingCalendar } from './calendar.ts';
import { nyTimestamp, REGULAR_OPEN_MINUTES } from './calendar.ts';
import type { IsoDate, OptionContract } from './instruments.ts';
import { contractKey } from './instruments.ts';
import type { ExpectedPosition } from './journal-view.ts';
import type { Cents, PriceCents } from './money.ts';
import { cents, priceCents, toPriceCents } from './money.ts';

/** SPX-PM: the SPX official close of the expiry day; VIX-AM: the VIX SOQ on the expiry morning. */
export type SettlementStyle = 'SPX-PM' | 'VIX-AM';

export function settlementStyleOf(c: OptionContract): SettlementStyle {
  return c.symbol === 'SPX' ? 'SPX-PM' : 'VIX-AM';
}

/** One settlement value as published (SPX close or VIX SOQ), with where it came from. */
export interface SettlementValue {
  readonly style: SettlementStyle;
  readonly date: IsoDate;
  /** Index points, two decimals as published. */
  readonly value: number;
  /** "simulator", "ib daily bar", "cboe VRO" ... */
  readonly source: string;
}

export type SettlementLookup = (style: SettlementStyle, date: IsoDate) => number | null;

/** A lookup over published values (the last one given for a style and date wins). */
export function settlementLookup(values: readonly SettlementValue[]): SettlementLookup {
  const m = new Map<string, number>();
  for (const v of values) m.set(`${v.style}|${v.date}`, v.value);
  return (style, date) => m.get(`${style}|${date}`) ?? null;
}

/** What one unit of the option is worth at a settlement value, in price cents (its intrinsic value). */
export function settlementPriceCents(c: OptionContract, value: number): PriceCents {
  const s = toPriceCents(value);
  const k = toPriceCents(c.strike);
  return priceCents(Math.max(0, c.right === 'C' ? s - k : k - s));
}

/** Cash a signed position receives (long) or pays (short) at settlement, in cents. */
export function settlementCashCents(c: OptionContract, quantity: number, value: number): Cents {
  return cents(quantity * settlementPriceCents(c, value) * c.multiplier);
}

/**
 * When the settlement value is struck (epoch ms): SPXW at the close of their expiry session (16:00,
 * 13:00 on an early close); VIX options at the open of theirs (the SOQ is computed from the opening
 * trades). null when the expiry is not a trading day (a listed expiry never is; the caller flags it).
 */
export function settlementDueMs(c: OptionContract, cal: TradingCalendar): number | null {
  const session = cal.session(c.expiry);
  if (session === null) return null;
  const minutes = settlementStyleOf(c) === 'SPX-PM' ? session.closeMinutes : REGULAR_OPEN_MINUTES;
  return Date.parse(nyTimestamp(c.expiry, minutes));
}

export interface SettledPosition {
  readonly key: string;
  readonly contract: OptionContract;
  /** Signed: short is negative. */
  readonly quantity: number;
  readonly style: SettlementStyle;
  readonly value: number;
  readonly unitPrice: PriceCents;
  readonly cashCents: Cents;
}

/** A position past its settlement that cannot be booked as settled, and why. */
export type SettlementProblem =
  | {
      /** The broker still reports the position after its settlement was due. */
      readonly kind: 'not-settled-at-broker';
      readonly key: string;
      readonly contract: OptionContract;
      readonly journalQuantity: number;
      readonly brokerQuantity: number;
      readonly dueMs: number;
    }
  | {
      /** Nobody has given the settlement value (SPX close / VIX SOQ) of the expiry date. */
      readonly kind: 'value-unknown';
      readonly key: string;
      readonly contract: OptionContract;
      readonly quantity: number;
      readonly style: SettlementStyle;
    }
  | {
      /** The expiry date is not a trading day: no settlement value can exist. */
      readonly kind: 'no-session';
      readonly key: string;
      readonly contract: OptionContract;
      readonly quantity: number;
    };

export interface SettlementBooking {
  readonly settled: readonly SettledPosition[];
  /** Positions still before their settlement time. */
  readonly pending: readonly ExpectedPosition[];
  readonly problems: readonly SettlementProblem[];
  readonly totalCashCents: Cents;
}

/**
 * Books the settlement of every position the journal's fills hold whose settlement is due at nowMs.
 * With the broker's positions (null when not connected: reports read from the journal alone), a
 * position the broker still holds after it is due is `not-settled-at-broker` and is not booked.
 */
export function bookSettlements(input: {
  readonly positions: Iterable<ExpectedPosition>;
  readonly nowMs: number;
  readonly calendar: TradingCalendar;
  readonly values: SettlementLookup;
  readonly brokerPositions: readonly PositionReport[] | null;
}): SettlementBooking {
  const atBroker = new Map<string, number>();
  for (const p of input.brokerPositions ?? []) {
    if (p.contract.kind !== 'option' || p.quantity === 0) continue;
    const k = contractKey(p.contract.contract);
    atBroker.set(k, (atBroker.get(k) ?? 0) + p.quantity);
  }
  const settled: SettledPosition[] = [];
  const pending: ExpectedPosition[] = [];
  const problems: SettlementProblem[] = [];
  let total = 0;
  const sorted = [...input.positions].sort((a, b) => a.key.localeCompare(b.key));
  for (const p of sorted) {
    if (p.quantity === 0) continue;
    const c = p.contract;
    const dueMs = settlementDueMs(c, input.calendar);
    if (dueMs === null) {
      problems.push({ kind: 'no-session', key: p.key, contract: c, quantity: p.quantity });
      continue;
    }
    if (input.nowMs < dueMs) {
      pending.push(p);
      continue;
    }
    const held = atBroker.get(p.key) ?? 0;
    if (input.brokerPositions !== null && held !== 0) {
      problems.push({
        kind: 'not-settled-at-broker',
        key: p.key,
        contract: c,
        journalQuantity: p.quantity,
        brokerQuantity: held,
        dueMs,
      });
      continue;
    }
    const style = settlementStyleOf(c);
    const value = input.values(style, c.expiry);
    if (value === null) {
      problems.push({ kind: 'value-unknown', key: p.key, contract: c, quantity: p.quantity, style });
      continue;
    }
    const cash = settlementCashCents(c, p.quantity, value);
    total += cash;
    settled.push({
      key: p.key,
      contract: c,
      quantity: p.quantity,
      style,
      value,
      unitPrice: settlementPriceCents(c, value),
      cashCents: cash,
    });
  }
  return { settled, pending, problems, totalCashCents: cents(total) };
}

/** One line per problem, naming the contract, the numbers and what to do. */
export function describeSettlementProblem(p: SettlementProblem): string {
  const c = p.contract;
  const name = `${c.tradingClass} ${c.expiry} ${c.strike}${c.right}`;
  switch (p.kind) {
    case 'not-settled-at-broker':
      return (
        `${name}: expired (settlement due ${new Date(p.dueMs).toISOString()}) but the broker still reports ` +
        `${p.brokerQuantity} (journal ${p.journalQuantity}); check the account's expiry activity with IB before trading`
      );
    case 'value-unknown':
      return (
        `${name} x${p.quantity}: the ${p.style === 'SPX-PM' ? 'SPX official close' : 'VIX special opening quotation'} ` +
        `of ${c.expiry} is not known; its settlement is not booked`
      );
    case 'no-session':
      return `${name} x${p.quantity}: ${c.expiry} is not a trading day, so no settlement value exists`;
  }
}
