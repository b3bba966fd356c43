// Server → client messages for the negotiated version (docs/ib-notes.md §2). Each
// function returns the message's fields; the session frames them. Field-for-field what @stoqey/ib
// 1.6.10 and ib_async read at that version: one field too many or too few is a decode error there.
import type {
  SimBar,
  SimCommission,
  SimCompletedOrder,
  SimContract,
  SimExecution,
  SimOptParams,
  SimOptionModel,
  SimOrderView,
  SimPosition,
} from '../engine-api.ts';
import { FieldWriter } from './fields.ts';
import { ServerMsg } from './message-ids.ts';
import { V } from './version.ts';

/** IB's generic combo conId, as real TWS reports a BAG order's contract [I]. */
export const BAG_CON_ID = 28812380;

/** ISO date (YYYY-MM-DD) → yyyymmdd; stoqey cannot split anything longer (docs/ib-notes.md §2). */
export function isoToYmd(d: string | null): string {
  return d === null ? '' : d.replaceAll('-', '');
}

/** From server version 153 TWS escapes non-ASCII text as \uXXXX; stoqey un-escapes it. */
export function escapeAscii7(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x80) {
      out += ch;
      continue;
    }
    // Characters outside the BMP become two escaped UTF-16 units.
    for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  }
  return out;
}

function rightText(c: SimContract, unset: string): string {
  return c.right ?? unset;
}

/** conId, symbol, secType, expiry, strike, right, multiplier: the run every contract block starts with. */
function contractHead(w: FieldWriter, c: SimContract, unsetRight: string): FieldWriter {
  return w
    .int(c.conId)
    .str(c.symbol)
    .str(c.secType)
    .str(isoToYmd(c.expiry))
    .double(c.strike ?? 0)
    .str(rightText(c, unsetRight))
    .str(c.multiplier === null ? '' : String(c.multiplier));
}

// ---------------------------------------------------------------------------------------------
// Connection

/** The server hello: exactly two fields (ib_async insists). */
export function serverHello(serverVersion: number, connectionTime: string): string[] {
  return new FieldWriter().int(serverVersion).str(connectionTime).fields();
}

export function managedAccounts(accounts: readonly string[]): string[] {
  return new FieldWriter().int(ServerMsg.MANAGED_ACCTS).int(1).str(accounts.join(',')).fields();
}

export function nextValidId(orderId: number): string[] {
  return new FieldWriter().int(ServerMsg.NEXT_VALID_ID).int(1).int(orderId).fields();
}

/**
 * Error/notice. `advancedOrderRejectJson` must be "" or valid JSON: stoqey JSON.parses it outside
 * its error handling, so bad JSON crashes the client process.
 */
export function errorMessage(
  sv: number,
  id: number,
  code: number,
  text: string,
  advancedOrderRejectJson = '',
): string[] {
  const w = new FieldWriter().int(ServerMsg.ERR_MSG).int(2).int(id).int(code).str(escapeAscii7(text));
  if (sv >= V.ADVANCED_ORDER_REJECT) w.str(escapeAscii7(advancedOrderRejectJson));
  return w.fields();
}

export function currentTime(epochSeconds: number): string[] {
  return new FieldWriter().int(ServerMsg.CURRENT_TIME).int(1).int(epochSeconds).fields();
}

// ---------------------------------------------------------------------------------------------
// Contracts

