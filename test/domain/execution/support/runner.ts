// Drives the executor by hand in unit tests: feed events, collect commands, answer the common ones.
import assert from 'node:assert/strict';
import { initial, step } from '../../../../src/domain/execution/executor.ts';
import type {
  ExecCommand,
  ExecEvent,
  ExecState,
  ExecutorConfig,
} from '../../../../src/domain/execution/types.ts';
import { DEFAULT_EXECUTOR_CONFIG } from '../../../../src/domain/execution/types.ts';
import type { Plan } from '../../../../src/domain/plan/types.ts';
import type { FillArgs } from './broker-events.ts';
import { fillEvents, status } from './broker-events.ts';

export type Cmd<T extends ExecCommand['type']> = Extract<ExecCommand, { type: T }>;

export class Runner {
  state: ExecState;
  readonly all: ExecCommand[] = [];
  readonly plan: Plan;
  now: number;

  constructor(plan: Plan, startMs: number, config: ExecutorConfig = DEFAULT_EXECUTOR_CONFIG) {
    this.plan = plan;
    this.state = initial(plan, config);
    this.now = startMs;
  }

  feed(e: ExecEvent): ExecCommand[] {
    this.now = Math.max(this.now, e.atMs);
    const r = step(this.state, e);
    this.state = r.state;
    this.all.push(...r.commands);
    return [...r.commands];
  }

  feedAll(events: readonly ExecEvent[]): ExecCommand[] {
    return events.flatMap((e) => this.feed(e));
  }

  /** Time moves to atMs and the machine is woken. */
  tick(atMs: number): ExecCommand[] {
    return this.feed({ type: 'tick', atMs });
  }

  /** The driver's side of a submit: allocate the id, feed the outcome and IB's Submitted. */
  accept(
    cmd: Cmd<'submit'>,
    orderId: number,
    atMs = this.now,
    ibStatus: 'Submitted' | 'PreSubmitted' = 'Submitted',
  ): ExecCommand[] {
    return [
      ...this.feed({ type: 'order-id', atMs, orderRef: cmd.orderRef, orderId }),
      ...this.feed({ type: 'submit-outcome', atMs, orderRef: cmd.orderRef, outcome: { kind: 'sent' } }),
      ...this.feed(status(atMs, orderId, ibStatus, 0, cmd.quantity)),
    ];
  }

  fill(a: Omit<FillArgs, 'plan' | 'atMs'> & { atMs?: number }): ExecCommand[] {
    return this.feedAll(fillEvents({ ...a, plan: this.plan, atMs: a.atMs ?? this.now }));
  }
}

export function only<T extends ExecCommand['type']>(cmds: readonly ExecCommand[], type: T): Cmd<T>[] {
  return cmds.filter((c): c is Cmd<T> => c.type === type);
}

export function one<T extends ExecCommand['type']>(cmds: readonly ExecCommand[], type: T): Cmd<T> {
  const found = only(cmds, type);
  assert.equal(found.length, 1, `expected one ${type} in ${JSON.stringify(cmds.map((c) => c.type))}`);
  return found[0]!;
}

/** Commands that reach the broker (a send). */
export function sends(cmds: readonly ExecCommand[]): ExecCommand[] {
  return cmds.filter((c) => c.type === 'submit' || c.type === 'modify' || c.type === 'cancel');
}
