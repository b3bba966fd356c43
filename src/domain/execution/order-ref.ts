// The deterministic orderRef every order carries: `planId:orderKey:attempt`. It is journaled before
// the order is sent, so after a crash or a gateway restart the order can always be found again by it.
//
// Encoding: the plan id is percent-escaped ('%' -> %25, ':' -> %3A; plan ids from planIdFor never
// contain either), the order key is written as is (keys such as "hedge:A:open" contain ':'), the
// attempt is a decimal integer >= 1. A ref is parsed at its first and last ':', so any plan id and
// any order key round-trip. IB carries orderRef as a NUL-terminated wire field: NUL is refused.
import type { Result } from '../result.ts';
import { err, ok } from '../result.ts';

export interface OrderRefParts {
  readonly planId: string;
  readonly orderKey: string;
  /** 1 for the first send of an order key; each new attempt (after a proved absence) adds 1. */
  readonly attempt: number;
}

const MAX_ATTEMPT = 999_999;

function escapePlanId(planId: string): string {
  return planId.replace(/%/g, '%25').replace(/:/g, '%3A');
}

function unescapePlanId(s: string): string | null {
  // Only the two escapes formatOrderRef writes are valid; anything else after '%' is not ours.
  if (/%(?!25|3A)/.test(s)) return null;
  return s.replace(/%(25|3A)/g, (m) => (m === '%25' ? '%' : ':'));
}

/** Formats a ref; throws on parts no plan can produce (a bug, not an input error). */
export function formatOrderRef(parts: OrderRefParts): string {
  const { planId, orderKey, attempt } = parts;
  if (planId.length === 0 || orderKey.length === 0)
    throw new Error('orderRef needs a plan id and an order key');
  if (planId.includes('\0') || orderKey.includes('\0'))
    throw new Error('orderRef parts must not contain NUL');
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT)
    throw new Error(`orderRef attempt must be an integer in 1..${MAX_ATTEMPT}, got ${attempt}`);
  return `${escapePlanId(planId)}:${orderKey}:${attempt}`;
}

/** Parses a ref written by formatOrderRef; anything else (another program's order) is an error value. */
export function parseOrderRef(ref: string): Result<OrderRefParts, string> {
  const first = ref.indexOf(':');
  const last = ref.lastIndexOf(':');
  if (first < 0 || last <= first + 1)
    return err(`orderRef ${JSON.stringify(ref)} is not planId:orderKey:attempt`);
  const planId = unescapePlanId(ref.slice(0, first));
  const orderKey = ref.slice(first + 1, last);
  const attemptText = ref.slice(last + 1);
  if (planId === null || planId.length === 0)
    return err(`orderRef ${JSON.stringify(ref)} has no valid plan id`);
  if (!/^[1-9][0-9]{0,5}$/.test(attemptText))
    return err(`orderRef ${JSON.stringify(ref)} has no valid attempt number`);
  if (ref.includes('\0')) return err('orderRef contains NUL');
  return ok({ planId, orderKey, attempt: Number(attemptText) });
}

/** True when ref belongs to the plan (any order key, any attempt). */
export function isRefOfPlan(ref: string, planId: string): boolean {
  const p = parseOrderRef(ref);
  return p.ok && p.value.planId === planId;
}