export function contractData(sv: number, reqId: number, c: SimContract): string[] {
  const w = new FieldWriter().int(ServerMsg.CONTRACT_DATA);
  if (sv < V.SIZE_RULES) w.int(8);
  const expiry = isoToYmd(c.expiry);
  const isDerivative = c.secType !== 'IND';
  w.int(reqId).str(c.symbol).str(c.secType).str(expiry);
  if (sv >= V.LAST_TRADE_DATE) w.str(expiry);
  w.double(c.strike ?? 0)
    .str(rightText(c, ''))
    .str(c.exchange)
    .str(c.currency)
    .str(c.localSymbol)
    .str(c.tradingClass) // marketName
    .str(c.tradingClass)
    .int(c.conId)
    .double(c.minTick);
  if (sv < V.SIZE_RULES) w.int(1); // mdSizeMultiplier
  w.str(c.multiplier === null ? '' : String(c.multiplier))
    .str(
      isDerivative
        ? 'ACTIVETIM,AD,ALERT,ALLOC,DAY,GAT,GTC,GTD,LMT,MKT,NONALGO,OCA,STP'
        : 'ACTIVETIM,AD,ALERT,DAY,GTC',
    )
    .str(isDerivative ? `SMART,${c.exchange}` : c.exchange)
    .int(1) // priceMagnifier
    .int(c.underConId ?? 0)
    .str(escapeAscii7(c.longName))
    .str('') // primaryExch
    .str(expiry.slice(0, 6)) // contractMonth
    .str('') // industry
    .str('') // category
    .str('') // subcategory
    .str(c.timeZoneId)
    .str(c.tradingHours)
    .str(c.liquidHours)
    .str('') // evRule
    .int(0) // evMultiplier
    .int(0) // secIdList count
    .int(1) // aggGroup
    .str(isDerivative ? c.symbol : '') // underSymbol
    .str(isDerivative ? 'IND' : '') // underSecType
    .str(c.marketRuleIds)
    .str(expiry) // realExpirationDate
    .str(''); // stockType
  if (sv === V.FRACTIONAL_SIZE_SUPPORT) w.decimal(1); // sizeMinTick, only at exactly 163
  if (sv >= V.SIZE_RULES) w.decimal(1).decimal(1).decimal(1); // minSize, sizeIncrement, suggestedSizeIncrement
  // The 17 fund fields (≥179) follow only for secType FUND, which the simulator never lists.
  if (sv >= V.INELIGIBILITY_REASONS) w.int(0);
  return w.fields();
}

export function contractDataEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.CONTRACT_DATA_END).int(1).int(reqId).fields();
}

export function secDefOptParameter(reqId: number, p: SimOptParams): string[] {
  const w = new FieldWriter()
    .int(ServerMsg.SECURITY_DEFINITION_OPTION_PARAMETER)
    .int(reqId)
    .str(p.exchange)
    .int(p.underlyingConId)
    .str(p.tradingClass)
    .str(String(p.multiplier))
    .int(p.expirations.length);
  for (const e of p.expirations) w.str(e);
  w.int(p.strikes.length);
  for (const s of p.strikes) w.double(s);
  return w.fields();
}

export function secDefOptParameterEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.SECURITY_DEFINITION_OPTION_PARAMETER_END).int(reqId).fields();
}

// ---------------------------------------------------------------------------------------------
// Market data

export function marketDataType(reqId: number, type: number): string[] {
  return new FieldWriter().int(ServerMsg.MARKET_DATA_TYPE).int(1).int(reqId).int(type).fields();
}

export function tickReqParams(
  reqId: number,
  minTick: number,
  bboExchange: string,
  snapshotPermissions: number,
): string[] {
  return new FieldWriter()
    .int(ServerMsg.TICK_REQ_PARAMS)
    .int(reqId)
    .double(minTick)
    .str(bboExchange)
    .int(snapshotPermissions)
    .fields();
}

/** Exactly 7 fields (ib_async unpacks a fixed tuple). attrMask bit 0 canAutoExecute, 1 pastLimit, 2 preOpen. */
export function tickPrice(
  reqId: number,
  tickType: number,
  price: number,
  size: number,
  attrMask: number,
): string[] {
  return new FieldWriter()
    .int(ServerMsg.TICK_PRICE)
    .int(6)
    .int(reqId)
    .int(tickType)
    .double(price)
    .decimal(size)
    .int(attrMask)
    .fields();
}

export function tickSize(reqId: number, tickType: number, size: number): string[] {
  return new FieldWriter().int(ServerMsg.TICK_SIZE).int(6).int(reqId).int(tickType).decimal(size).fields();
}

export function tickGeneric(reqId: number, tickType: number, value: number): string[] {
  return new FieldWriter().int(ServerMsg.TICK_GENERIC).int(6).int(reqId).int(tickType).double(value).fields();
}

export function tickString(reqId: number, tickType: number, value: string): string[] {
  return new FieldWriter().int(ServerMsg.TICK_STRING).int(6).int(reqId).int(tickType).str(value).fields();
}

/** All eight numbers always present; "not computed" is −1 (IV, prices) or −2 (greeks). */
export function tickOptionComputation(reqId: number, tickType: number, m: SimOptionModel | null): string[] {
  return new FieldWriter()
    .int(ServerMsg.TICK_OPTION_COMPUTATION)
    .int(reqId)
    .int(tickType)
    .int(1) // tickAttrib: price-based
    .double(m?.impliedVol ?? -1)
    .double(m?.delta ?? -2)
    .double(m?.optPrice ?? -1)
    .double(m?.pvDividend ?? -1)
    .double(m?.gamma ?? -2)
    .double(m?.vega ?? -2)
    .double(m?.theta ?? -2)
    .double(m?.undPrice ?? -1)
    .fields();
}

