// Client → server messages into typed requests, for any negotiated version the simulator supports.
// Layouts: docs/ib-notes.md §2, checked against @stoqey/ib 1.6.10's encoder. Every
// optional block depends only on earlier fields of the same message (the conditional-field rules).
import { FieldReader, UNSET_INT } from './fields.ts';
import { ClientMsg, clientMsgName } from './message-ids.ts';
import { V } from './version.ts';

export interface WireComboLeg {
  readonly conId: number | null;
  readonly ratio: number | null;
  readonly action: string;
  readonly exchange: string;
}

/** A contract as the client wrote it; empty text and 0 mean "not given". */
export interface WireContract {
  readonly conId: number | null;
  readonly symbol: string;
  readonly secType: string;
  readonly lastTradeDateOrContractMonth: string;
  readonly strike: number | null;
  readonly right: string;
  readonly multiplier: number | null;
  readonly exchange: string;
  readonly primaryExch: string;
  readonly currency: string;
  readonly localSymbol: string;
  readonly tradingClass: string;
  readonly includeExpired: boolean;
  readonly comboLegs: readonly WireComboLeg[];
}

export interface TagValue {
  readonly tag: string;
  readonly value: string;
}

/** The order fields the simulator acts on or echoes; the rest are read past. */
export interface WireOrder {
  readonly action: string;
  readonly totalQuantity: number | null;
  readonly orderType: string;
  readonly lmtPrice: number | null;
  readonly auxPrice: number | null;
  readonly tif: string;
  readonly ocaGroup: string;
  readonly account: string;
  readonly openClose: string;
  readonly orderRef: string;
  /** "" (stoqey's undefined) reads as false: the order is held, never routed. */
  readonly transmit: boolean;
  readonly parentId: number;
  readonly outsideRth: boolean;
  readonly goodAfterTime: string;
  readonly goodTillDate: string;
  readonly ocaType: number | null;
  readonly orderComboLegPrices: readonly (number | null)[];
  readonly smartComboRoutingParams: readonly TagValue[];
  readonly algoStrategy: string;
  readonly whatIf: boolean;
  readonly conditionCount: number;
  readonly advancedErrorOverride: string;
}

export interface WireExecutionFilter {
  readonly clientId: number | null;
  readonly account: string;
  readonly time: string;
  readonly symbol: string;
  readonly secType: string;
  readonly exchange: string;
  readonly side: string;
}

