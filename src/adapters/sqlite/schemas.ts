// zod schemas for what the SQLite journal reads back: every row and JSON column is parsed at this
// boundary, so a hand-edited or damaged journal is a clear error, never a wrong number inside.
import { z } from 'zod';
import { FINAL_ORDER_STATUSES, IB_ORDER_STATUSES } from '../../domain/broker-reports.ts';
import type {
  BrokerContract,
  CommissionReport,
  ExecutionContract,
  ExecutionReport,
  PositionContract,
  PositionReport,
} from '../../domain/broker-reports.ts';
import type { OptionContract } from '../../domain/instruments.ts';
import type { JournalIntent, OrderEvent, SubmitOutcome, SubmitState } from '../../domain/journal-view.ts';
import type { Cents, PriceCents } from '../../domain/money.ts';
import { MODES } from '../../domain/mode.ts';
import type { Plan } from '../../domain/plan/types.ts';
import type { ReconcileAction, ReconcileFlag } from '../../domain/reconcile.ts';
import type { JournalEvent } from '../../ports/journal.ts';

const int = z.number().int();
const nonNeg = int.min(0);
const cents = int.transform((n) => n as Cents);
const priceCents = int.transform((n) => n as PriceCents);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const action = z.enum(['BUY', 'SELL']);

export const optionContract: z.ZodType<OptionContract> = z.object({
  kind: z.literal('option'),
  symbol: z.enum(['SPX', 'VIX']),
  tradingClass: z.enum(['SPXW', 'VIX', 'VIXW']),
  expiry: isoDate,
  strike: z.number().positive(),
  right: z.enum(['C', 'P']),
  multiplier: z.number().positive(),
});

export const brokerContract: z.ZodType<BrokerContract> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('single'), contract: optionContract }),
  z.object({
    kind: z.literal('combo'),
    symbol: z.enum(['SPX', 'VIX']),
    legs: z.array(z.object({ contract: optionContract, action, ratio: int.positive() })).min(1),
  }),
]);

export const executionContract: z.ZodType<ExecutionContract> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('option'), contract: optionContract }),
  z.object({ kind: z.literal('combo'), symbol: z.string() }),
  z.object({ kind: z.literal('other'), description: z.string() }),
]);

const positionContract: z.ZodType<PositionContract> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('option'), contract: optionContract }),
  z.object({ kind: z.literal('future'), symbol: z.string(), expiry: isoDate }),
  z.object({ kind: z.literal('other'), description: z.string() }),
]);

export const ibOrderStatus = z.enum(IB_ORDER_STATUSES);
const finalStatus = z.enum(FINAL_ORDER_STATUSES);

export const executionReport: z.ZodType<ExecutionReport> = z.object({
  execId: z.string().min(1),
  orderId: int,
  permId: int,
  clientId: int,
  orderRef: z.string(),
  account: z.string(),
  contract: executionContract,
  side: z.enum(['BOT', 'SLD']),
  quantity: nonNeg,
  price: priceCents,
  cumQuantity: nonNeg,
  timeMs: int,
});

export const commissionReport: z.ZodType<CommissionReport> = z.object({
  execId: z.string().min(1),
  commission: cents,
  realizedPnl: cents.nullable(),
});

export const positionReport: z.ZodType<PositionReport> = z.object({
  account: z.string(),
  contract: positionContract,
  quantity: int,
  avgCost: cents,
});

export const intent: z.ZodType<JournalIntent> = z.object({
  orderId: int.positive(),
  orderRef: z.string().min(1),
  account: z.string(),
  contract: brokerContract,
  action,
  quantity: int.positive(),
  limitPrice: priceCents,
  planId: z.string().min(1),
  orderKey: z.string().min(1),
  attempt: int.positive(),
});

export const submitState: z.ZodType<SubmitState> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pending') }),
  z.object({ kind: z.literal('sent'), atMs: int }),
  z.object({ kind: z.literal('refused'), code: int, text: z.string(), atMs: int }),
  z.object({ kind: z.literal('unknown'), reason: z.string(), atMs: int }),
]);

const submitOutcome: z.ZodType<SubmitOutcome> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sent') }),
  z.object({ kind: z.literal('refused'), code: int, text: z.string() }),
  z.object({ kind: z.literal('unknown'), reason: z.string() }),
]);

export const resolution = z.object({ kind: z.enum(['absent', 'expired']), reason: z.string(), atMs: int });

const planLeg = z.looseObject({ contract: optionContract, action, ratio: int.positive() });

/**
 * The plan as journaled: the fields the journal itself relies on are checked, the rest is kept
 * exactly as written (the journal stores the full plan and never rebuilds it).
 */
