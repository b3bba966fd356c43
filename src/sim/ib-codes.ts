// Every IB error/notice code the simulator can emit, in one place, with what it means (docs/ib-notes.md,
// IB's message-codes page). The wire session and the venue take their codes
// from here (the code parameter of every emitter is a SimIbCode), and a scripted reject may only use
// one of them, so the IB adapter's classification table can be checked against this list.

export const IbCode = {
  MAX_RATE_EXCEEDED: 100,
  MAX_TICKERS: 101,
  DUPLICATE_ORDER_ID: 103,
  CANT_MODIFY_FILLED_ORDER: 104,
  MODIFY_DOES_NOT_MATCH: 105,
  PRICE_OFF_TICK: 110,
  HISTORICAL_DATA_ERROR: 162,
  NO_SECURITY_DEFINITION: 200,
  ORDER_REJECTED: 201,
  ORDER_CANCELLED: 202,
  SECURITY_NOT_ALLOWED: 203,
  CANT_FIND_TICKER: 300,
  READ_ERROR: 320,
  VALIDATION_ERROR: 321,
  PROCESSING_ERROR: 322,
  CLIENT_ID_IN_USE: 326,
  SMART_COMBO_NO_OCA: 356,
  NO_WHAT_IF_FOR_SMART_COMBO: 360,
  ORDER_WARNING: 399,
  WHAT_IF_NEEDS_TRANSMIT: 413,
  CANCEL_NOT_FOUND: 10147,
  CANCEL_NOT_CANCELLABLE: 10148,
  MARKET_DATA_FARM_OK: 2104,
  HMDS_FARM_OK: 2106,
  SEC_DEF_FARM_OK: 2158,
} as const;

export type SimIbCode = (typeof IbCode)[keyof typeof IbCode];

/** Each code the simulator emits, with a one-line meaning. */
export const SIM_IB_CODES: Readonly<Record<SimIbCode, string>> = {
  100: 'max rate of messages per second exceeded (3 in a row drop the session)',
  101: 'max number of market data lines (tickers) reached',
  103: 'duplicate order id: a new order reused an id (or one at or below the last used)',
  104: "can't modify a filled order",
  105: 'the order being modified does not match the original (contract or action changed)',
  110: 'the price does not conform to the minimum price variation (tick) of the contract',
  162: 'historical data service error: pacing violation, or no data of that type',
  200: 'no security definition found for the request (or the description is ambiguous)',
  201: 'order rejected (reason in the text: riskless combo, expired contract, account, scripted reject...)',
  202: 'order cancelled (after a client cancel)',
  203: 'the security is not available or allowed for this account (scripted rejects only)',
  300: "can't find the market data subscription (EId) to cancel",
  320: 'error reading the request: unknown message id or unparsable fields',
  321: 'error validating the request: a field is missing or invalid (order shape, BAG, unqualified contract)',
  322: 'error processing the request: unsupported request, duplicate ticker id, or a simulator fault',
  326: 'client id already in use: the connection is closed',
  356: 'a SMART-routed combo does not support an OCA group',
  360: 'no whatIf check support for a SMART combo order (scripted)',
  399: 'order warning, not an error: the order is held (transmit=false)',
  413: 'a whatIf order needs transmit=true',
  2104: 'notice: market data farm connection is OK',
  2106: 'notice: historical data farm connection is OK',
  2158: 'notice: sec-def data farm connection is OK',
  10147: 'the order id to cancel was not found',
  10148: 'the order cannot be cancelled in its state (filled or already cancelled)',
};

/** Every code the simulator can emit, ascending. */
export const SIM_IB_CODE_LIST: readonly SimIbCode[] = Object.keys(SIM_IB_CODES)
  .map(Number)
  .sort((a, b) => a - b) as SimIbCode[];

export function isSimIbCode(code: number): code is SimIbCode {
  return Object.prototype.hasOwnProperty.call(SIM_IB_CODES, code);
}
