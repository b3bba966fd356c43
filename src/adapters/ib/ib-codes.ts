// Every IB message code the adapter can meet, classified once: refused (the request or order was not
// accepted; nothing works), unknown (the outcome cannot be told: reconcile), connectivity (the link to
// the gateway or IB's servers changed), info (a notice; nothing failed). Sources: docs/ib-notes.md, IB's
// "Error Codes" table, @stoqey/ib's client-side codes (5xx) and every code the simulator emits.
import type { IbCodeClass } from '../../ports/broker.ts';

export interface IbCodeInfo {
  readonly code: number;
  readonly class: IbCodeClass;
  /** What the code means, in a few words (for logs and error texts). */
  readonly meaning: string;
}

type Row = readonly [code: number, cls: IbCodeClass, meaning: string];

const ROWS: readonly Row[] = [
  // Pacing and request limits
  [100, 'refused', 'max rate of messages per second exceeded (pacing)'],
  [101, 'refused', 'max number of market data lines reached'],
  [102, 'refused', 'duplicate ticker id'],
  // Orders
  [103, 'refused', 'duplicate order id'],
  [104, 'refused', 'cannot modify a filled order'],
  [105, 'refused', 'order being modified does not match the original order'],
  [106, 'refused', 'cannot transmit order id'],
  [107, 'refused', 'cannot transmit incomplete order'],
  [109, 'refused', 'price is out of the range defined by the percentage offset'],
  [110, 'refused', 'price does not conform to the minimum price variation'],
  [111, 'refused', 'time in force and order type are incompatible'],
  [113, 'refused', 'time in force must be DAY for this order type'],
  [116, 'refused', 'order is not allowed on this exchange'],
  [117, 'refused', 'block order size too small'],
  [121, 'refused', 'invalid BD flag for the order'],
  [133, 'refused', 'submit new order failed'],
  [134, 'refused', 'modify order failed'],
  [135, 'refused', 'cannot find the order with this id'],
  [136, 'refused', 'this order cannot be cancelled'],
  [161, 'refused', 'cancel attempted when the order is not in a cancellable state'],
  [162, 'refused', 'historical market data service error (no data or pacing violation)'],
  [165, 'info', 'historical market data service query message'],
  [200, 'refused', 'no security definition found for the request'],
  [201, 'refused', 'order rejected'],
  [202, 'info', 'order cancelled'],
  [203, 'refused', 'security not available or not allowed for this account'],
  [300, 'refused', 'cannot find the ticker id (market data already cancelled)'],
  [309, 'refused', 'max number of market depth requests reached'],
  [314, 'refused', 'combo order without combo legs'],
  [317, 'info', 'market depth data has been reset'],
  [320, 'refused', 'server error reading an API client request'],
  [321, 'refused', 'server error validating an API client request'],
  [322, 'refused', 'server error processing an API client request'],
  [323, 'refused', 'server error: cause unknown'],
  [324, 'refused', 'server error reading a DDE client request'],
  [325, 'refused', 'discretionary orders are not supported for this combination'],
  [326, 'connectivity', 'client id already in use'],
  [354, 'refused', 'market data not subscribed'],
  [356, 'refused', 'smart-routed combo orders do not support OCA groups'],
  [359, 'refused', 'smart-routed combo order not supported with this setting'],
  [360, 'refused', 'no what-if check support for smart combo orders'],
  [366, 'refused', 'no historical data query found for this request id'],
  [399, 'info', 'order message (warning)'],
  [404, 'info', 'order held: shares not available for short sale'],
  [413, 'refused', 'what-if orders must have transmit set'],
  [420, 'refused', 'invalid real-time query (pacing)'],
  [434, 'refused', 'order size cannot be zero'],
  [460, 'refused', 'no trading permissions for this security'],
  // @stoqey/ib's own codes (raised in the client, never by the gateway)
  [501, 'connectivity', 'already connected'],
  [502, 'connectivity', 'could not connect to the gateway'],
  [503, 'refused', 'gateway version too old for this request (nothing was sent)'],
  [504, 'connectivity', 'not connected'],
  [505, 'unknown', 'client could not decode a message (fatal error, unknown message or field count)'],
  [506, 'connectivity', 'unsupported server version'],
  [507, 'connectivity', 'bad message length'],
  [508, 'unknown', 'bad message'],
  [509, 'unknown', 'exception while sending to the gateway'],
  [512, 'unknown', 'sending the order failed'],
  [515, 'unknown', 'sending the cancel failed'],
  // Links between the client, the gateway and IB's servers
  [1100, 'connectivity', 'connectivity between the gateway and IB is lost'],
  [1101, 'connectivity', 'connectivity restored; market data subscriptions were lost'],
  [1102, 'connectivity', 'connectivity restored; data maintained'],
  [1300, 'connectivity', 'the gateway socket port was reset'],
  [2100, 'info', 'account data subscription cancelled'],
  [2101, 'info', 'unable to subscribe to account: another client holds it'],
  [2102, 'info', 'unable to modify this order: it is still being processed'],
  [2103, 'info', 'a market data farm connection is broken'],
  [2104, 'info', 'market data farm connection is OK'],
  [2105, 'info', 'a historical data farm connection is broken'],
  [2106, 'info', 'historical data farm connection is OK'],
  [2107, 'info', 'historical data farm connection is inactive'],
  [2108, 'info', 'market data farm connection is inactive'],
  [2109, 'info', 'order event warning: outside regular trading hours attribute ignored'],
  [2110, 'connectivity', 'connectivity between the gateway and IB servers is broken'],
  [2119, 'info', 'market data farm is connecting'],
  [2137, 'info', 'cross-side warning'],
  [2157, 'info', 'security definition data farm connection is broken'],
  [2158, 'info', 'security definition data farm connection is OK'],
  [2168, 'info', 'etradeonly order attribute is not supported'],
  [2169, 'info', 'firmQuoteOnly order attribute is not supported'],
  // Combos and market data permissions
  [10058, 'refused', 'leg prices are allowed only for two-leg non-guaranteed combos'],
  [10089, 'refused', 'requested market data needs an additional subscription for the API'],
  [10090, 'refused', 'part of the requested market data is not subscribed'],
  [10091, 'refused', 'part of the requested market data needs an additional API subscription'],
  [10147, 'refused', 'the order to cancel was not found'],
  [10148, 'refused', 'the order cannot be cancelled in its state'],
  [10149, 'refused', 'invalid order id to cancel'],
  [10167, 'refused', 'market data not subscribed: showing delayed market data'],
  [10168, 'refused', 'market data not subscribed and delayed market data is not enabled'],
  [10186, 'refused', 'market data not subscribed: delayed market data is off'],
  [10197, 'refused', 'no market data during a competing live session'],
];

export const IB_CODES: ReadonlyMap<number, IbCodeInfo> = new Map(
  ROWS.map(([code, cls, meaning]) => [code, { code, class: cls, meaning }]),
);

/**
 * How to treat an IB code. A code missing from the table is `unknown` (reconcile before trusting
 * anything), except IB's 2100–2199 range, which IB documents as warnings.
 */
export function classifyIbCode(code: number): IbCodeClass {
  const known = IB_CODES.get(code);
  if (known !== undefined) return known.class;
  if (code >= 2100 && code < 2200) return 'info';
  return 'unknown';
}

export function ibCodeMeaning(code: number): string {
  return IB_CODES.get(code)?.meaning ?? `IB code ${code}`;
}

/** Codes that say the market-data permissions of the account lack something. */
export const MARKET_DATA_PERMISSION_CODES: ReadonlySet<number> = new Set([
  354, 10089, 10090, 10091, 10167, 10168, 10186, 10197,
]);

/** Codes that mean IB's pacing rules were broken (the adapter's lanes exist to avoid them). */
export const PACING_CODES: ReadonlySet<number> = new Set([100, 101, 162, 420]);