export function tickSnapshotEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.TICK_SNAPSHOT_END).int(1).int(reqId).fields();
}

export function historicalData(
  reqId: number,
  startText: string,
  endText: string,
  bars: readonly SimBar[],
): string[] {
  const w = new FieldWriter()
    .int(ServerMsg.HISTORICAL_DATA)
    .int(reqId)
    .str(startText)
    .str(endText)
    .int(bars.length);
  for (const b of bars) {
    w.str(b.date)
      .double(b.open)
      .double(b.high)
      .double(b.low)
      .double(b.close)
      .decimal(b.volume)
      .decimal(barWap(b))
      .int(1);
  }
  return w.fields();
}

/** headTimestamp: the earliest data point, as formatDate asked (yyyymmdd-hh:mm:ss UTC, or epoch seconds). */
export function headTimestamp(reqId: number, timestamp: string): string[] {
  return new FieldWriter().int(ServerMsg.HEAD_TIMESTAMP).int(reqId).str(timestamp).fields();
}

/** marketRule: price increments by band, lowest band first. */
export function marketRule(
  marketRuleId: number,
  increments: readonly { readonly lowEdge: number; readonly increment: number }[],
): string[] {
  const w = new FieldWriter().int(ServerMsg.MARKET_RULE).int(marketRuleId).int(increments.length);
  for (const p of increments) w.double(p.lowEdge).double(p.increment);
  return w.fields();
}

/** Close comes before high here, unlike historicalData. */
export function historicalDataUpdate(reqId: number, barCount: number, b: SimBar): string[] {
  return new FieldWriter()
    .int(ServerMsg.HISTORICAL_DATA_UPDATE)
    .int(reqId)
    .int(barCount)
    .str(b.date)
    .double(b.open)
    .double(b.close)
    .double(b.high)
    .double(b.low)
    .decimal(barWap(b))
    .decimal(b.volume)
    .fields();
}

function barWap(b: SimBar): number {
  return Math.round(((b.high + b.low + b.close) / 3) * 10000) / 10000;
}

// ---------------------------------------------------------------------------------------------
// Orders

/** Extra values only the wire knows about, carried next to the engine's order view. */
export interface OpenOrderExtras {
  readonly smartComboRoutingParams?: readonly { readonly tag: string; readonly value: string }[];
  /** Overrides the view's status (e.g. a whatIf answer is PreSubmitted). */
  readonly status?: string;
}

