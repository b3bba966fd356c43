// How long the adapter waits for the gateway, and how it backs off between connection attempts.
// Every wait ends in a value (timeout, disconnected, unknown), never a hang.

/** TCP connect plus handshake up to nextValidId and the account list. */
export const IB_CONNECT_ATTEMPT_TIMEOUT_MS = 10_000;
/** Connection attempts of one connect() call (the gateway may still be starting). */
export const IB_CONNECT_ATTEMPTS = 4;
/** First pause between connection attempts; doubles per attempt up to the cap. */
export const IB_BACKOFF_INITIAL_MS = 500;
/** Longest pause between two connection attempts (also while reconnecting after a lost link). */
export const IB_BACKOFF_MAX_MS = 15_000;
/** Contract details, option chain parameters, reports (open orders, executions, positions, account). */
export const IB_REQUEST_TIMEOUT_MS = 15_000;
/** One market data snapshot (IB answers within 11 s, then tickSnapshotEnd). */
export const IB_SNAPSHOT_TIMEOUT_MS = 15_000;
/** One historical data request (daily bars for up to two years). */
export const IB_HISTORICAL_TIMEOUT_MS = 60_000;
/** placeOrder (new or modified) to its first openOrder/orderStatus; later is `unknown`, never refused. */
export const IB_ORDER_ACK_TIMEOUT_MS = 10_000;
/** cancelOrder to PendingCancel/Cancelled or IB's 202. */
export const IB_CANCEL_ACK_TIMEOUT_MS = 10_000;
/** A what-if order to an answer carrying real margin numbers. */
export const IB_WHAT_IF_TIMEOUT_MS = 15_000;
/** Liveness probe (reqCurrentTime) period: stoqey never notices a silent socket by itself. */
export const IB_PROBE_INTERVAL_MS = 30_000;
/** A probe unanswered this long declares the link dead: the socket is dropped and re-opened. */
export const IB_PROBE_TIMEOUT_MS = 10_000;

export interface IbTimeouts {
  readonly connectAttemptMs: number;
  readonly connectAttempts: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  readonly requestMs: number;
  readonly snapshotMs: number;
  readonly historicalMs: number;
  readonly orderAckMs: number;
  readonly cancelAckMs: number;
  readonly whatIfMs: number;
  readonly probeIntervalMs: number;
  readonly probeTimeoutMs: number;
}

export const IB_DEFAULT_TIMEOUTS: IbTimeouts = {
  connectAttemptMs: IB_CONNECT_ATTEMPT_TIMEOUT_MS,
  connectAttempts: IB_CONNECT_ATTEMPTS,
  backoffInitialMs: IB_BACKOFF_INITIAL_MS,
  backoffMaxMs: IB_BACKOFF_MAX_MS,
  requestMs: IB_REQUEST_TIMEOUT_MS,
  snapshotMs: IB_SNAPSHOT_TIMEOUT_MS,
  historicalMs: IB_HISTORICAL_TIMEOUT_MS,
  orderAckMs: IB_ORDER_ACK_TIMEOUT_MS,
  cancelAckMs: IB_CANCEL_ACK_TIMEOUT_MS,
  whatIfMs: IB_WHAT_IF_TIMEOUT_MS,
  probeIntervalMs: IB_PROBE_INTERVAL_MS,
  probeTimeoutMs: IB_PROBE_TIMEOUT_MS,
};

/** Pause before attempt n (0-based) of a retry series: initial x 2^n, capped. */
export function backoffMs(t: Pick<IbTimeouts, 'backoffInitialMs' | 'backoffMaxMs'>, attempt: number): number {
  return Math.min(t.backoffMaxMs, t.backoffInitialMs * 2 ** Math.max(0, attempt));
}
