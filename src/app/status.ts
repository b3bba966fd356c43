// Use case: what the account and the journal say right now. Reads only: account values, positions
// (with the hedge layers recognised), open orders, today's executions, and from the journal the
// kill switch, plans in flight, the last plans with their outcome and the book the journal holds.
import type {
  CommissionReport,
  ExecutionReport,
  OrderReport,
  PositionReport,
} from '../domain/broker-reports.ts';
import { nyDate } from '../domain/calendar.ts';
import type { RecognizedLayer } from '../domain/hedge/recognize-layers.ts';
import { layerShape, recognizeLayers } from '../domain/hedge/recognize-layers.ts';
import type { HeldLayer } from '../domain/snapshot.ts';
import type { AccountReport, BrokerPort, BrokerResult } from '../ports/broker.ts';
import type { HaltState, JournalReader, PlanSummary } from '../ports/journal.ts';
import { failureText } from './capture-snapshot.ts';

export interface JournalStatus {
  readonly location: string;
  readonly halt: HaltState;
  readonly plansInFlight: readonly PlanSummary[];
  readonly recentPlans: readonly PlanSummary[];
  /** The hedge layers the journal's fills hold today. */
  readonly book: readonly HeldLayer[];
  /** Where the journal's book and the account's layers differ (empty when they agree). */
  readonly bookDifferences: readonly string[];
  /** The newest plan that sent orders: its coverage arithmetic and how it ended; null before any. */
  readonly lastCoverage: LastCoverage | null;
}

/**
 * The hedge coverage of the journal's book, valued with the stress P&L per contract the newest
 * executed plan computed (its scenario), against that plan's requirement.
 */
export interface LastCoverage {
  readonly planId: string;
  readonly cycleDate: string;
  readonly result: string;
  /** The coverage target c after the regime multiplier and the clamp. */
  readonly coverageTarget: number;
  /** c x the condor's stress loss x the condor quantity planned, in cents. */
  readonly requiredStressPnlCents: number;
  /** Stress P&L per contract of each journal layer (by layer shape), null when that plan did not value it. */
  readonly layers: readonly {
    readonly layer: HeldLayer;
    readonly stressPnlPerContractCents: number | null;
  }[];
  /** Σ quantity x stress P&L per contract over the journal's layers, in cents. */
  readonly bookStressPnlCents: number;
  /** Condor contracts that plan filled (the journal's reported fills of its condor order). */
  readonly condorFilled: number;
  /** Book stress P&L / (the condor's stress loss x condorFilled); null when no condor filled. */
  readonly coverageRatio: number | null;
}

export interface StatusReport {
  readonly broker: string;
  readonly atMs: number;
  readonly account: AccountReport | null;
  readonly positions: readonly PositionReport[];
  readonly layers: readonly RecognizedLayer[];
  /** Positions that are not hedge layers (condor legs before settlement, anything else in the account). */
  readonly otherPositions: readonly PositionReport[];
  readonly openOrders: readonly OrderReport[];
  readonly executions: readonly ExecutionReport[];
  readonly commissions: readonly CommissionReport[];
  readonly journal: JournalStatus | null;
  /** Reports the broker could not give (each names what and why). */
  readonly problems: readonly string[];
}

export interface StatusRequest {
  readonly broker: BrokerPort;
  readonly journal: JournalReader | null;
  readonly nowMs: number;
  readonly recentPlans?: number;
}

export async function gatherStatus(req: StatusRequest): Promise<StatusReport> {
  const { broker } = req;
  const problems: string[] = [];
  const take = <T>(what: string, r: BrokerResult<T>, empty: T): T => {
    if (r.ok) return r.value;
    problems.push(`${what}: ${failureText(r.error)}`);
    return empty;
  };
  const account = take<AccountReport | null>('account', await broker.account(), null);
  const positions = take<readonly PositionReport[]>('positions', await broker.positions(), []);
  const openOrders = take<readonly OrderReport[]>('open orders', await broker.openOrders(), []);
  const execs = take('executions', await broker.executions(), { executions: [], commissions: [] });
  const recognized = recognizeLayers(positions);
  const today = nyDate(new Date(req.nowMs).toISOString());
  const journal =
    req.journal === null ? null : journalStatus(req.journal, today, recognized.layers, req.recentPlans ?? 5);
  return {
    broker: broker.name,
    atMs: req.nowMs,
    account,
    positions,
    layers: recognized.layers,
    otherPositions: recognized.other,
    openOrders,
    executions: execs.executions,
    commissions: execs.commissions,
    journal,
    problems,
  };
}

function journalStatus(
  journal: JournalReader,
  today: string,
  accountLayers: readonly RecognizedLayer[],
  recent: number,
): JournalStatus {
  const book = journal.hedgeBook(today);
  return {
    location: journal.location,
    halt: journal.haltState(),
    plansInFlight: journal.plansInFlight(),
    recentPlans: journal.recentPlans(recent),
    book,
    bookDifferences: compareBooks(book, accountLayers),
    lastCoverage: lastCoverage(journal, book),
  };
}

function lastCoverage(journal: JournalReader, book: readonly HeldLayer[]): LastCoverage | null {
  const summary = journal.recentPlans(20).find((p) => p.end === null || p.orderCount > 0);
  const record = summary === undefined ? null : journal.plan(summary.planId);
  if (record === null) return null;
  const { plan } = record;
  const valued = new Map(plan.hedgeBookAfter.map((l) => [layerShape(l), l.stressPnlPerContract]));
  const layers = book.map((layer) => ({
    layer,
    stressPnlPerContractCents: valued.get(layerShape(layer)) ?? null,
  }));
  const bookStressPnlCents = layers.reduce(
    (sum, l) => sum + l.layer.quantity * (l.stressPnlPerContractCents ?? 0),
    0,
  );
  const condorFilled = journal
    .ordersOfPlan(record.planId)
    .filter((o) => o.orderKind === 'condor-open')
    .reduce((n, o) => n + (o.reported?.filled ?? 0), 0);
  const condorStressLoss = plan.coverage.condorStressLossPerContract * condorFilled;
  return {
    planId: record.planId,
    cycleDate: record.cycleDate,
    result: record.end === null ? 'IN FLIGHT' : record.end.result,
    coverageTarget: plan.coverage.coverageTarget,
    requiredStressPnlCents: plan.coverage.requiredStressPnl,
    layers,
    bookStressPnlCents,
    condorFilled,
    coverageRatio: condorStressLoss > 0 ? bookStressPnlCents / condorStressLoss : null,
  };
}

/** Contracts per layer shape on each side; a difference says which side holds how many. */
export function compareBooks(
  journalBook: readonly HeldLayer[],
  account: readonly RecognizedLayer[],
): string[] {
  const count = new Map<string, { journal: number; account: number }>();
  const add = (shape: string, side: 'journal' | 'account', n: number): void => {
    const c = count.get(shape) ?? { journal: 0, account: 0 };
    c[side] += n;
    count.set(shape, c);
  };
  for (const l of journalBook) add(layerShape(l), 'journal', l.quantity);
  for (const l of account) add(layerShape(l), 'account', l.quantity);
  const out: string[] = [];
  for (const [shape, c] of [...count.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (c.journal !== c.account) out.push(`${shape}: journal ${c.journal}, account ${c.account}`);
  }
  return out;
}