export function openOrder(sv: number, view: SimOrderView, extras: OpenOrderExtras = {}): string[] {
  const req = view.request;
  const w = new FieldWriter().int(ServerMsg.OPEN_ORDER).int(req.orderId);
  writeOrderContract(w, view);
  w.str(req.action)
    .decimal(req.totalQuantity)
    .str(req.orderType)
    .double(req.lmtPrice ?? 0)
    .double(0) // auxPrice
    .str(req.tif === '' ? 'DAY' : req.tif)
    .str(req.ocaGroup)
    .str(req.account)
    .str('') // openClose
    .int(0) // origin: customer
    .str(req.orderRef)
    .int(req.clientId)
    .int(view.permId)
    .bool(false) // outsideRth
    .bool(false) // hidden
    .double(0) // discretionaryAmt
    .str('') // goodAfterTime
    .str('') // sharesAllocation (deprecated)
    .str('') // faGroup
    .str('') // faMethod
    .str(''); // faPercentage
  if (sv < V.FA_PROFILE_DESUPPORT) w.str(''); // faProfile
  w.str('') // modelCode
    .str('') // goodTillDate
    .str('') // rule80A
    .doubleOrUnset(null) // percentOffset
    .str('') // settlingFirm
    .int(0) // shortSaleSlot
    .str('') // designatedLocation
    .int(-1) // exemptCode
    .int(0) // auctionStrategy
    .doubleOrUnset(null) // startingPrice
    .doubleOrUnset(null) // stockRefPrice
    .doubleOrUnset(null) // delta
    .doubleOrUnset(null) // stockRangeLower
    .doubleOrUnset(null) // stockRangeUpper
    .intOrUnset(null) // displaySize
    .bool(false) // blockOrder
    .bool(false) // sweepToFill
    .bool(false) // allOrNone
    .intOrUnset(null) // minQty
    .int(3) // ocaType
    .bool(false) // eTradeOnly
    .bool(false) // firmQuoteOnly
    .doubleOrUnset(null) // nbboPriceCap
    .int(0) // parentId
    .int(0) // triggerMethod
    .doubleOrUnset(null) // volatility
    .int(0) // volatilityType
    // Real TWS writes deltaNeutralOrderType "None", so the eight delta-neutral fields follow.
    .str('None')
    .doubleOrUnset(null) // deltaNeutralAuxPrice
    .int(0) // deltaNeutralConId
    .str('') // deltaNeutralSettlingFirm
    .str('') // deltaNeutralClearingAccount
    .str('') // deltaNeutralClearingIntent
    .str('?') // deltaNeutralOpenClose
    .bool(false) // deltaNeutralShortSale
    .int(0) // deltaNeutralShortSaleSlot
    .str('') // deltaNeutralDesignatedLocation
    .int(0) // continuousUpdate
    .int(0) // referencePriceType
    .doubleOrUnset(null) // trailStopPrice
    .doubleOrUnset(null) // trailingPercent
    .doubleOrUnset(null) // basisPoints
    .intOrUnset(null); // basisPointsType
  writeComboLegs(w, view);
  const params = extras.smartComboRoutingParams ?? [];
  w.int(params.length);
  for (const p of params) w.str(p.tag).str(p.value);
  w.intOrUnset(null) // scaleInitLevelSize
    .intOrUnset(null) // scaleSubsLevelSize
    .doubleOrUnset(null) // scalePriceIncrement: unset, so no scale block follows
    .str('') // hedgeType: empty, so no hedgeParam
    .bool(false) // optOutSmartRouting
    .str('') // clearingAccount
    .str('IB') // clearingIntent
    .bool(false) // notHeld
    .bool(false) // deltaNeutralContract present
    .str('') // algoStrategy: empty, so no params
    .bool(false) // solicited
    .bool(req.whatIf);
  const m = view.margin;
  w.str(extras.status ?? view.status)
    .doubleOrUnset(m?.initMarginBefore)
    .doubleOrUnset(m?.maintMarginBefore)
    .doubleOrUnset(m?.equityWithLoanBefore)
    .doubleOrUnset(m?.initMarginChange)
    .doubleOrUnset(m?.maintMarginChange)
    .doubleOrUnset(m?.equityWithLoanChange)
    .doubleOrUnset(m?.initMarginAfter)
    .doubleOrUnset(m?.maintMarginAfter)
    .doubleOrUnset(m?.equityWithLoanAfter)
    .doubleOrUnset(m?.commission) // commission
    .doubleOrUnset(m?.commission) // minCommission
    .doubleOrUnset(m?.commission) // maxCommission
    .str(m === null ? '' : 'USD')
    .str(view.warningText) // TWS escapes only error text and longName
    .bool(false) // randomizeSize
    .bool(false) // randomizePrice
    // PEG BENCH fields would follow here; the simulator never echoes that order type.
    .int(0) // conditions
    .str('None') // adjustedOrderType
    .doubleOrUnset(null) // triggerPrice
    .doubleOrUnset(null) // trailStopPrice
    .doubleOrUnset(null) // lmtPriceOffset
    .doubleOrUnset(null) // adjustedStopPrice
    .doubleOrUnset(null) // adjustedStopLimitPrice
    .doubleOrUnset(null) // adjustedTrailingAmount
    .int(0) // adjustableTrailingUnit
    .str('') // softDollarTier name
    .str('') // softDollarTier value
    .str('') // softDollarTier displayName
    .doubleOrUnset(null) // cashQty
    .bool(true) // dontUseAutoPriceForHedge
    .bool(false) // isOmsContainer
    .bool(false) // discretionaryUpToLimitPrice
    .bool(false); // usePriceMgmtAlgo
  if (sv >= V.DURATION) w.intOrUnset(null);
  if (sv >= V.POST_TO_ATS) w.intOrUnset(null);
  if (sv >= V.AUTO_CANCEL_PARENT) w.bool(false);
  if (sv >= V.PEGBEST_PEGMID_OFFSETS) {
    w.intOrUnset(null) // minTradeQty
      .intOrUnset(null) // minCompeteSize
      .doubleOrUnset(null) // competeAgainstBestOffset
      .doubleOrUnset(null) // midOffsetAtWhole
      .doubleOrUnset(null); // midOffsetAtHalf
  }
  if (sv >= V.CUSTOMER_ACCOUNT) w.str('');
  if (sv >= V.PROFESSIONAL_CUSTOMER) w.bool(false);
  if (sv >= V.BOND_ACCRUED_INTEREST) w.str('');
  if (sv >= V.INCLUDE_OVERNIGHT) w.bool(false);
  if (sv >= V.CME_TAGGING_FIELDS_IN_OPEN_ORDER) w.str('').intOrUnset(null);
  return w.fields();
}

