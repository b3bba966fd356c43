// The journal on SQLite (better-sqlite3): one database file per mode under the data directory,
// WAL, one IMMEDIATE transaction per appended event. Events that precede a send are committed with
// synchronous=FULL (the WAL is fsynced, and with it everything appended before); the others with
// NORMAL, which survives a crash of the process but may lose the last commits on a power loss:
// those are broker reports (statuses, executions, commissions), and reconciliation fetches them
// again from the broker at the next start. One writer at a time (writer-lock.ts); readers take
// no lock.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import type { CommissionReport, ExecutionReport } from '../../domain/broker-reports.ts';
import type { IsoDate } from '../../domain/instruments.ts';
import type { JournalFill, JournalOrder, JournalView, ViewScope } from '../../domain/journal-view.ts';
import { hedgeBookFromJournal, orderPhase } from '../../domain/journal-view.ts';
import type { PriceCents } from '../../domain/money.ts';
import type { Plan } from '../../domain/plan/types.ts';
import type { Mode } from '../../domain/mode.ts';
import type { HeldLayer } from '../../domain/snapshot.ts';
import { IronvixError } from '../../errors.ts';
import type {
  AppendResult,
  CycleRecord,
  EventQuery,
  HaltState,
  JournalEvent,
  JournalPort,
  JournalReader,
  OrderFills,
  PlanRecord,
  PlanSummary,
  PositionsRecord,
  StoredEvent,
} from '../../ports/journal.ts';
import { BARRIER_EVENTS } from '../../ports/journal.ts';
import type { JournalStore } from '../journal/projection.ts';
import { projectEvent } from '../journal/projection.ts';
import { LATEST_VERSION, MIGRATIONS } from './migrations.ts';
import * as S from './schemas.ts';
import { asJournalError, guarded } from './sqlite-errors.ts';
import type { ProcessProbe } from './writer-lock.ts';
import { acquireWriterLock, releaseWriterLock, systemProbe } from './writer-lock.ts';

/** `<dataDir>/journal-<mode>.sqlite`: paper history can never mix with live. */
export function journalPath(dataDir: string, mode: Mode): string {
  return join(dataDir, `journal-${mode}.sqlite`);
}

export interface SqliteJournalOptions {
  readonly dataDir: string;
  readonly mode: Mode;
  /** Epoch ms for the lock and migration records (the caller's Clock). */
  readonly nowMs: number;
  /** Tests: another process identity, to exercise the lock. */
  readonly probe?: ProcessProbe;
  /** Tests: cap the database size (pages), to exercise a full disk. */
  readonly maxPageCount?: number;
}

// ---------------------------------------------------------------------------------------------
// Rows