const planShape = z.looseObject({
  planId: z.string().min(1),
  cycleDate: isoDate,
  asOf: z.string(),
  mode: z.enum(MODES as readonly ['sim', 'paper', 'live']),
  strategy: z.looseObject({ name: z.string(), version: int }),
  outcome: z.looseObject({ kind: z.enum(['trade', 'no-trade']) }),
  orders: z.array(
    z.looseObject({
      key: z.string().min(1),
      kind: z.enum(['hedge-open', 'hedge-roll-close', 'hedge-trim', 'condor-open']),
      action,
      legs: z.array(planLeg).min(1),
      quantity: nonNeg,
      templateId: z.string().nullable(),
      layerId: z.string().nullable(),
    }),
  ),
  condorQuantity: nonNeg,
});

/** Checked against planShape, returned exactly as stored (key order included). */
export const plan = z.unknown().transform((value, ctx): Plan => {
  const r = planShape.safeParse(value);
  if (!r.success) {
    for (const issue of r.error.issues)
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    return z.NEVER;
  }
  return value as Plan;
});

const orderRefField = { orderRef: z.string().min(1), atMs: int };

const orderEvent: z.ZodType<OrderEvent> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('order-send-outcome'),
    ...orderRefField,
    operation: z.enum(['submit', 'modify', 'cancel']),
    outcome: submitOutcome,
  }),
  z.object({
    type: z.literal('order-modify-intended'),
    ...orderRefField,
    limitPrice: priceCents,
    quantity: int,
  }),
  z.object({ type: z.literal('order-cancel-requested'), ...orderRefField }),
  z.object({
    type: z.literal('order-status'),
    ...orderRefField,
    permId: int.nullable(),
    status: ibOrderStatus,
    filled: nonNeg,
    remaining: nonNeg,
    avgFillPrice: z.number().nullable(),
  }),
  z.object({ type: z.literal('order-attached'), ...orderRefField, permId: int }),
  z.object({ type: z.literal('order-marked-final'), ...orderRefField, status: finalStatus, filled: nonNeg }),
  z.object({
    type: z.literal('order-resolved'),
    ...orderRefField,
    resolution: z.enum(['absent', 'expired']),
    reason: z.string(),
  }),
]);

const reconcileAction: z.ZodType<ReconcileAction> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('adopt-fill'), orderRef: z.string(), execution: executionReport }),
  z.object({ kind: z.literal('adopt-commission'), report: commissionReport }),
  z.object({ kind: z.literal('attach'), orderRef: z.string(), permId: int }),
  z.object({ kind: z.literal('mark-final'), orderRef: z.string(), status: finalStatus, filled: nonNeg }),
  z.object({ kind: z.literal('prove-absent'), orderRef: z.string() }),
  z.object({ kind: z.literal('expire'), orderRef: z.string() }),
]);

const reconcileFlag: z.ZodType<ReconcileFlag> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unknown-order'), orderRef: z.string(), permId: int, ironvixRef: z.boolean() }),
  z.object({
    kind: z.literal('order-conflict'),
    orderRef: z.string(),
    conflict: z.enum(['resolved-but-seen', 'refused-but-seen', 'final-but-working', 'vanished']),
  }),
  z.object({
    kind: z.literal('position-mismatch'),
    key: z.string(),
    contract: optionContract,
    expected: int,
    broker: int,
  }),
  z.object({ kind: z.literal('position-report-conflict'), key: z.string(), quantities: z.array(int) }),
]);

const haltSource = z.enum(['reconcile', 'executor', 'user', 'service']);
export const cycleState = z.enum(['running', 'done', 'skipped', 'failed']);

/** A journal event as stored in the events table's payload. */
export const journalEvent: z.ZodType<JournalEvent> = z.union([
  z.object({ type: z.literal('plan-started'), plan, atMs: int }),
  z.object({
    type: z.literal('plan-finished'),
    planId: z.string(),
    result: z.enum(['COMPLETE', 'PARTIAL', 'ABORTED']),
    reason: z.string(),
    atMs: int,
  }),
  z.object({ type: z.literal('order-intended'), intent, atMs: int }),
  orderEvent,
  z.object({ type: z.literal('execution'), execution: executionReport, atMs: int }),
  z.object({ type: z.literal('commission'), report: commissionReport, atMs: int }),
  z.object({
    type: z.literal('reconciled'),
    actions: z.array(reconcileAction),
    flags: z.array(reconcileFlag),
    atMs: int,
  }),
  z.object({ type: z.literal('cycle-claimed'), cycleDate: isoDate, atMs: int }),
  z.object({
    type: z.literal('cycle-updated'),
    cycleDate: isoDate,
    state: cycleState,
    planId: z.string().nullable(),
    outcome: z.string(),
    atMs: int,
  }),
  z.object({ type: z.literal('halted'), reason: z.string(), source: haltSource, atMs: int }),
  z.object({ type: z.literal('resumed'), by: haltSource, note: z.string(), atMs: int }),
  z.object({ type: z.literal('order-id-floor'), nextOrderId: nonNeg, atMs: int }),
  z.object({
    type: z.literal('positions'),
    account: z.string(),
    positions: z.array(positionReport),
    atMs: int,
  }),
  z.object({
    type: z.literal('note'),
    planId: z.string().nullable(),
    text: z.string(),
    data: z.unknown(),
    atMs: int,
  }),
]);

export { haltSource };