/** conId symbol secType expiry strike right multiplier exchange currency localSymbol tradingClass. */
function writeOrderContract(w: FieldWriter, view: SimOrderView): void {
  const req = view.request;
  if (req.contract.kind === 'bag') {
    w.int(BAG_CON_ID)
      .str(req.contract.symbol)
      .str('BAG')
      .str('')
      .double(0)
      .str('?')
      .str('')
      .str(req.exchange === '' ? 'SMART' : req.exchange)
      .str('USD')
      .str('')
      .str('');
    return;
  }
  const c = view.contracts[0];
  if (c === undefined) throw new Error(`order ${req.orderId} has no resolved contract`);
  contractHead(w, c, '?')
    .str(req.exchange === '' ? c.exchange : req.exchange)
    .str(c.currency)
    .str(c.localSymbol)
    .str(c.tradingClass);
}

/** comboLegsDescrip, legs (8 fields each), order-leg prices (none). Singles: "", 0, 0. */
function writeComboLegs(w: FieldWriter, view: SimOrderView): void {
  const req = view.request;
  if (req.contract.kind !== 'bag') {
    w.str('').int(0).int(0);
    return;
  }
  const legs = req.contract.legs;
  w.str(legs.map((l) => `${l.conId}|${l.action === 'SELL' ? -l.ratio : l.ratio}`).join(','));
  w.int(legs.length);
  for (const l of legs) {
    w.int(l.conId)
      .int(l.ratio)
      .str(l.action)
      .str(l.exchange)
      .int(0) // openClose: same as parent
      .int(0) // shortSaleSlot
      .str('') // designatedLocation
      .int(-1); // exemptCode
  }
  w.int(0);
}

export function orderStatus(view: SimOrderView, status: string = view.status): string[] {
  return new FieldWriter()
    .int(ServerMsg.ORDER_STATUS)
    .int(view.request.orderId)
    .str(status)
    .decimal(view.filled)
    .decimal(view.remaining)
    .double(view.avgFillPrice)
    .int(view.permId)
    .int(0) // parentId
    .double(view.lastFillPrice)
    .int(view.request.clientId)
    .str('') // whyHeld
    .double(0) // mktCapPrice
    .fields();
}

export function openOrderEnd(): string[] {
  return new FieldWriter().int(ServerMsg.OPEN_ORDER_END).int(1).fields();
}

/**
 * completedOrder (101), as @stoqey/ib 1.6.10 decodes it at V 178 and 193 (decodeMsg_COMPLETED_ORDER):
 * no orderId, clientId or whatIf; the order's state in the middle, then filledQuantity, the parent's
 * permId, completedTime and completedStatus near the end. `timeText` like "20250110 15:59:00 US/Eastern".
 */