export type ClientRequest =
  | { readonly type: 'startApi'; readonly clientId: number; readonly optionalCapabilities: string }
  | {
      readonly type: 'reqMktData';
      readonly reqId: number;
      readonly contract: WireContract;
      readonly genericTickList: string;
      readonly snapshot: boolean;
      readonly regulatorySnapshot: boolean;
    }
  | { readonly type: 'cancelMktData'; readonly reqId: number }
  | {
      readonly type: 'placeOrder';
      readonly orderId: number;
      readonly contract: WireContract;
      readonly order: WireOrder;
    }
  | { readonly type: 'cancelOrder'; readonly orderId: number; readonly manualOrderCancelTime: string }
  | { readonly type: 'reqOpenOrders' }
  | { readonly type: 'reqAllOpenOrders' }
  | { readonly type: 'reqAutoOpenOrders'; readonly autoBind: boolean }
  | { readonly type: 'reqAccountUpdates'; readonly subscribe: boolean; readonly account: string }
  | { readonly type: 'reqExecutions'; readonly reqId: number; readonly filter: WireExecutionFilter }
  | { readonly type: 'reqIds'; readonly numIds: number }
  | { readonly type: 'reqContractDetails'; readonly reqId: number; readonly contract: WireContract }
  | { readonly type: 'reqManagedAccts' }
  | {
      readonly type: 'reqHistoricalData';
      readonly reqId: number;
      readonly contract: WireContract;
      readonly endDateTime: string;
      readonly barSize: string;
      readonly duration: string;
      readonly useRth: boolean;
      readonly whatToShow: string;
      readonly formatDate: number;
      readonly keepUpToDate: boolean;
    }
  | { readonly type: 'cancelHistoricalData'; readonly reqId: number }
  | { readonly type: 'reqCurrentTime' }
  | { readonly type: 'reqGlobalCancel' }
  | { readonly type: 'reqMarketDataType'; readonly marketDataType: number }
  | { readonly type: 'reqPositions' }
  | { readonly type: 'cancelPositions' }
  | {
      readonly type: 'reqAccountSummary';
      readonly reqId: number;
      readonly group: string;
      readonly tags: string;
    }
  | { readonly type: 'cancelAccountSummary'; readonly reqId: number }
  | {
      readonly type: 'reqAccountUpdatesMulti';
      readonly reqId: number;
      readonly account: string;
      readonly modelCode: string;
      readonly ledgerAndNlv: boolean;
    }
  | { readonly type: 'cancelAccountUpdatesMulti'; readonly reqId: number }
  | {
      readonly type: 'reqSecDefOptParams';
      readonly reqId: number;
      readonly underlyingSymbol: string;
      readonly futFopExchange: string;
      readonly underlyingSecType: string;
      readonly underlyingConId: number | null;
    }
  | { readonly type: 'reqCompletedOrders'; readonly apiOnly: boolean }
  | {
      readonly type: 'reqHeadTimestamp';
      readonly reqId: number;
      readonly contract: WireContract;
      readonly useRth: boolean;
      readonly whatToShow: string;
      readonly formatDate: number;
    }
  | { readonly type: 'cancelHeadTimestamp'; readonly reqId: number }
  | { readonly type: 'reqMarketRule'; readonly marketRuleId: number };

export type ClientRequestType = ClientRequest['type'];

export type DecodeResult =
  | { readonly ok: true; readonly request: ClientRequest; readonly leftover: number }
  | { readonly ok: false; readonly kind: 'unknown'; readonly msgId: number | null; readonly text: string }
  | { readonly ok: false; readonly kind: 'unsupported'; readonly msgId: number; readonly name: string }
  | {
      readonly ok: false;
      readonly kind: 'malformed';
      readonly msgId: number;
      readonly name: string;
      readonly problems: readonly string[];
    };

/** Decodes one client message at the negotiated server version. Never throws. */
export function decodeRequest(fields: readonly string[], serverVersion: number): DecodeResult {
  const idText = (fields[0] ?? '').trim();
  const msgId = /^\d{1,6}$/.test(idText) ? Number.parseInt(idText, 10) : null;
  if (msgId === null) return { ok: false, kind: 'unknown', msgId: null, text: idText.slice(0, 40) };
  const name = clientMsgName(msgId);
  if (name === undefined) return { ok: false, kind: 'unknown', msgId, text: idText };
  const r = new FieldReader(fields, 1);
  const request = readBody(msgId, r, serverVersion);
  if (request === null) return { ok: false, kind: 'unsupported', msgId, name };
  if (!r.ok()) return { ok: false, kind: 'malformed', msgId, name, problems: r.problems };
  return { ok: true, request, leftover: r.remaining };
}