const json = <T>(schema: z.ZodType<T>) =>
  z.string().transform((s, ctx): T => {
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON' });
      return z.NEVER;
    }
    const r = schema.safeParse(value);
    if (!r.success) {
      ctx.addIssue({
        code: 'custom',
        message: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
      return z.NEVER;
    }
    return r.data;
  });

const int = z.number().int();
const planRow = z.object({
  plan_id: z.string(),
  cycle_date: z.string(),
  started_at_ms: int,
  result: z.enum(['COMPLETE', 'PARTIAL', 'ABORTED']).nullable(),
  reason: z.string().nullable(),
  ended_at_ms: int.nullable(),
});
const planSummaryRow = planRow.extend({ order_count: int });
const planJsonRow = planRow.extend({ plan_json: json(S.plan) });

const orderRow = z.object({
  order_ref: z.string(),
  plan_id: z.string(),
  order_key: z.string(),
  attempt: int,
  order_id: int,
  account: z.string(),
  contract_json: json(S.brokerContract),
  action: z.enum(['BUY', 'SELL']),
  quantity: int,
  limit_price: int,
  order_kind: z.enum(['hedge-open', 'hedge-roll-close', 'hedge-trim', 'condor-open']),
  layer_id: z.string().nullable(),
  template_id: z.string().nullable(),
  cycle_date: z.string(),
  intended_at_ms: int,
  submit_json: json(S.submitState),
  perm_id: int.nullable(),
  status: S.ibOrderStatus.nullable(),
  filled: int.nullable(),
  remaining: int.nullable(),
  avg_fill_price: z.number().nullable(),
  last_update_ms: int.nullable(),
  resolution_json: json(S.resolution).nullable(),
  cancel_requested_at_ms: int.nullable(),
  final: z.union([z.literal(0), z.literal(1)]),
});

function toOrder(raw: unknown): JournalOrder {
  const r = orderRow.parse(raw);
  return {
    intent: {
      orderId: r.order_id,
      orderRef: r.order_ref,
      account: r.account,
      contract: r.contract_json,
      action: r.action,
      quantity: r.quantity,
      limitPrice: r.limit_price as PriceCents,
      planId: r.plan_id,
      orderKey: r.order_key,
      attempt: r.attempt,
    },
    intendedAtMs: r.intended_at_ms,
    cycleDate: r.cycle_date,
    orderKind: r.order_kind,
    layerId: r.layer_id,
    templateId: r.template_id,
    submit: r.submit_json,
    permId: r.perm_id,
    reported:
      r.status === null
        ? null
        : {
            status: r.status,
            filled: r.filled ?? 0,
            remaining: r.remaining ?? 0,
            avgFillPrice: r.avg_fill_price,
            lastUpdateMs: r.last_update_ms ?? 0,
          },
    resolution: r.resolution_json,
    cancelRequestedAtMs: r.cancel_requested_at_ms,
  };
}

const ORDER_COLUMNS = [
  'order_ref',
  'plan_id',
  'order_key',
  'attempt',
  'order_id',
  'account',
  'contract_json',
  'action',
  'quantity',
  'limit_price',
  'order_kind',
  'layer_id',
  'template_id',
  'cycle_date',
  'intended_at_ms',
  'submit_json',
  'perm_id',
  'status',
  'filled',
  'remaining',
  'avg_fill_price',
  'last_update_ms',
  'resolution_json',
  'cancel_requested_at_ms',
  'final',
] as const;

function orderParams(o: JournalOrder): Record<(typeof ORDER_COLUMNS)[number], string | number | null> {
  const i = o.intent;
  return {
    order_ref: i.orderRef,
    plan_id: i.planId,
    order_key: i.orderKey,
    attempt: i.attempt,
    order_id: i.orderId,
    account: i.account,
    contract_json: JSON.stringify(i.contract),
    action: i.action,
    quantity: i.quantity,
    limit_price: i.limitPrice,
    order_kind: o.orderKind,
    layer_id: o.layerId,
    template_id: o.templateId,
    cycle_date: o.cycleDate,
    intended_at_ms: o.intendedAtMs,
    submit_json: JSON.stringify(o.submit),
    perm_id: o.permId,
    status: o.reported?.status ?? null,
    filled: o.reported?.filled ?? null,
    remaining: o.reported?.remaining ?? null,
    avg_fill_price: o.reported?.avgFillPrice ?? null,
    last_update_ms: o.reported?.lastUpdateMs ?? null,
    resolution_json: o.resolution === null ? null : JSON.stringify(o.resolution),
    cancel_requested_at_ms: o.cancelRequestedAtMs,
    final: orderPhase(o) === 'final' ? 1 : 0,
  };
}

const fillRow = z.object({
  exec_id: z.string(),
  order_ref: z.string(),
  contract_json: json(S.executionContract),
  side: z.enum(['BOT', 'SLD']),
  quantity: int,
  price: int,
  time_ms: int,
});

function toFill(raw: unknown): JournalFill {
  const r = fillRow.parse(raw);
  return {
    execId: r.exec_id,
    orderRef: r.order_ref,
    contract: r.contract_json,
    side: r.side,
    quantity: r.quantity,
    price: r.price as JournalFill['price'],
    timeMs: r.time_ms,
  };
}

const commissionRow = z.object({
  exec_id: z.string(),
  order_ref: z.string(),
  commission: int,
  realized_pnl: int.nullable(),
});

function toCommission(raw: unknown): CommissionReport {
  const r = commissionRow.parse(raw);
  return S.commissionReport.parse({
    execId: r.exec_id,
    commission: r.commission,
    realizedPnl: r.realized_pnl,
  });
}

const cycleRow = z.object({
  cycle_date: z.string(),
  state: S.cycleState,
  plan_id: z.string().nullable(),
  outcome: z.string(),
  claimed_at_ms: int,
  updated_at_ms: int,
});

function toCycle(raw: unknown): CycleRecord {
  const r = cycleRow.parse(raw);
  return {
    cycleDate: r.cycle_date,
    state: r.state,
    planId: r.plan_id,
    outcome: r.outcome,
    claimedAtMs: r.claimed_at_ms,
    updatedAtMs: r.updated_at_ms,
  };
}

const stateRow = z.object({
  halted: int,
  halt_reason: z.string().nullable(),
  halt_source: S.haltSource.nullable(),
  halt_at_ms: int.nullable(),
  order_id_floor: int,
});

const eventRow = z.object({ event_id: int, plan_id: z.string().nullable(), payload: json(S.journalEvent) });
const positionsRow = z.object({
  account: z.string(),
  at_ms: int,
  positions_json: json(z.array(S.positionReport)),
});

function toPlanSummary(raw: unknown): PlanSummary {
  const r = planSummaryRow.parse(raw);
  return { ...planHead(r), orderCount: r.order_count };
}

function planHead(r: z.infer<typeof planRow>): Omit<PlanRecord, 'plan'> {
  return {
    planId: r.plan_id,
    cycleDate: r.cycle_date,
    startedAtMs: r.started_at_ms,
    end:
      r.result === null
        ? null
        : { result: r.result, reason: r.reason ?? '', atMs: r.ended_at_ms ?? r.started_at_ms },
  };
}

// ---------------------------------------------------------------------------------------------
// Opening

function applyMigrations(db: Database.Database, nowMs: number): void {
  const current = schemaVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, description, applied_at_ms) VALUES (?, ?, ?)').run(
        m.version,
        m.description,
        nowMs,
      );
    }).immediate();
  }
}