export function completedOrder(
  sv: number,
  c: SimCompletedOrder,
  timeText: string,
  extras: OpenOrderExtras = {},
): string[] {
  const view = c.order;
  const req = view.request;
  const w = new FieldWriter().int(ServerMsg.COMPLETED_ORDER);
  writeOrderContract(w, view);
  w.str(req.action)
    .decimal(req.totalQuantity)
    .str(req.orderType)
    .double(req.lmtPrice ?? 0)
    .double(0) // auxPrice
    .str(req.tif === '' ? 'DAY' : req.tif)
    .str(req.ocaGroup)
    .str(req.account)
    .str('') // openClose
    .int(0) // origin: customer
    .str(req.orderRef)
    .int(view.permId)
    .bool(false) // outsideRth
    .bool(false) // hidden
    .double(0) // discretionaryAmt
    .str('') // goodAfterTime
    .str('') // faGroup
    .str('') // faMethod
    .str('') // faPercentage
    // No faProfile at any version: stoqey decodes completedOrder with an unbounded message version.
    .str('') // modelCode
    .str('') // goodTillDate
    .str('') // rule80A
    .doubleOrUnset(null) // percentOffset
    .str('') // settlingFirm
    .int(0) // shortSaleSlot
    .str('') // designatedLocation
    .int(-1) // exemptCode
    .doubleOrUnset(null) // startingPrice
    .doubleOrUnset(null) // stockRefPrice
    .doubleOrUnset(null) // delta
    .doubleOrUnset(null) // stockRangeLower
    .doubleOrUnset(null) // stockRangeUpper
    .intOrUnset(null) // displaySize
    .bool(false) // sweepToFill
    .bool(false) // allOrNone
    .intOrUnset(null) // minQty
    .int(3) // ocaType
    .int(0) // triggerMethod
    .doubleOrUnset(null) // volatility
    .int(0) // volatilityType
    // deltaNeutralOrderType "None": conId and the short-sale trio follow (no clearing fields here).
    .str('None')
    .doubleOrUnset(null) // deltaNeutralAuxPrice
    .int(0) // deltaNeutralConId
    .bool(false) // deltaNeutralShortSale
    .int(0) // deltaNeutralShortSaleSlot
    .str('') // deltaNeutralDesignatedLocation
    .int(0) // continuousUpdate
    .int(0) // referencePriceType
    .doubleOrUnset(null) // trailStopPrice
    .doubleOrUnset(null); // trailingPercent
  writeComboLegs(w, view);
  const params = extras.smartComboRoutingParams ?? [];
  w.int(params.length);
  for (const p of params) w.str(p.tag).str(p.value);
  w.intOrUnset(null) // scaleInitLevelSize
    .intOrUnset(null) // scaleSubsLevelSize
    .doubleOrUnset(null) // scalePriceIncrement: unset, so no scale block follows
    .str('') // hedgeType: empty, so no hedgeParam
    .str('') // clearingAccount
    .str('IB') // clearingIntent
    .bool(false) // notHeld
    .bool(false) // deltaNeutralContract present
    .str('') // algoStrategy: empty, so no params
    .bool(false) // solicited
    .str(view.status)
    .bool(false) // randomizeSize
    .bool(false) // randomizePrice
    // PEG BENCH fields would follow here; the simulator never echoes that order type.
    .int(0) // conditions
    .doubleOrUnset(null) // trailStopPrice
    .doubleOrUnset(null) // lmtPriceOffset
    .doubleOrUnset(null) // cashQty
    .bool(true) // dontUseAutoPriceForHedge
    .bool(false) // isOmsContainer
    .str('') // autoCancelDate
    .decimal(view.filled) // filledQuantity
    .int(0) // refFuturesConId
    .bool(false) // autoCancelParent
    .str('') // shareholder
    .bool(false) // imbalanceOnly
    .bool(false) // routeMarketableToBbo
    .int(0) // parentPermId
    .str(timeText) // completedTime
    .str(c.completedStatus);
  if (sv >= V.PEGBEST_PEGMID_OFFSETS) {
    w.intOrUnset(null) // minTradeQty
      .intOrUnset(null) // minCompeteSize
      .doubleOrUnset(null) // competeAgainstBestOffset
      .doubleOrUnset(null) // midOffsetAtWhole
      .doubleOrUnset(null); // midOffsetAtHalf
  }
  if (sv >= V.CUSTOMER_ACCOUNT) w.str('');
  if (sv >= V.PROFESSIONAL_CUSTOMER) w.bool(false);
  return w.fields();
}

export function completedOrdersEnd(): string[] {
  return new FieldWriter().int(ServerMsg.COMPLETED_ORDERS_END).fields();
}

/** `timeText` like "20250110 10:00:01 US/Eastern". Live fills use reqId −1. */
export function execDetails(sv: number, reqId: number, e: SimExecution, timeText: string): string[] {
  const c = e.contract;
  const w = new FieldWriter()
    .int(ServerMsg.EXECUTION_DATA)
    .int(reqId)
    .int(e.orderId)
    .apply((w) => contractHead(w, c, ''))
    .str(c.exchange)
    .str(c.currency)
    .str(c.localSymbol)
    .str(c.tradingClass)
    .str(e.execId)
    .str(timeText)
    .str(e.account)
    .str(e.exchange)
    .str(e.side)
    .decimal(e.shares)
    .double(e.price)
    .int(e.permId)
    .int(e.clientId)
    .int(0) // liquidation
    .decimal(e.cumQty)
    .double(e.avgPrice)
    .str(e.orderRef)
    .str('') // evRule
    .int(0) // evMultiplier
    .str('') // modelCode
    .int(1); // lastLiquidity: added
  if (sv >= V.PENDING_PRICE_REVISION) w.bool(false);
  return w.fields();
}