function readBody(msgId: number, r: FieldReader, sv: number): ClientRequest | null {
  switch (msgId) {
    case ClientMsg.START_API: {
      r.str('version');
      const clientId = r.intOr('clientId', 0);
      // optionalCapabilities is present from server version 72; tolerate its absence.
      const optionalCapabilities = r.remaining > 0 ? r.str('optionalCapabilities') : '';
      return { type: 'startApi', clientId, optionalCapabilities };
    }
    case ClientMsg.REQ_MKT_DATA: {
      r.str('version');
      const reqId = requiredInt(r, 'reqId');
      const core = readContractCore(r);
      const comboLegs = isBag(core.secType) ? readShortLegs(r) : [];
      readDeltaNeutralContract(r);
      const genericTickList = r.str('genericTickList');
      const snapshot = r.bool('snapshot');
      const regulatorySnapshot = r.bool('regulatorySnapshot');
      r.str('mktDataOptions');
      return {
        type: 'reqMktData',
        reqId,
        contract: { ...core, includeExpired: false, comboLegs },
        genericTickList,
        snapshot,
        regulatorySnapshot,
      };
    }
    case ClientMsg.CANCEL_MKT_DATA:
      r.str('version');
      return { type: 'cancelMktData', reqId: requiredInt(r, 'reqId') };
    case ClientMsg.PLACE_ORDER:
      return readPlaceOrder(r, sv);
    case ClientMsg.CANCEL_ORDER: {
      if (sv < V.CME_TAGGING_FIELDS) r.str('version');
      const orderId = requiredInt(r, 'orderId');
      const manualOrderCancelTime = sv >= V.MANUAL_ORDER_TIME ? r.str('manualOrderCancelTime') : '';
      if (sv >= V.RFQ_FIELDS && sv < V.UNDO_RFQ_FIELDS) r.skip(3, 'rfq');
      if (sv >= V.CME_TAGGING_FIELDS) {
        r.str('extOperator');
        r.int('manualOrderIndicator');
      }
      return { type: 'cancelOrder', orderId, manualOrderCancelTime };
    }
    case ClientMsg.REQ_OPEN_ORDERS:
      r.str('version');
      return { type: 'reqOpenOrders' };
    case ClientMsg.REQ_ALL_OPEN_ORDERS:
      r.str('version');
      return { type: 'reqAllOpenOrders' };
    case ClientMsg.REQ_AUTO_OPEN_ORDERS:
      r.str('version');
      return { type: 'reqAutoOpenOrders', autoBind: r.bool('autoBind') };
    case ClientMsg.REQ_ACCOUNT_DATA: {
      r.str('version');
      const subscribe = r.bool('subscribe');
      const account = r.remaining > 0 ? r.str('acctCode') : '';
      return { type: 'reqAccountUpdates', subscribe, account };
    }
    case ClientMsg.REQ_EXECUTIONS: {
      r.str('version');
      const reqId = requiredInt(r, 'reqId');
      const clientId = r.int('clientId');
      const filter: WireExecutionFilter = {
        clientId,
        account: r.str('acctCode'),
        time: r.str('time'),
        symbol: r.str('symbol'),
        secType: r.str('secType'),
        exchange: r.str('exchange'),
        side: r.str('side'),
      };
      return { type: 'reqExecutions', reqId, filter };
    }
    case ClientMsg.REQ_IDS:
      r.str('version');
      return { type: 'reqIds', numIds: r.intOr('numIds', 1) };
    case ClientMsg.REQ_CONTRACT_DATA: {
      r.str('version');
      const reqId = requiredInt(r, 'reqId');
      const core = readContractCore(r);
      const includeExpired = r.bool('includeExpired');
      r.str('secIdType');
      r.str('secId');
      if (sv >= V.BOND_ISSUERID) r.str('issuerId');
      return { type: 'reqContractDetails', reqId, contract: { ...core, includeExpired, comboLegs: [] } };
    }
    case ClientMsg.REQ_MANAGED_ACCTS:
      r.str('version');
      return { type: 'reqManagedAccts' };
    case ClientMsg.REQ_HISTORICAL_DATA: {
      const reqId = requiredInt(r, 'reqId');
      const core = readContractCore(r);
      const includeExpired = r.bool('includeExpired');
      const endDateTime = r.str('endDateTime');
      const barSize = r.str('barSizeSetting');
      const duration = r.str('durationStr');
      const useRth = r.bool('useRTH');
      const whatToShow = r.str('whatToShow');
      const formatDate = r.intOr('formatDate', 1);
      const comboLegs = isBag(core.secType) ? readShortLegs(r) : [];
      const keepUpToDate = r.bool('keepUpToDate');
      r.str('chartOptions');
      return {
        type: 'reqHistoricalData',
        reqId,
        contract: { ...core, includeExpired, comboLegs },
        endDateTime,
        barSize,
        duration,
        useRth,
        whatToShow,
        formatDate,
        keepUpToDate,
      };
    }
    case ClientMsg.CANCEL_HISTORICAL_DATA:
      r.str('version');
      return { type: 'cancelHistoricalData', reqId: requiredInt(r, 'reqId') };
    case ClientMsg.REQ_CURRENT_TIME:
      r.str('version');
      return { type: 'reqCurrentTime' };
    case ClientMsg.REQ_GLOBAL_CANCEL:
      if (sv < V.CME_TAGGING_FIELDS) {
        r.str('version');
      } else {
        r.str('extOperator');
        r.int('manualOrderIndicator');
      }
      return { type: 'reqGlobalCancel' };
    case ClientMsg.REQ_MARKET_DATA_TYPE:
      r.str('version');
      return { type: 'reqMarketDataType', marketDataType: requiredInt(r, 'marketDataType') };
    case ClientMsg.REQ_POSITIONS:
      r.str('version');
      return { type: 'reqPositions' };
    case ClientMsg.CANCEL_POSITIONS:
      r.str('version');
      return { type: 'cancelPositions' };
    case ClientMsg.REQ_ACCOUNT_SUMMARY: {
      r.str('version');
      const reqId = requiredInt(r, 'reqId');
      return { type: 'reqAccountSummary', reqId, group: r.str('group'), tags: r.str('tags') };
    }
    case ClientMsg.CANCEL_ACCOUNT_SUMMARY:
      r.str('version');
      return { type: 'cancelAccountSummary', reqId: requiredInt(r, 'reqId') };
    case ClientMsg.REQ_ACCOUNT_UPDATES_MULTI: {
      r.str('version');
      const reqId = requiredInt(r, 'reqId');
      return {
        type: 'reqAccountUpdatesMulti',
        reqId,
        account: r.str('account'),
        modelCode: r.str('modelCode'),
        ledgerAndNlv: r.bool('ledgerAndNLV'),
      };
    }
    case ClientMsg.CANCEL_ACCOUNT_UPDATES_MULTI:
      r.str('version');
      return { type: 'cancelAccountUpdatesMulti', reqId: requiredInt(r, 'reqId') };
    case ClientMsg.REQ_SEC_DEF_OPT_PARAMS: {
      const reqId = requiredInt(r, 'reqId');
      return {
        type: 'reqSecDefOptParams',
        reqId,
        underlyingSymbol: r.str('underlyingSymbol'),
        futFopExchange: r.str('futFopExchange'),
        underlyingSecType: r.str('underlyingSecType'),
        underlyingConId: zeroAsNull(r.int('underlyingConId')),
      };
    }
    case ClientMsg.REQ_COMPLETED_ORDERS:
      return { type: 'reqCompletedOrders', apiOnly: r.bool('apiOnly') };
    case ClientMsg.REQ_HEAD_TIMESTAMP: {
      // No version field: reqId, contract (with includeExpired), useRTH, whatToShow, formatDate.
      const reqId = requiredInt(r, 'reqId');
      const core = readContractCore(r);
      const includeExpired = r.bool('includeExpired');
      return {
        type: 'reqHeadTimestamp',
        reqId,
        contract: { ...core, includeExpired, comboLegs: [] },
        useRth: r.bool('useRTH'),
        whatToShow: r.str('whatToShow'),
        formatDate: r.intOr('formatDate', 1),
      };
    }
    case ClientMsg.CANCEL_HEAD_TIMESTAMP:
      return { type: 'cancelHeadTimestamp', reqId: requiredInt(r, 'reqId') };
    case ClientMsg.REQ_MARKET_RULE:
      return { type: 'reqMarketRule', marketRuleId: requiredInt(r, 'marketRuleId') };
    default:
      return null;
  }
}