function schemaVersion(db: Database.Database): number {
  const hasTable: unknown = db
    .prepare("SELECT 1 AS x FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")
    .get();
  if (hasTable === undefined) return 0;
  const raw: unknown = db.prepare('SELECT MAX(version) AS v FROM schema_version').get();
  return z.object({ v: int.nullable() }).parse(raw).v ?? 0;
}

function refuseOtherVersion(path: string, found: number, readerOnly: boolean): void {
  if (found > LATEST_VERSION) {
    throw new IronvixError(
      'E_JOURNAL_VERSION',
      `journal ${path} has schema version ${found}; this ironvix knows versions up to ${LATEST_VERSION}: it was written by a newer ironvix`,
    );
  }
  if (readerOnly && found < LATEST_VERSION) {
    throw new IronvixError(
      'E_JOURNAL_VERSION',
      `journal ${path} has schema version ${found}; this ironvix reads version ${LATEST_VERSION}: run a command that writes it (ironvix reconcile) to upgrade it`,
    );
  }
}

function checkIntegrity(db: Database.Database, path: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((x) => x !== 'ok');
  if (problems.length > 0) {
    throw new IronvixError(
      'E_JOURNAL_CORRUPT',
      `journal ${path} fails its integrity check: ${problems.slice(0, 3).join('; ')}`,
    );
  }
}

