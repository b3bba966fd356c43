// Order validation, in one place for every way an order reaches the venue (the wire session only
// decodes; the in-process memory broker builds tickets directly): the shape of the request (IB's 321
// "Error validating request"), the contract (200 unknown or ambiguous, 201 not tradable), and the
// order rules (account 321, expired 201, tick 110, SMART combo OCA 356, riskless combo 201,
// modifications 105/201).
import type { TickVenue } from '../../domain/instruments.ts';
import { isOnTick } from '../../domain/instruments.ts';
import type {
  SimComboLeg,
  SimContract,
  SimMarket,
  SimOrderContract,
  SimOrderRequest,
  SimOrderTicket,
} from '../engine-api.ts';
import { IbCode } from '../ib-codes.ts';
import type { SimIbCode } from '../ib-codes.ts';
import type { LegMarket } from './fill-model.ts';
import { comboMarket } from './fill-model.ts';
import type { PayoffLeg } from './margin.ts';
import { payoffRange } from './margin.ts';

/** Sizes and prices beyond these are garbage, not orders (IB caps order size per account preset). */
export const MAX_ORDER_QUANTITY = 1_000_000;
export const MAX_ABS_PRICE = 10_000_000;

export interface Refusal {
  readonly code: SimIbCode;
  readonly message: string;
}

export interface ResolvedLeg {
  readonly contract: SimContract;
  readonly ratio: number;
  /** +1 BUY leg, -1 SELL leg, as written in the order. */
  readonly sign: 1 | -1;
}

/** A request that passed the shape checks, with its contract resolved. */
export interface CheckedOrder {
  readonly request: SimOrderRequest;
  readonly legs: readonly ResolvedLeg[];
  readonly isBag: boolean;
  readonly tickVenue: TickVenue;
}

export interface ValidationContext {
  readonly market: SimMarket;
  /** The venue's account: '' in a ticket means this one. */
  readonly account: string;
  /** Past its last trading moment (the venue's rule). */
  expired(c: SimContract): boolean;
  /** Quotes of the legs in price cents, null when any leg has no two-sided quote. */
  legMarkets(legs: readonly ResolvedLeg[]): LegMarket[] | null;
}

const VALIDATING = "Error validating request.-'bO' : cause - ";
const NO_DEFINITION = 'No security definition has been found for the request';
export const RISKLESS = 'Order rejected - reason:Riskless combination orders are not allowed.';

const refuse = (code: SimIbCode, message: string): Refusal => ({ code, message });
const invalid = (cause: string): Refusal => refuse(IbCode.VALIDATION_ERROR, `${VALIDATING}${cause}`);

/** Shape, then contract: the checks that need no order book. Normalises the request on success. */
export function checkTicket(t: SimOrderTicket, ctx: ValidationContext): CheckedOrder | Refusal {
  const action = t.action.toUpperCase();
  if (action !== 'BUY' && action !== 'SELL') return invalid(`Invalid order action "${t.action}"`);
  const qty = t.totalQuantity;
  if (qty === null || !Number.isSafeInteger(qty) || qty <= 0 || qty > MAX_ORDER_QUANTITY)
    return invalid(`Invalid order quantity "${String(qty)}"`);
  if (t.orderType.trim() === '') return invalid('Missing order type');
  if (t.lmtPrice !== null && !(Math.abs(t.lmtPrice) <= MAX_ABS_PRICE))
    return invalid(`Invalid limit price "${t.lmtPrice}"`);
  const orderType = t.orderType.trim().toUpperCase();
  if (orderType === 'LMT' && t.lmtPrice === null) return invalid('A limit order needs a limit price');
  const resolved = resolveContract(t, ctx.market);
  if ('code' in resolved) return resolved;
  const request: SimOrderRequest = {
    clientId: t.clientId,
    orderId: t.orderId,
    contract: resolved.contract,
    action,
    totalQuantity: qty,
    orderType,
    lmtPrice: t.lmtPrice,
    tif: t.tif.trim() === '' ? 'DAY' : t.tif.trim().toUpperCase(),
    account: t.account === '' ? ctx.account : t.account,
    orderRef: t.orderRef,
    transmit: t.transmit,
    whatIf: t.whatIf,
    ocaGroup: t.ocaGroup,
    exchange: t.exchange,
  };
  return { request, legs: resolved.legs, isBag: resolved.isBag, tickVenue: resolved.tickVenue };
}