function requiredInt(r: FieldReader, name: string): number {
  const at = r.position;
  const v = r.int(name);
  if (v === null) {
    if (!r.underrun) r.problems.push(`field ${at} (${name}) is required`);
    return 0;
  }
  return v;
}

function zeroAsNull(v: number | null): number | null {
  return v === 0 || v === UNSET_INT ? null : v;
}

function isBag(secType: string): boolean {
  return secType.trim().toUpperCase() === 'BAG';
}

type ContractCore = Omit<WireContract, 'includeExpired' | 'comboLegs'>;

/** conId symbol secType expiry strike right multiplier exchange primaryExch currency localSymbol tradingClass. */
function readContractCore(r: FieldReader): ContractCore {
  const conId = zeroAsNull(r.int('conId'));
  const symbol = r.str('symbol');
  const secType = r.str('secType');
  const lastTradeDateOrContractMonth = r.str('lastTradeDateOrContractMonth');
  const strikeRaw = r.double('strike');
  const right = r.str('right');
  const multiplierRaw = r.double('multiplier');
  return {
    conId,
    symbol,
    secType,
    lastTradeDateOrContractMonth,
    // ib_async writes an unset strike as "0.0": treat it as not given.
    strike: strikeRaw === 0 ? null : strikeRaw,
    right,
    multiplier: multiplierRaw === 0 ? null : multiplierRaw,
    exchange: r.str('exchange'),
    primaryExch: r.str('primaryExch'),
    currency: r.str('currency'),
    localSymbol: r.str('localSymbol'),
    tradingClass: r.str('tradingClass'),
  };
}

