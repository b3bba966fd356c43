// Use case: the day's plan from a live source. Reads the account's hedge layers, captures one
// snapshot over the market-data query, builds the plan, and (when asked) prices every order with
// IB's what-if: margin and commission per order and for the whole plan. Sends no order.
import { DateTime } from 'luxon';
import { NY_ZONE } from '../domain/calendar.ts';
import type { TradingCalendar } from '../domain/calendar.ts';
import { whatIfIntentOf } from '../domain/execution/intent.ts';
import { heldLayersFromAccount, recognizeLayers } from '../domain/hedge/recognize-layers.ts';
import type { Mode } from '../domain/mode.ts';
import type { Cents } from '../domain/money.ts';
import { cents } from '../domain/money.ts';
import type { Plan } from '../domain/plan/types.ts';
import type { Result } from '../domain/result.ts';
import { err, ok } from '../domain/result.ts';
import type { HeldLayer, MarketEvent, MarketSnapshot, OpenCondor } from '../domain/snapshot.ts';
import { openCondorsFromPositions } from '../domain/hedge/open-condors.ts';
import type { StrategyConfig } from '../domain/strategy.ts';
import type { BrokerPort, WhatIfOutcome } from '../ports/broker.ts';
import type { MarketDataQuery } from '../ports/market-data.ts';
import type { CaptureFailure } from './capture-snapshot.ts';
import { captureSnapshot, failureText } from './capture-snapshot.ts';
import { previewPlan } from './preview.ts';

export interface PlanFromGatewayRequest {
  readonly marketData: MarketDataQuery;
  /** Where the account's hedge layers come from when `hedgeBook` is not given. */
  readonly broker?: BrokerPort;
  readonly strategy: StrategyConfig;
  readonly calendar: TradingCalendar;
  readonly events: readonly MarketEvent[];
  readonly rates: { readonly riskFree: number; readonly spxDividendYield: number };
  readonly mode: Mode;
  /** The book as the journal holds it; default: the layers recognised in the account's positions. */
  readonly hedgeBook?: readonly HeldLayer[];
  /** Condors of earlier cycles not yet settled; default with the positions: those they show. */
  readonly openCondors?: readonly OpenCondor[];
}

export interface GatewayPlan {
  readonly plan: Plan;
  readonly snapshot: MarketSnapshot;
}

/** The VIX expiries the strategy's templates can pick: the union of their windows (calendar days). */
export function vixDteWindow(strategy: StrategyConfig): [number, number] {
  const windows = strategy.hedge.templates.map((t) => t.dteWindow);
  return [Math.min(...windows.map((w) => w[0])), Math.max(...windows.map((w) => w[1]))];
}

export async function planFromGateway(
  req: PlanFromGatewayRequest,
): Promise<Result<GatewayPlan, CaptureFailure>> {
  let book = req.hedgeBook;
  let openCondors = req.openCondors;
  if (book === undefined) {
    if (req.broker === undefined) throw new Error('planFromGateway needs a broker or a hedge book');
    const positions = await req.broker.positions();
    if (!positions.ok)
      return err({
        what: 'positions',
        cause: positions.error,
        detail: `positions: ${failureText(positions.error)}`,
      });
    const time = await req.marketData.serverTimeMs();
    const today = time.ok ? DateTime.fromMillis(time.value, { zone: NY_ZONE }).toISODate() : null;
    if (today === null)
      return err({
        what: 'gateway time',
        cause: time.ok ? null : time.error,
        detail: 'gateway time: no answer',
      });
    book = heldLayersFromAccount(
      recognizeLayers(positions.value).layers,
      req.strategy.hedge.templates,
      today,
    );
    // The previous cycle's condor counts until it settles (docs/strategy.md section 3).
    openCondors ??= openCondorsFromPositions(positions.value, today);
  }
  const snap = await captureSnapshot(req.marketData, {
    calendar: req.calendar,
    events: req.events,
    hedgeBook: book,
    ...(openCondors === undefined ? {} : { openCondors }),
    rates: req.rates,
    vixDteWindow: vixDteWindow(req.strategy),
  });
  if (!snap.ok) return snap;
  const { plan, snapshot } = previewPlan({
    snapshot: snap.value,
    strategy: req.strategy,
    calendar: req.calendar,
    eventFile: [],
    mode: req.mode,
  });
  return ok({ plan, snapshot });
}

export interface OrderWhatIf {
  readonly key: string;
  readonly outcome: WhatIfOutcome;
}

export interface PlanWhatIf {
  readonly orders: readonly OrderWhatIf[];
  /** Sum of the orders' initial margin changes; null when any order has no margin answer. */
  readonly initMarginChangeCents: Cents | null;
  /** Sum of IB's commission estimates; null when any order has none. */
  readonly commissionCents: Cents | null;
}

/** IB's what-if of every plan order at its first ladder step (each alone: hedges that offset the condor are not netted). */
export async function whatIfPlan(broker: BrokerPort, plan: Plan, account: string): Promise<PlanWhatIf> {
  const orders: OrderWhatIf[] = [];
  for (const o of plan.orders)
    orders.push({ key: o.key, outcome: await broker.whatIf(whatIfIntentOf(o, account)) });
  let margin: number | null = 0;
  let commission: number | null = 0;
  for (const { outcome } of orders) {
    if (outcome.kind !== 'margin') {
      margin = null;
      commission = null;
      continue;
    }
    if (margin !== null) margin += outcome.initMarginChange;
    commission = commission === null || outcome.commission === null ? null : commission + outcome.commission;
  }
  return {
    orders,
    initMarginChangeCents: margin === null ? null : cents(margin),
    commissionCents: commission === null ? null : cents(commission),
  };
}