export function execDetailsEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.EXECUTION_DATA_END).int(1).int(reqId).fields();
}

/** Sent after the execDetails with the same execId; n/a values are the unset sentinel. */
export function commissionReport(c: SimCommission): string[] {
  return new FieldWriter()
    .int(ServerMsg.COMMISSION_REPORT)
    .int(1)
    .str(c.execId)
    .double(c.commission)
    .str(c.currency)
    .doubleOrUnset(c.realizedPnl)
    .doubleOrUnset(null) // yield
    .int(0) // yieldRedemptionDate
    .fields();
}

// ---------------------------------------------------------------------------------------------
// Account

export function position(p: SimPosition): string[] {
  const c = p.contract;
  return new FieldWriter()
    .int(ServerMsg.POSITION)
    .int(3)
    .str(p.account)
    .apply((w) => contractHead(w, c, ''))
    .str(c.exchange)
    .str(c.currency)
    .str(c.localSymbol)
    .str(c.tradingClass)
    .decimal(p.position)
    .double(p.avgCost)
    .fields();
}

export function positionEnd(): string[] {
  return new FieldWriter().int(ServerMsg.POSITION_END).int(1).fields();
}

export function accountSummary(
  reqId: number,
  account: string,
  tag: string,
  value: string,
  currency: string,
): string[] {
  return new FieldWriter()
    .int(ServerMsg.ACCOUNT_SUMMARY)
    .int(1)
    .int(reqId)
    .str(account)
    .str(tag)
    .str(value)
    .str(currency)
    .fields();
}

export function accountSummaryEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.ACCOUNT_SUMMARY_END).int(1).int(reqId).fields();
}

export function updateAccountValue(key: string, value: string, currency: string, account: string): string[] {
  return new FieldWriter()
    .int(ServerMsg.ACCT_VALUE)
    .int(2)
    .str(key)
    .str(value)
    .str(currency)
    .str(account)
    .fields();
}

export interface PortfolioLine {
  readonly contract: SimContract;
  readonly position: number;
  readonly marketPrice: number;
  readonly marketValue: number;
  readonly avgCost: number;
  readonly unrealizedPnl: number;
  readonly realizedPnl: number;
  readonly account: string;
}

/** Exactly 20 fields (ib_async). */
export function updatePortfolio(p: PortfolioLine): string[] {
  const c = p.contract;
  return new FieldWriter()
    .int(ServerMsg.PORTFOLIO_VALUE)
    .int(8)
    .apply((w) => contractHead(w, c, ''))
    .str('') // primaryExch
    .str(c.currency)
    .str(c.localSymbol)
    .str(c.tradingClass)
    .decimal(p.position)
    .double(p.marketPrice)
    .double(p.marketValue)
    .double(p.avgCost)
    .double(p.unrealizedPnl)
    .double(p.realizedPnl)
    .str(p.account)
    .fields();
}

export function updateAccountTime(hhmm: string): string[] {
  return new FieldWriter().int(ServerMsg.ACCT_UPDATE_TIME).int(1).str(hhmm).fields();
}

export function accountDownloadEnd(account: string): string[] {
  return new FieldWriter().int(ServerMsg.ACCT_DOWNLOAD_END).int(1).str(account).fields();
}

export function accountUpdateMulti(
  reqId: number,
  account: string,
  modelCode: string,
  key: string,
  value: string,
  currency: string,
): string[] {
  return new FieldWriter()
    .int(ServerMsg.ACCOUNT_UPDATE_MULTI)
    .int(1)
    .int(reqId)
    .str(account)
    .str(modelCode)
    .str(key)
    .str(value)
    .str(currency)
    .fields();
}

export function accountUpdateMultiEnd(reqId: number): string[] {
  return new FieldWriter().int(ServerMsg.ACCOUNT_UPDATE_MULTI_END).int(1).int(reqId).fields();
}