/** Opens (creating and migrating it if needed) the mode's journal for writing, taking its writer lock. */
export function openSqliteJournal(opts: SqliteJournalOptions): JournalPort {
  const path = journalPath(opts.dataDir, opts.mode);
  const probe = opts.probe ?? systemProbe();
  guarded(path, 'creating the data directory', () => mkdirSync(opts.dataDir, { recursive: true }));
  const db = guarded(path, 'opening', () => new Database(path));
  let locked = false;
  try {
    guarded(path, 'opening', () => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      if (opts.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.floor(opts.maxPageCount)}`);
      checkIntegrity(db, path);
    });
    const lock = guarded(path, 'taking the writer lock', () => acquireWriterLock(db, probe, opts.nowMs));
    if (lock.kind === 'held') {
      const since = new Date(lock.sinceMs).toISOString();
      throw new IronvixError(
        'E_JOURNAL_LOCKED',
        `journal ${path} is in use by ironvix pid ${lock.pid} on ${lock.host} (since ${since}); a second process may not write it`,
      );
    }
    locked = true;
    guarded(path, 'migrating', () => {
      refuseOtherVersion(path, schemaVersion(db), false);
      applyMigrations(db, opts.nowMs);
    });
    return journalOver(db, path, opts.mode, () => {
      releaseWriterLock(db, probe);
    });
  } catch (e) {
    if (locked) {
      try {
        releaseWriterLock(db, probe);
      } catch {
        // The lock row of a process that is gone is taken over at the next start.
      }
    }
    db.close();
    throw asJournalError(e, path, 'opening');
  }
}

/** Opens the mode's journal read-only (status, reports); null when there is no journal yet. */
export function openSqliteJournalReader(dataDir: string, mode: Mode): JournalReader | null {
  const path = journalPath(dataDir, mode);
  if (!existsSync(path)) return null;
  const db = guarded(path, 'opening', () => new Database(path, { readonly: true, fileMustExist: true }));
  try {
    guarded(path, 'opening', () => {
      db.pragma('busy_timeout = 5000');
      refuseOtherVersion(path, schemaVersion(db), true);
    });
    return journalOver(db, path, mode, null);
  } catch (e) {
    db.close();
    throw asJournalError(e, path, 'opening');
  }
}

// ---------------------------------------------------------------------------------------------
// The journal over an open database

function journalOver(
  db: Database.Database,
  path: string,
  mode: Mode,
  release: (() => void) | null,
): JournalPort {
  const q = <R>(sql: string) => {
    const st = db.prepare(sql);
    return {
      get: (...params: unknown[]): R | undefined => st.get(...params) as R | undefined,
      all: (...params: unknown[]): R[] => st.all(...params) as R[],
      run: (...params: unknown[]) => st.run(...params),
    };
  };
  const read = <T>(doing: string, fn: () => T): T => guarded(path, doing, fn);

  const orderCols = ORDER_COLUMNS;
  const writer = release !== null;
  const st = writer
    ? {
        insertPlan: q(
          'INSERT INTO plans (plan_id, cycle_date, started_at_ms, plan_json) VALUES (?, ?, ?, ?)',
        ),
        finishPlan: q('UPDATE plans SET result = ?, reason = ?, ended_at_ms = ? WHERE plan_id = ?'),
        insertOrder: q(
          `INSERT INTO orders (${orderCols.join(', ')}) VALUES (${orderCols.map((c) => `@${c}`).join(', ')})`,
        ),
        updateOrder: q(
          `UPDATE orders SET ${orderCols
            .filter((c) => c !== 'order_ref')
            .map((c) => `${c} = @${c}`)
            .join(', ')} WHERE order_ref = @order_ref`,
        ),
        insertFill: q(
          `INSERT INTO executions (exec_id, order_ref, order_id, perm_id, client_id, account, contract_json, side,
             quantity, price, cum_quantity, time_ms, expiry) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ),
        insertCommission: q(
          'INSERT INTO commissions (exec_id, order_ref, commission, realized_pnl, at_ms) VALUES (?, ?, ?, ?, ?)',
        ),
        putCycle: q(
          `INSERT INTO cycles (cycle_date, state, plan_id, outcome, claimed_at_ms, updated_at_ms) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (cycle_date) DO UPDATE SET state = excluded.state, plan_id = excluded.plan_id,
             outcome = excluded.outcome, updated_at_ms = excluded.updated_at_ms`,
        ),
        putHalt: q(
          'UPDATE state SET halted = ?, halt_reason = ?, halt_source = ?, halt_at_ms = ? WHERE id = 1',
        ),
        putFloor: q('UPDATE state SET order_id_floor = ? WHERE id = 1'),
        putPositions: q('INSERT INTO positions_snapshots (account, at_ms, positions_json) VALUES (?, ?, ?)'),
        appendEvent: q('INSERT INTO events (type, plan_id, at_ms, payload) VALUES (?, ?, ?, ?)'),
      }
    : null;

  const selPlan = q<unknown>('SELECT * FROM plans WHERE plan_id = ?');
  const selPlanHead = q<unknown>(
    'SELECT plan_id, cycle_date, started_at_ms, result, reason, ended_at_ms FROM plans WHERE plan_id = ?',
  );
  // A journaled plan never changes: parse its JSON once per process.
  const plans = new Map<string, Plan>();
  const readPlan = (id: string): PlanRecord | null => {
    const cached = plans.get(id);
    if (cached !== undefined) {
      const raw = selPlanHead.get(id);
      return raw === undefined ? null : { ...planHead(planRow.parse(raw)), plan: cached };
    }
    const raw = selPlan.get(id);
    if (raw === undefined) return null;
    const r = planJsonRow.parse(raw);
    plans.set(id, r.plan_json);
    return { ...planHead(r), plan: r.plan_json };
  };
  const selOrder = q<unknown>('SELECT * FROM orders WHERE order_ref = ?');
  const selOrderRefById = q<{ order_ref: string }>('SELECT order_ref FROM orders WHERE order_id = ?');
  const selOrderRefByPerm = q<{ order_ref: string }>(
    'SELECT order_ref FROM orders WHERE perm_id = ? ORDER BY intended_at_ms DESC LIMIT 1',
  );
  const selFillRef = q<{ order_ref: string }>('SELECT order_ref FROM executions WHERE exec_id = ?');
  const selHasCommission = q<unknown>('SELECT 1 FROM commissions WHERE exec_id = ?');
  const selCycle = q<unknown>('SELECT * FROM cycles WHERE cycle_date = ?');
  const selState = q<unknown>('SELECT * FROM state WHERE id = 1');

  const stateNow = (): z.infer<typeof stateRow> => stateRow.parse(selState.get());

  const store: JournalStore | null =
    st === null
      ? null
      : {
          plan: readPlan,
          insertPlan: (rec) => {
            st.insertPlan.run(rec.planId, rec.cycleDate, rec.startedAtMs, JSON.stringify(rec.plan));
          },
          finishPlan: (id, end) => {
            st.finishPlan.run(end.result, end.reason, end.atMs, id);
          },
          order: (ref) => {
            const raw = selOrder.get(ref);
            return raw === undefined ? null : toOrder(raw);
          },
          orderRefByOrderId: (id) => selOrderRefById.get(id)?.order_ref ?? null,
          orderRefByPermId: (id) => selOrderRefByPerm.get(id)?.order_ref ?? null,
          insertOrder: (o) => {
            st.insertOrder.run(orderParams(o));
          },
          updateOrder: (o) => {
            st.updateOrder.run(orderParams(o));
          },
          hasFill: (execId) => selFillRef.get(execId) !== undefined,
          insertFill: (f: JournalFill, x: ExecutionReport) => {
            st.insertFill.run(
              x.execId,
              f.orderRef,
              x.orderId,
              x.permId,
              x.clientId,
              x.account,
              JSON.stringify(x.contract),
              x.side,
              x.quantity,
              x.price,
              x.cumQuantity,
              x.timeMs,
              x.contract.kind === 'option' ? x.contract.contract.expiry : null,
            );
          },
          hasCommission: (execId) => selHasCommission.get(execId) !== undefined,
          insertCommission: (c, orderRef, atMs) => {
            st.insertCommission.run(c.execId, orderRef, c.commission, c.realizedPnl, atMs);
          },
          orderRefOfFill: (execId) => selFillRef.get(execId)?.order_ref ?? null,
          cycle: (d) => {
            const raw = selCycle.get(d);
            return raw === undefined ? null : toCycle(raw);
          },
          putCycle: (c) => {
            st.putCycle.run(c.cycleDate, c.state, c.planId, c.outcome, c.claimedAtMs, c.updatedAtMs);
          },
          putHalt: (h) => {
            if (h.halted) st.putHalt.run(1, h.reason, h.source, h.atMs);
            else st.putHalt.run(0, null, null, null);
          },
          orderIdFloor: () => stateNow().order_id_floor,
          putOrderIdFloor: (n) => {
            st.putFloor.run(n);
          },
          putPositions: (p) => {
            st.putPositions.run(p.account, p.atMs, JSON.stringify(p.positions));
          },
          appendEvent: (planId, e) =>
            Number(st.appendEvent.run(e.type, planId, e.atMs, JSON.stringify(e)).lastInsertRowid),
        };

  const appendTx = store === null ? null : db.transaction((e: JournalEvent) => projectEvent(store, e));
  let closed = false;
  const live = (): void => {
    if (closed) throw new Error(`journal ${path} used after close`);
  };

  const selPlansRecent = q<unknown>(
    `SELECT p.*, (SELECT COUNT(*) FROM orders o WHERE o.plan_id = p.plan_id) AS order_count
     FROM plans p ORDER BY started_at_ms DESC, plan_id DESC LIMIT ?`,
  );
  const selPlansInFlight = q<unknown>(
    `SELECT p.*, (SELECT COUNT(*) FROM orders o WHERE o.plan_id = p.plan_id) AS order_count
     FROM plans p WHERE result IS NULL ORDER BY started_at_ms DESC, plan_id DESC`,
  );
  const selOrderById = q<unknown>(
    'SELECT * FROM orders WHERE order_id = ? ORDER BY intended_at_ms DESC LIMIT 1',
  );
  const selOrdersOfPlan = q<unknown>(
    'SELECT * FROM orders WHERE plan_id = ? ORDER BY intended_at_ms, order_ref',
  );
  const selAllOrders = q<unknown>('SELECT * FROM orders ORDER BY intended_at_ms, order_ref');
  const scopedOrders = 'SELECT order_ref FROM orders WHERE cycle_date >= @since OR final = 0';
  const scopedFills = `SELECT exec_id FROM executions WHERE order_ref IN (${scopedOrders}) OR expiry >= @from`;
  const selScopeOrders = q<unknown>(
    'SELECT * FROM orders WHERE cycle_date >= @since OR final = 0 ORDER BY intended_at_ms, order_ref',
  );
  const selScopeFills = q<unknown>(
    `SELECT * FROM executions WHERE exec_id IN (${scopedFills}) ORDER BY time_ms, exec_id`,
  );
  const selScopeCommissionIds = q<{ exec_id: string }>(
    `SELECT exec_id FROM commissions WHERE exec_id IN (${scopedFills})`,
  );
  const selFillsOf = q<unknown>('SELECT * FROM executions WHERE order_ref = ? ORDER BY time_ms, exec_id');
  const selAllFills = q<unknown>('SELECT * FROM executions ORDER BY time_ms, exec_id');
  const selCommissionsOf = q<unknown>('SELECT * FROM commissions WHERE order_ref = ? ORDER BY exec_id');
  const selCommissionIds = q<{ exec_id: string }>('SELECT exec_id FROM commissions');
  // Only layers with a fill of a contract not expired by asOf: the others are no longer held.
  const liveLayers = `SELECT DISTINCT o.layer_id FROM orders o JOIN executions e ON e.order_ref = o.order_ref
     WHERE o.layer_id IS NOT NULL AND e.expiry >= @asOf`;
  const selLayerOrders = q<unknown>(
    `SELECT * FROM orders WHERE layer_id IN (${liveLayers}) ORDER BY intended_at_ms, order_ref`,
  );
  const selLayerFills = q<unknown>(
    `SELECT e.* FROM executions e JOIN orders o ON o.order_ref = e.order_ref
     WHERE o.layer_id IN (${liveLayers}) ORDER BY e.time_ms, e.exec_id`,
  );
  const selCycles = q<unknown>('SELECT * FROM cycles ORDER BY cycle_date DESC LIMIT ?');
  const selPositions = q<unknown>(
    'SELECT account, at_ms, positions_json FROM positions_snapshots ORDER BY snapshot_id DESC LIMIT 1',
  );
  const selEvents = q<unknown>(
    `SELECT event_id, plan_id, payload FROM events
     WHERE (@planId IS NULL OR plan_id = @planId) AND event_id > @afterId ORDER BY event_id LIMIT @limit`,
  );

  return {
    mode,
    location: path,
    append(e: JournalEvent): AppendResult {
      live();
      if (appendTx === null) throw new Error(`journal ${path} was opened read-only`);
      const barrier = BARRIER_EVENTS.has(e.type);
      return guarded(path, `appending ${e.type}`, () => {
        if (barrier) db.pragma('synchronous = FULL');
        try {
          return appendTx.immediate(e);
        } finally {
          if (barrier) db.pragma('synchronous = NORMAL');
        }
      });
    },
    plan: (id) => read('reading a plan', () => readPlan(id)),
    recentPlans: (limit) => read('reading plans', () => selPlansRecent.all(limit).map(toPlanSummary)),
    plansInFlight: () => read('reading plans', () => selPlansInFlight.all().map(toPlanSummary)),
    order: (ref) =>
      read('reading an order', () => {
        const raw = selOrder.get(ref);
        return raw === undefined ? null : toOrder(raw);
      }),
    orderByOrderId: (id) =>
      read('reading an order', () => {
        const raw = selOrderById.get(id);
        return raw === undefined ? null : toOrder(raw);
      }),
    ordersOfPlan: (planId) => read('reading orders', () => selOrdersOfPlan.all(planId).map(toOrder)),
    fillsOf: (ref): OrderFills | null =>
      read('reading fills', () => {
        const raw = selOrder.get(ref);
        if (raw === undefined) return null;
        return {
          order: toOrder(raw),
          fills: selFillsOf.all(ref).map(toFill),
          commissions: selCommissionsOf.all(ref).map(toCommission),
        };
      }),
    reconcileView: (scope?: ViewScope): JournalView =>
      read('reading the journal for reconciliation', () => {
        if (scope === undefined) {
          return {
            orders: selAllOrders.all().map(toOrder),
            fills: selAllFills.all().map(toFill),
            commissionExecIds: selCommissionIds.all().map((r) => r.exec_id),
          };
        }
        const p = { since: scope.ordersSince, from: scope.positionsFrom };
        return {
          orders: selScopeOrders.all(p).map(toOrder),
          fills: selScopeFills.all(p).map(toFill),
          commissionExecIds: selScopeCommissionIds.all(p).map((r) => r.exec_id),
        };
      }),
    hedgeBook: (asOf: IsoDate): readonly HeldLayer[] =>
      read('reading the hedge book', () =>
        hedgeBookFromJournal(
          selLayerOrders.all({ asOf }).map(toOrder),
          selLayerFills.all({ asOf }).map(toFill),
          asOf,
        ),
      ),
    cycle: (d) =>
      read('reading a cycle', () => {
        const raw = selCycle.get(d);
        return raw === undefined ? null : toCycle(raw);
      }),
    recentCycles: (limit) => read('reading cycles', () => selCycles.all(limit).map(toCycle)),
    haltState: (): HaltState =>
      read('reading the halt state', () => {
        const s = stateNow();
        return s.halted === 0
          ? { halted: false }
          : {
              halted: true,
              reason: s.halt_reason ?? '',
              source: s.halt_source ?? 'user',
              atMs: s.halt_at_ms ?? 0,
            };
      }),
    nextOrderIdFloor: () => read('reading the order id floor', () => stateNow().order_id_floor),
    latestPositions: (): PositionsRecord | null =>
      read('reading positions', () => {
        const raw = selPositions.get();
        if (raw === undefined) return null;
        const r = positionsRow.parse(raw);
        return { account: r.account, atMs: r.at_ms, positions: r.positions_json };
      }),
    events: (query: EventQuery = {}): readonly StoredEvent[] =>
      read('reading events', () =>
        selEvents
          .all({ planId: query.planId ?? null, afterId: query.afterId ?? 0, limit: query.limit ?? -1 })
          .map((raw) => {
            const r = eventRow.parse(raw);
            return { eventId: r.event_id, planId: r.plan_id, event: r.payload };
          }),
      ),
    close: () => {
      if (closed) return;
      closed = true;
      try {
        if (release !== null) {
          release();
          db.pragma('wal_checkpoint(TRUNCATE)');
        }
      } finally {
        db.close();
      }
    },
  };
}
