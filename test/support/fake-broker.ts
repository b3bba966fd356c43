// A BrokerPort that only answers reports, for reconciliation tests: its reports are set by the test
// (and may change between reads), a read can be made to fail, and it never sends an order.
import { err, ok } from '../../src/domain/result.ts';
import type { BrokerReports } from '../../src/domain/reconcile.ts';
import type { BrokerFailure, BrokerPort, BrokerResult, ExecutionsReport } from '../../src/ports/broker.ts';

export interface FakeBroker extends BrokerPort {
  reports: BrokerReports;
  /** The next report reads fail with this (null: they succeed). */
  failure: BrokerFailure | null;
  /** Called before each executions() read: lets a test change the reports between reads. */
  onExecutionsRead: ((n: number) => void) | null;
  readonly reads: { executions: number; openOrders: number; completedOrders: number; positions: number };
}

export function createFakeBroker(reports: BrokerReports): FakeBroker {
  const reads = { executions: 0, openOrders: 0, completedOrders: 0, positions: 0 };
  const answer = <T>(value: () => T): Promise<BrokerResult<T>> =>
    Promise.resolve(fake.failure === null ? ok(value()) : err(fake.failure));
  const never = (): never => {
    throw new Error('the fake broker sends no orders');
  };
  const fake: FakeBroker = {
    name: 'fake',
    reports,
    failure: null,
    onExecutionsRead: null,
    reads,
    connect: () =>
      Promise.resolve(err({ kind: 'unreachable' as const, text: 'the fake broker does not connect' })),
    disconnect: () => Promise.resolve(),
    isConnected: () => true,
    nextOrderId: never,
    raiseOrderIdFloor: () => undefined,
    submit: never,
    modify: never,
    cancel: never,
    onEvent: () => () => undefined,
    openOrders: () => {
      reads.openOrders++;
      return answer(() => fake.reports.openOrders);
    },
    executions: () => {
      reads.executions++;
      fake.onExecutionsRead?.(reads.executions);
      return answer((): ExecutionsReport => ({
        executions: fake.reports.executions,
        commissions: fake.reports.commissions,
      }));
    },
    completedOrders: () => {
      reads.completedOrders++;
      return answer(() => fake.reports.completedOrders);
    },
    positions: () => {
      reads.positions++;
      return answer(() => fake.reports.positions);
    },
    account: never,
    whatIf: never,
    serverTimeMs: never,
  };
  return fake;
}
