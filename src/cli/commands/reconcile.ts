// `ironvix reconcile`: compare the mode's journal with IB's reports, apply the safe repairs, and print
// what it found and applied. A difference halts trading (E_RECONCILE_MISMATCH) with the exact
// difference and what to do; a clean reconcile lifts a halt an earlier reconciliation set.
import type { Command } from 'commander';
import { Option } from 'commander';
import { DateTime } from 'luxon';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { reconcileWithBroker } from '../../app/reconcile.ts';
import { NY_ZONE } from '../../domain/calendar.ts';
import type { Mode } from '../../domain/mode.ts';
import { MODES } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { Runtime } from '../runtime.ts';
import { gatewayRequest, openGateway, sessionClock } from '../wiring/gateway.ts';
import { LIFTED_PACING_LIMITS } from '../../adapters/ib/pacing.ts';
import { openJournal } from '../wiring/journal.ts';
import { commandMode } from '../wiring/command-mode.ts';

export interface ReconcileCommandOptions {
  readonly mode?: Mode;
  readonly json?: boolean;
  readonly simUnpaced?: boolean;
}

export async function runReconcileCommand(rt: Runtime, opts: ReconcileCommandOptions): Promise<void> {
  const config = rt.config();
  // Reconcile sends no order: no --live needed; the account must still fit the mode (ib-session).
  const mode = commandMode(config, opts.mode);
  const logger = (await rt.logger()).child({ command: 'reconcile', mode });
  const system = createSystemClock();
  const journal = openJournal({ dataDir: config.dataDir, mode, nowMs: system.nowMs() });
  const closers: (() => Promise<void> | void)[] = [() => journal.close()];
  try {
    const session = await openGateway({
      ...gatewayRequest({ ...config, mode }, { purpose: 'read', logger }),
      ...(mode === 'sim' && opts.simUnpaced === true ? { pacing: LIFTED_PACING_LIMITS } : {}),
    });
    closers.push(() => session.close());
    const timed = await sessionClock(session, config, logger, system);
    closers.push(() => timed.stop());
    const clock = timed.clock;
    const r = await reconcileWithBroker(
      { broker: session.broker, journal, clock, logger },
      {
        trigger: 'command',
        account: session.account,
        tradingDate: DateTime.fromMillis(clock.nowMs(), { zone: NY_ZONE }).toFormat('yyyy-MM-dd'),
      },
    );
    switch (r.kind) {
      case 'unavailable':
        throw new IronvixError('E_RECONCILE_UNAVAILABLE', r.message);
      case 'halted':
        if (opts.json === true)
          rt.io.out(`${JSON.stringify({ kind: 'ironvix.reconcile', mode, result: r }, null, 2)}\n`);
        throw new IronvixError('E_RECONCILE_MISMATCH', r.message);
      case 'clean':
        rt.io.out(
          opts.json === true
            ? `${JSON.stringify({ kind: 'ironvix.reconcile', mode, result: r }, null, 2)}\n`
            : `reconcile (${mode}, account ${session.account}, journal ${journal.location}): clean\n` +
                `applied ${r.applied.length} repair(s): ${r.message === '' ? 'nothing to repair' : r.message}\n` +
                (r.ignoredForeignOrders > 0
                  ? `ignored ${r.ignoredForeignOrders} order(s) of other tools on instruments ironvix does not trade\n`
                  : ''),
        );
        return;
    }
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .addOption(new Option('--mode <mode>', 'sim | paper | live (default IRONVIX_MODE)').choices([...MODES]))
    .option('--sim-unpaced', 'sim: the simulator at IB_HOST:IB_PORT runs without IB pacing limits (tests)')
    .option('--json', 'print the result as JSON')
    .action((opts: ReconcileCommandOptions) => runReconcileCommand(rt, opts));
}