interface ResolvedContract {
  readonly contract: SimOrderContract;
  readonly legs: ResolvedLeg[];
  readonly isBag: boolean;
  readonly tickVenue: TickVenue;
}

function singleTickVenue(c: SimContract): TickVenue {
  if (c.secType === 'FUT') return 'VX';
  if (c.tradingClass === 'SPXW') return 'SPXW';
  return c.tradingClass === 'VIXW' ? 'VIXW' : 'VIX';
}

function resolveContract(t: SimOrderTicket, market: SimMarket): ResolvedContract | Refusal {
  const tc = t.contract;
  if (tc.kind !== 'bag') {
    let c: SimContract | undefined;
    if (tc.kind === 'single') {
      c = market.contract(tc.conId);
    } else {
      const found = tc.query === null ? [] : market.findContracts(tc.query);
      if (found.length > 1)
        return refuse(
          IbCode.NO_SECURITY_DEFINITION,
          `The contract description specified for ${tc.symbol} is ambiguous.`,
        );
      c = found[0];
    }
    if (c === undefined) return refuse(IbCode.NO_SECURITY_DEFINITION, NO_DEFINITION);
    if (c.secType === 'IND')
      return refuse(
        IbCode.ORDER_REJECTED,
        `Order rejected - reason:${c.symbol} is an index and cannot be traded`,
      );
    return {
      contract: { kind: 'single', conId: c.conId },
      legs: [{ contract: c, ratio: 1, sign: 1 }],
      isBag: false,
      tickVenue: singleTickVenue(c),
    };
  }
  if (tc.legs.length === 0)
    return refuse(
      IbCode.VALIDATION_ERROR,
      "Error validating request.-'bN' : cause - Security type 'BAG' requires combo leg details.",
    );
  const legs: ResolvedLeg[] = [];
  const wireLegs: SimComboLeg[] = [];
  const symbol = tc.symbol.toUpperCase();
  for (const [i, l] of tc.legs.entries()) {
    const c = l.conId === null ? undefined : market.contract(l.conId);
    if (c === undefined)
      return refuse(
        IbCode.NO_SECURITY_DEFINITION,
        `${NO_DEFINITION} (combo leg ${l.conId === null ? i + 1 : l.conId})`,
      );
    const action = l.action.toUpperCase();
    if ((action !== 'BUY' && action !== 'SELL') || l.ratio === null || l.ratio <= 0)
      return invalid(`The combo details for leg '${i + 1}' are invalid.`);
    if (!Number.isInteger(l.ratio))
      return refuse(IbCode.ORDER_REJECTED, `Order rejected - reason:invalid combo leg ratio ${l.ratio}`);
    if (c.symbol !== symbol || c.secType === 'IND')
      return refuse(
        IbCode.ORDER_REJECTED,
        `Order rejected - reason:combo leg ${c.conId} does not belong to ${tc.symbol}`,
      );
    legs.push({ contract: c, ratio: l.ratio, sign: action === 'BUY' ? 1 : -1 });
    wireLegs.push({
      conId: c.conId,
      ratio: l.ratio,
      action,
      exchange: l.exchange === '' ? t.exchange : l.exchange,
    });
  }
  return {
    contract: { kind: 'bag', symbol: tc.symbol, legs: wireLegs },
    legs,
    isBag: true,
    tickVenue: symbol === 'SPX' ? 'SPX-COMBO' : 'VIX-COMBO',
  };
}