/** reqMktData / reqHistoricalData legs: n, {conId, ratio, action, exchange}×n. */
function readShortLegs(r: FieldReader): WireComboLeg[] {
  const n = r.count('comboLegsCount', 4);
  const legs: WireComboLeg[] = [];
  for (let i = 0; i < n; i++) {
    legs.push({
      conId: r.int('leg.conId'),
      ratio: r.int('leg.ratio'),
      action: r.str('leg.action'),
      exchange: r.str('leg.exchange'),
    });
  }
  return legs;
}

function readDeltaNeutralContract(r: FieldReader): void {
  if (r.bool('deltaNeutralContractPresent')) {
    r.int('dn.conId');
    r.double('dn.delta');
    r.double('dn.price');
  }
}

/** Order condition types (IB OrderConditionType) and how many fields follow type + conjunction. */
const CONDITION_FIELDS: ReadonlyMap<number, number> = new Map([
  [1, 5], // Price: isMore, value, conId, exchange, triggerMethod
  [3, 2], // Time: isMore, value
  [4, 2], // Margin: isMore, value
  [5, 3], // Execution: secType, exchange, symbol
  [6, 4], // Volume: isMore, value, conId, exchange
  [7, 4], // PercentChange: isMore, value, conId, exchange
]);

function readPlaceOrder(r: FieldReader, sv: number): ClientRequest {
  const orderId = requiredInt(r, 'orderId');
  const core = readContractCore(r);
  r.str('secIdType');
  r.str('secId');

  const action = r.str('action');
  const totalQuantity = r.double('totalQuantity');
  const orderType = r.str('orderType');
  const lmtPrice = r.double('lmtPrice');
  const auxPrice = r.double('auxPrice');
  const tif = r.str('tif');
  const ocaGroup = r.str('ocaGroup');
  const account = r.str('account');
  const openClose = r.str('openClose');
  r.int('origin');
  const orderRef = r.str('orderRef');
  const transmit = r.bool('transmit');
  const parentId = r.intOr('parentId', 0);
  r.bool('blockOrder');
  r.bool('sweepToFill');
  r.int('displaySize');
  r.int('triggerMethod');
  const outsideRth = r.bool('outsideRth');
  r.bool('hidden');

  const comboLegs: WireComboLeg[] = [];
  const orderComboLegPrices: (number | null)[] = [];
  const smartComboRoutingParams: TagValue[] = [];
  if (isBag(core.secType)) {
    const n = r.count('comboLegsCount', 8);
    for (let i = 0; i < n; i++) {
      comboLegs.push({
        conId: r.int('leg.conId'),
        ratio: r.int('leg.ratio'),
        action: r.str('leg.action'),
        exchange: r.str('leg.exchange'),
      });
      r.str('leg.openClose');
      r.str('leg.shortSaleSlot');
      r.str('leg.designatedLocation');
      r.str('leg.exemptCode');
    }
    const nPrices = r.count('orderComboLegsCount', 1);
    for (let i = 0; i < nPrices; i++) orderComboLegPrices.push(r.double('orderComboLeg.price'));
    const nParams = r.count('smartComboRoutingParamsCount', 2);
    for (let i = 0; i < nParams; i++)
      smartComboRoutingParams.push({ tag: r.str('param.tag'), value: r.str('param.value') });
  }

  r.str('sharesAllocation');
  r.double('discretionaryAmt');
  const goodAfterTime = r.str('goodAfterTime');
  const goodTillDate = r.str('goodTillDate');
  r.skip(3, 'faGroup/faMethod/faPercentage');
  if (sv < V.FA_PROFILE_DESUPPORT) r.str('faProfile');
  r.str('modelCode');
  r.str('shortSaleSlot');
  r.str('designatedLocation');
  r.str('exemptCode');
  const ocaType = r.int('ocaType');
  r.str('rule80A');
  r.str('settlingFirm');
  r.bool('allOrNone');
  r.int('minQty');
  r.double('percentOffset');
  r.bool('eTradeOnly');
  r.bool('firmQuoteOnly');
  r.double('nbboPriceCap');
  r.int('auctionStrategy');
  r.double('startingPrice');
  r.double('stockRefPrice');
  r.double('delta');
  r.double('stockRangeLower');
  r.double('stockRangeUpper');
  r.bool('overridePercentageConstraints');
  r.double('volatility');
  r.int('volatilityType');
  const deltaNeutralOrderType = r.str('deltaNeutralOrderType');
  r.double('deltaNeutralAuxPrice');
  if (deltaNeutralOrderType !== '') r.skip(8, 'deltaNeutral order fields');
  r.int('continuousUpdate');
  r.int('referencePriceType');
  r.double('trailStopPrice');
  r.double('trailingPercent');
  r.int('scaleInitLevelSize');
  r.int('scaleSubsLevelSize');
  const scalePriceIncrement = r.double('scalePriceIncrement');
  if (scalePriceIncrement !== null && scalePriceIncrement > 0 && Number.isFinite(scalePriceIncrement)) {
    r.skip(7, 'scale order fields');
  }
  r.str('scaleTable');
  r.str('activeStartTime');
  r.str('activeStopTime');
  const hedgeType = r.str('hedgeType');
  if (hedgeType !== '') r.str('hedgeParam');
  r.bool('optOutSmartRouting');
  r.str('clearingAccount');
  r.str('clearingIntent');
  r.bool('notHeld');
  readDeltaNeutralContract(r);
  const algoStrategy = r.str('algoStrategy');
  if (algoStrategy !== '') {
    const n = r.count('algoParamsCount', 2);
    r.skip(2 * n, 'algoParams');
  }
  r.str('algoId');
  const whatIf = r.bool('whatIf');
  r.str('orderMiscOptions');
  r.bool('solicited');
  r.bool('randomizeSize');
  r.bool('randomizePrice');
  if (isPegBench(orderType)) r.skip(5, 'pegged-to-benchmark fields');
  const conditionCount = r.count('conditionsCount', 3, 100);
  for (let i = 0; i < conditionCount; i++) {
    const at = r.position;
    const condType = r.int('condition.type');
    r.str('condition.conjunction');
    const extra = condType === null ? undefined : CONDITION_FIELDS.get(condType);
    if (extra === undefined) {
      r.problems.push(`field ${at} (condition.type) is not a known condition type: ${condType}`);
      return placeOrderResult(orderId, core, comboLegs);
    }
    r.skip(extra, 'condition fields');
  }
  if (conditionCount > 0) {
    r.bool('conditionsIgnoreRth');
    r.bool('conditionsCancelOrder');
  }
  r.str('adjustedOrderType');
  r.double('triggerPrice');
  r.double('lmtPriceOffset');
  r.double('adjustedStopPrice');
  r.double('adjustedStopLimitPrice');
  r.double('adjustedTrailingAmount');
  r.int('adjustableTrailingUnit');
  r.str('extOperator');
  r.str('softDollarTier.name');
  r.str('softDollarTier.value');
  r.double('cashQty');
  r.skip(4, 'mifid2 fields');
  r.bool('dontUseAutoPriceForHedge');
  r.bool('isOmsContainer');
  r.bool('discretionaryUpToLimitPrice');
  r.bool('usePriceMgmtAlgo');
  if (sv >= V.DURATION) r.int('duration');
  if (sv >= V.POST_TO_ATS) r.int('postToAts');
  if (sv >= V.AUTO_CANCEL_PARENT) r.bool('autoCancelParent');
  const advancedErrorOverride = sv >= V.ADVANCED_ORDER_REJECT ? r.str('advancedErrorOverride') : '';
  if (sv >= V.MANUAL_ORDER_TIME) r.str('manualOrderTime');
  if (sv >= V.PEGBEST_PEGMID_OFFSETS) {
    if (core.exchange === 'IBKRATS') r.int('minTradeQty');
    let midOffsets = false;
    if (isPegBest(orderType)) {
      r.int('minCompeteSize');
      const compete = r.double('competeAgainstBestOffset');
      midOffsets = compete === Infinity;
    } else if (isPegMid(orderType)) {
      midOffsets = true;
    }
    if (midOffsets) {
      r.double('midOffsetAtWhole');
      r.double('midOffsetAtHalf');
    }
  }
  if (sv >= V.CUSTOMER_ACCOUNT) r.str('customerAccount');
  if (sv >= V.PROFESSIONAL_CUSTOMER) r.bool('professionalCustomer');
  if (sv >= V.RFQ_FIELDS && sv < V.UNDO_RFQ_FIELDS) r.skip(2, 'rfq');
  if (sv >= V.INCLUDE_OVERNIGHT) r.bool('includeOvernight');
  if (sv >= V.CME_TAGGING_FIELDS) r.int('manualOrderIndicator');

  const order: WireOrder = {
    action,
    totalQuantity,
    orderType,
    lmtPrice,
    auxPrice,
    tif,
    ocaGroup,
    account,
    openClose,
    orderRef,
    transmit,
    parentId,
    outsideRth,
    goodAfterTime,
    goodTillDate,
    ocaType,
    orderComboLegPrices,
    smartComboRoutingParams,
    algoStrategy,
    whatIf,
    conditionCount,
    advancedErrorOverride,
  };
  return { type: 'placeOrder', orderId, contract: { ...core, includeExpired: false, comboLegs }, order };
}

