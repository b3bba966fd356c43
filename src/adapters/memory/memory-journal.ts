// The journal in memory, for unit tests: the same projection as the SQLite journal over maps, and
// every record stored as a JSON copy so a caller can never change what was journaled.
import type { CommissionReport, ExecutionReport } from '../../domain/broker-reports.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import type { JournalFill, JournalOrder, JournalView, ViewScope } from '../../domain/journal-view.ts';
import { hedgeBookFromJournal, scopeView } from '../../domain/journal-view.ts';
import type { Mode } from '../../domain/mode.ts';
import type { HeldLayer } from '../../domain/snapshot.ts';
import type {
  AppendResult,
  CycleRecord,
  EventQuery,
  HaltState,
  JournalEvent,
  JournalPort,
  OrderFills,
  PlanRecord,
  PlanSummary,
  PositionsRecord,
  StoredEvent,
} from '../../ports/journal.ts';
import type { JournalStore } from '../journal/projection.ts';
import { projectEvent } from '../journal/projection.ts';

function copy<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

export interface MemoryJournal extends JournalPort {
  /** Number of appends that were written (tests count them). */
  readonly appendedCount: number;
}

export function createMemoryJournal(mode: Mode = 'sim'): MemoryJournal {
  const events: StoredEvent[] = [];
  const plans = new Map<string, PlanRecord>();
  const orders = new Map<string, JournalOrder>();
  const byOrderId = new Map<number, string>();
  const byPermId = new Map<number, string>();
  const fills = new Map<string, JournalFill>();
  const commissions = new Map<string, { report: CommissionReport; orderRef: string }>();
  const cycles = new Map<IsoDate, CycleRecord>();
  let halt: HaltState = { halted: false };
  let floor = 0;
  let positions: PositionsRecord | null = null;
  let closed = false;

  const indexOrder = (o: JournalOrder): void => {
    orders.set(o.intent.orderRef, copy(o));
    byOrderId.set(o.intent.orderId, o.intent.orderRef);
    if (o.permId !== null && o.permId > 0) byPermId.set(o.permId, o.intent.orderRef);
  };

  const store: JournalStore = {
    plan: (id) => plans.get(id) ?? null,
    insertPlan: (rec) => void plans.set(rec.planId, copy(rec)),
    finishPlan: (id, end) => {
      const p = plans.get(id);
      if (p !== undefined) plans.set(id, { ...p, end: copy(end) });
    },
    order: (ref) => orders.get(ref) ?? null,
    orderRefByOrderId: (id) => byOrderId.get(id) ?? null,
    orderRefByPermId: (id) => byPermId.get(id) ?? null,
    insertOrder: indexOrder,
    updateOrder: indexOrder,
    hasFill: (execId) => fills.has(execId),
    insertFill: (f: JournalFill, _x: ExecutionReport) => void fills.set(f.execId, copy(f)),
    hasCommission: (execId) => commissions.has(execId),
    insertCommission: (c, orderRef) => void commissions.set(c.execId, { report: copy(c), orderRef }),
    orderRefOfFill: (execId) => fills.get(execId)?.orderRef ?? null,
    cycle: (d) => cycles.get(d) ?? null,
    putCycle: (c) => void cycles.set(c.cycleDate, copy(c)),
    putHalt: (h) => {
      halt = copy(h);
    },
    orderIdFloor: () => floor,
    putOrderIdFloor: (n) => {
      floor = n;
    },
    putPositions: (p) => {
      positions = copy(p);
    },
    appendEvent: (planId: string | null, e: JournalEvent) => {
      const eventId = events.length + 1;
      events.push({ eventId, planId, event: copy(e) });
      return eventId;
    },
  };

  const live = (): void => {
    if (closed) throw new Error('memory journal used after close');
  };
  const summary = (p: PlanRecord): PlanSummary => {
    const { plan: _plan, ...rest } = p;
    const orderCount = [...orders.values()].filter((o) => o.intent.planId === p.planId).length;
    return copy({ ...rest, orderCount });
  };
  const newestPlans = (): PlanRecord[] =>
    [...plans.values()].sort((a, b) => b.startedAtMs - a.startedAtMs || (a.planId < b.planId ? 1 : -1));

  return {
    mode,
    location: 'memory',
    get appendedCount() {
      return events.length;
    },
    append(e: JournalEvent): AppendResult {
      live();
      return projectEvent(store, e);
    },
    plan: (id) => {
      const p = plans.get(id);
      return p === undefined ? null : copy(p);
    },
    recentPlans: (limit) => newestPlans().slice(0, limit).map(summary),
    plansInFlight: () =>
      newestPlans()
        .filter((p) => p.end === null)
        .map(summary),
    order: (ref) => {
      const o = orders.get(ref);
      return o === undefined ? null : copy(o);
    },
    orderByOrderId: (id) => {
      const ref = byOrderId.get(id);
      return ref === undefined ? null : copy(orders.get(ref) ?? null);
    },
    ordersOfPlan: (planId) =>
      copy(
        [...orders.values()]
          .filter((o) => o.intent.planId === planId)
          .sort((a, b) => a.intendedAtMs - b.intendedAtMs),
      ),
    fillsOf: (ref): OrderFills | null => {
      const order = orders.get(ref);
      if (order === undefined) return null;
      const own = [...fills.values()].filter((f) => f.orderRef === ref);
      const ids = new Set(own.map((f) => f.execId));
      const comms = [...commissions.values()].filter((c) => ids.has(c.report.execId)).map((c) => c.report);
      return copy({ order, fills: own, commissions: comms });
    },
    reconcileView: (scope?: ViewScope): JournalView => {
      const all = {
        orders: [...orders.values()],
        fills: [...fills.values()],
        commissionExecIds: [...commissions.keys()],
      };
      return copy(scope === undefined ? all : scopeView(all, scope));
    },
    hedgeBook: (asOf: IsoDate): readonly HeldLayer[] =>
      hedgeBookFromJournal([...orders.values()], [...fills.values()], asOf),
    cycle: (d) => copy(cycles.get(d) ?? null),
    recentCycles: (limit) =>
      copy([...cycles.values()].sort((a, b) => (a.cycleDate < b.cycleDate ? 1 : -1)).slice(0, limit)),
    haltState: () => copy(halt),
    nextOrderIdFloor: () => floor,
    latestPositions: () => copy(positions),
    events: (q: EventQuery = {}) => {
      const out = events.filter(
        (s) =>
          (q.planId === undefined || s.planId === q.planId) &&
          (q.afterId === undefined || s.eventId > q.afterId),
      );
      return copy(q.limit === undefined ? out : out.slice(0, q.limit));
    },
    close: () => {
      closed = true;
    },
  };
}