/** The order rules a new order (or a whatIf) must meet once its id is accepted. */
export function checkNewOrder(o: CheckedOrder, ctx: ValidationContext): Refusal | null {
  const req = o.request;
  if (req.account !== ctx.account)
    return refuse(
      IbCode.VALIDATION_ERROR,
      `Error validating request:-'bI' : cause - Invalid account code ${req.account}`,
    );
  if (o.legs.some((l) => ctx.expired(l.contract)))
    return refuse(IbCode.ORDER_REJECTED, 'Order rejected - reason:the contract has expired');
  const tick = offTick(req, o.tickVenue);
  if (tick !== null) return tick;
  if (o.isBag && req.ocaGroup !== '' && req.exchange.toUpperCase() === 'SMART')
    return refuse(IbCode.SMART_COMBO_NO_OCA, 'Smart-combo order does not support OCA group.');
  if (riskless(o, ctx)) return refuse(IbCode.ORDER_REJECTED, RISKLESS);
  return null;
}

/** A modification must keep the contract and action, meet the tick, and not cut below the filled. */
export function checkModification(
  original: { readonly legs: readonly ResolvedLeg[]; readonly action: string; readonly filled: number },
  o: CheckedOrder,
  originalTickVenue: TickVenue,
): Refusal | null {
  const same =
    o.legs.length === original.legs.length &&
    o.legs.every(
      (l, i) =>
        l.contract.conId === original.legs[i]!.contract.conId &&
        l.sign === original.legs[i]!.sign &&
        l.ratio === original.legs[i]!.ratio,
    ) &&
    o.request.action === original.action;
  if (!same)
    return refuse(IbCode.MODIFY_DOES_NOT_MATCH, 'Order being modified does not match original order.');
  const tick = offTick(o.request, originalTickVenue);
  if (tick !== null) return tick;
  if (o.request.totalQuantity < Math.max(1, original.filled))
    return refuse(
      IbCode.ORDER_REJECTED,
      `Order rejected - reason:quantity ${o.request.totalQuantity} is below the filled ${original.filled}`,
    );
  return null;
}

/** IB's 110 for a limit price off the contract's tick. */
function offTick(req: SimOrderRequest, venue: TickVenue): Refusal | null {
  if (req.orderType !== 'LMT' || req.lmtPrice === null) return null;
  const cents = req.lmtPrice * 100;
  const rounded = Math.round(cents);
  if (Math.abs(cents - rounded) <= 1e-6 && isOnTick(venue, rounded)) return null;
  return refuse(
    IbCode.PRICE_OFF_TICK,
    'The price does not conform to the minimum price variation for this contract.',
  );
}

/** IB refuses combos that cannot lose at their limit, and SELL orders on credit structures. */
function riskless(o: CheckedOrder, ctx: ValidationContext): boolean {
  if (!o.isBag) return false;
  const req = o.request;
  const ids = o.legs.map((l) => l.contract.conId);
  if (new Set(ids).size !== ids.length) return true;
  const lm = ctx.legMarkets(o.legs);
  if (lm !== null && req.action === 'SELL' && comboMarket(lm, 'BUY').mid < 0) return true;
  const first = o.legs[0]!.contract;
  const sameExpiry = o.legs.every(
    (l) =>
      l.contract.secType === 'OPT' &&
      l.contract.expiry === first.expiry &&
      l.contract.symbol === first.symbol,
  );
  if (!sameExpiry || req.lmtPrice === null || req.orderType !== 'LMT') return false;
  const dir = req.action === 'BUY' ? 1 : -1;
  const legs: PayoffLeg[] = o.legs.map((l) => ({
    right: l.contract.right ?? 'C',
    strike: l.contract.strike ?? 0,
    units: dir * l.sign * l.ratio,
  }));
  const maxStrike = Math.max(...legs.map((l) => l.strike));
  const range = payoffRange(legs, maxStrike * 2);
  // BUY pays the limit (a negative limit is a credit received); SELL receives it.
  const entry = -dir * req.lmtPrice;
  return !range.unboundedBelow && range.min + entry >= -1e-9;
}
