// A failed snapshot capture as the user sees it: which data, IB's answer, and for the codes that
// mean "not subscribed" (354, 10167, 10168, 10089, 10090) which subscription to add.
import type { CaptureFailure } from '../../app/capture-snapshot.ts';
import { IronvixError } from '../../errors.ts';

/** IB codes that mean the account lacks a market data subscription (ib-notes: market data errors). */
const NOT_SUBSCRIBED: ReadonlySet<number> = new Set([354, 10089, 10090, 10167, 10168]);

export function captureError(f: CaptureFailure, source: string): IronvixError {
  const code = f.cause?.kind === 'error' ? f.cause.code : null;
  const hint =
    code !== null && NOT_SUBSCRIBED.has(code)
      ? `: market data for ${f.what} is not subscribed (IB ${code}); subscribe to it in IB Account Management (SPX/SPXW and VIX options: OPRA; SPX, VIX, VIX9D, VIX3M: CBOE indices)`
      : '';
  return new IronvixError(
    'E_MARKET_DATA_MISSING',
    `snapshot capture from ${source} failed: ${f.detail}${hint}`,
  );
}
