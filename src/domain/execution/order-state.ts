// One order's lifecycle as IB really drives it: an explicit transition table over our phases (IB's
// statuses plus what only we know: a send in flight, an outcome unknown, an order proved absent)
// and every event that can reach an order. Fill quantities are not phases: they come only from
// unique execIds (src/domain/execution/fills.ts), so a status can never un-fill an order.
import type { IbOrderStatus } from '../broker-reports.ts';
import { IB_ORDER_STATUSES } from '../broker-reports.ts';

export type OrderPhase =
  /** Submit handed to the broker, outcome not yet known. */
  | 'sending'
  /** The submit's outcome is unknown: the order may or may not exist until reconcile says. */
  | 'unknown'
  | 'pending-submit'
  | 'pre-submitted'
  | 'submitted'
  | 'pending-cancel'
  | 'inactive'
  | 'cancelled'
  | 'filled'
  /** The submit was refused (IB's code kept on the order). */
  | 'refused'
  /** Reconcile proved that IB does not hold the order. */
  | 'absent';

export const ORDER_PHASES: readonly OrderPhase[] = [
  'sending',
  'unknown',
  'pending-submit',
  'pre-submitted',
  'submitted',
  'pending-cancel',
  'inactive',
  'cancelled',
  'filled',
  'refused',
  'absent',
];

export { IB_ORDER_STATUSES };

/** Every event that can reach one order. An openOrder message is read as the status it carries. */
export type OrderEventKind =
  | 'submit-sent'
  | 'submit-refused'
  | 'submit-unknown'
  | 'modify-sent'
  | 'modify-refused'
  | 'modify-unknown'
  | 'cancel-requested'
  | 'cancel-sent'
  | 'cancel-refused'
  | 'cancel-unknown'
  | `status:${IbOrderStatus}`
  | 'execution'
  | 'commission'
  | 'error:refused'
  | 'error:unknown'
  | 'error:connectivity'
  | 'error:info'
  | 'reconcile-absent';

export const ORDER_EVENT_KINDS: readonly OrderEventKind[] = [
  'submit-sent',
  'submit-refused',
  'submit-unknown',
  'modify-sent',
  'modify-refused',
  'modify-unknown',
  'cancel-requested',
  'cancel-sent',
  'cancel-refused',
  'cancel-unknown',
  ...IB_ORDER_STATUSES.map((s): OrderEventKind => `status:${s}`),
  'execution',
  'commission',
  'error:refused',
  'error:unknown',
  'error:connectivity',
  'error:info',
  'reconcile-absent',
];

const ABBREVIATIONS: Readonly<Record<string, OrderPhase>> = {
  snd: 'sending',
  unk: 'unknown',
  psub: 'pending-submit',
  pre: 'pre-submitted',
  sub: 'submitted',
  pcan: 'pending-cancel',
  inac: 'inactive',
  canc: 'cancelled',
  fill: 'filled',
  ref: 'refused',
  abs: 'absent',
};

/**
 * The table: one row per event, one column per phase, the cell is the next phase ('.' = stays).
 * Why the odd cells are what they are:
 * - a status may arrive before the submit's outcome (sending -> any status), and the outcome that
 *   follows changes nothing; a Submitted before openOrder is just a status;
 * - a status older than the phase (PendingSubmit after Submitted, Submitted after PendingCancel)
 *   changes nothing: IB repeats and reorders status messages;
 * - a final phase is sticky, except that Filled wins over Cancelled, Refused and Inactive (a fill
 *   that raced the cancel request), an Inactive order can be reactivated, and an order proved
 *   absent that IB later reports is tracked again (the proof was wrong);
 * - a cancel refused while PendingCancel means the order still works (the fill raced the cancel);
 * - executions, commissions and errors never move a phase: fills are counted by execId, and an
 *   error is followed by the status that settles it (or a reconcile at the deadline);
 * - reconcile can prove absent only an order that was not seen final (IB lists today's only).
 */