function placeOrderResult(
  orderId: number,
  core: ContractCore,
  comboLegs: readonly WireComboLeg[],
): ClientRequest {
  // Only reached with problems recorded: the caller reports the message as malformed.
  return {
    type: 'placeOrder',
    orderId,
    contract: { ...core, includeExpired: false, comboLegs },
    order: EMPTY_ORDER,
  };
}

const EMPTY_ORDER: WireOrder = {
  action: '',
  totalQuantity: null,
  orderType: '',
  lmtPrice: null,
  auxPrice: null,
  tif: '',
  ocaGroup: '',
  account: '',
  openClose: '',
  orderRef: '',
  transmit: false,
  parentId: 0,
  outsideRth: false,
  goodAfterTime: '',
  goodTillDate: '',
  ocaType: null,
  orderComboLegPrices: [],
  smartComboRoutingParams: [],
  algoStrategy: '',
  whatIf: false,
  conditionCount: 0,
  advancedErrorOverride: '',
};

function isPegBench(t: string): boolean {
  return t === 'PEG BENCH' || t === 'PEGBENCH';
}
function isPegBest(t: string): boolean {
  return t === 'PEG BEST' || t === 'PEGBEST';
}
function isPegMid(t: string): boolean {
  return t === 'PEG MID' || t === 'PEGMID';
}