const TABLE_TEXT = `
                   snd   unk   psub  pre   sub   pcan  inac  canc  fill  ref   abs
submit-sent        psub  .     .     .     .     .     .     .     .     .     .
submit-refused     ref   .     ref   ref   ref   ref   .     .     .     .     .
submit-unknown     unk   .     .     .     .     .     .     .     .     .     .
modify-sent        .     .     .     .     .     .     .     .     .     .     .
modify-refused     .     .     .     .     .     .     .     .     .     .     .
modify-unknown     .     .     .     .     .     .     .     .     .     .     .
cancel-requested   .     .     .     .     .     .     .     .     .     .     .
cancel-sent        .     .     .     .     .     .     .     .     .     .     .
cancel-refused     .     .     .     .     .     sub   .     .     .     .     .
cancel-unknown     .     .     .     .     .     .     .     .     .     .     .
status:ApiPending  psub  psub  .     .     .     .     .     .     .     .     psub
status:PendingSubmit psub psub .     .     .     .     .     .     .     .     psub
status:PreSubmitted pre  pre   pre   .     .     .     pre   .     .     .     pre
status:Submitted   sub   sub   sub   sub   .     .     sub   .     .     .     sub
status:PendingCancel pcan pcan pcan  pcan  pcan  .     .     .     .     .     pcan
status:ApiCancelled canc canc  canc  canc  canc  canc  canc  .     .     .     canc
status:Cancelled   canc  canc  canc  canc  canc  canc  canc  .     .     .     canc
status:Filled      fill  fill  fill  fill  fill  fill  fill  fill  .     fill  fill
status:Inactive    inac  inac  inac  inac  inac  inac  .     .     .     .     inac
execution          .     .     .     .     .     .     .     .     .     .     .
commission         .     .     .     .     .     .     .     .     .     .     .
error:refused      .     .     .     .     .     .     .     .     .     .     .
error:unknown      .     .     .     .     .     .     .     .     .     .     .
error:connectivity .     .     .     .     .     .     .     .     .     .     .
error:info         .     .     .     .     .     .     .     .     .     .     .
reconcile-absent   .     abs   abs   abs   abs   abs   .     .     .     .     .
`;

export type TransitionTable = Readonly<Record<OrderEventKind, Readonly<Record<OrderPhase, OrderPhase>>>>;

function parseTable(text: string): TransitionTable {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const [header, ...rows] = lines;
  const columns = (header ?? '').split(/\s+/).map((a) => ABBREVIATIONS[a]);
  if (columns.length !== ORDER_PHASES.length || columns.some((c, i) => c !== ORDER_PHASES[i]))
    throw new Error('order transition table: header must list every phase in ORDER_PHASES order');
  const table: Partial<Record<OrderEventKind, Record<OrderPhase, OrderPhase>>> = {};
  for (const row of rows) {
    const [kind, ...cells] = row.split(/\s+/);
    const k = ORDER_EVENT_KINDS.find((e) => e === kind);
    if (k === undefined || table[k] !== undefined) throw new Error(`order transition table: bad row ${kind}`);
    if (cells.length !== ORDER_PHASES.length) throw new Error(`order transition table: row ${kind} is short`);
    const out = {} as Record<OrderPhase, OrderPhase>;
    ORDER_PHASES.forEach((phase, i) => {
      const cell = cells[i] ?? '';
      const next = cell === '.' ? phase : ABBREVIATIONS[cell];
      if (next === undefined) throw new Error(`order transition table: bad cell ${cell} in row ${kind}`);
      out[phase] = next;
    });
    table[k] = out;
  }
  for (const k of ORDER_EVENT_KINDS)
    if (table[k] === undefined) throw new Error(`order transition table: no row for ${k}`);
  return table as TransitionTable;
}

export const ORDER_TRANSITIONS: TransitionTable = parseTable(TABLE_TEXT);

export function nextPhase(phase: OrderPhase, event: OrderEventKind): OrderPhase {
  return ORDER_TRANSITIONS[event][phase];
}

const FINAL: ReadonlySet<OrderPhase> = new Set(['inactive', 'cancelled', 'filled', 'refused', 'absent']);

/** No more fills can come from IB's side of the order (late execution messages may still arrive). */
export function isFinalPhase(p: OrderPhase): boolean {
  return FINAL.has(p);
}

/** The order is, or may be, at IB and able to fill: counted live at its full quantity. */
export function isLivePhase(p: OrderPhase): boolean {
  return !FINAL.has(p);
}

/** The order is known to be at IB (we may modify or cancel it). */
export function isAcknowledged(p: OrderPhase): boolean {
  return p === 'pending-submit' || p === 'pre-submitted' || p === 'submitted' || p === 'pending-cancel';
}
