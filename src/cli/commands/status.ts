// `ironvix status`: what the gateway's account holds right now (account values, hedge layers,
// other positions, open orders, today's executions) and the mode's journal (halt, plans, the hedge
// book with its coverage). Reads only: never sends an order.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Mode } from '../../domain/mode.ts';
import { MODES } from '../../domain/mode.ts';
import { commandMode } from '../wiring/command-mode.ts';
import { openJournalReader } from '../wiring/journal.ts';
import { gatherStatus } from '../../app/status.ts';
import type { Runtime } from '../runtime.ts';
import { gatewayRequest, openGateway, sessionClock } from '../wiring/gateway.ts';
import { renderStatusJson } from '../render/status-json.ts';
import { renderStatusText } from '../render/status-text.ts';

export interface StatusOptions {
  readonly json?: boolean;
  readonly mode?: Mode;
}

export async function runStatusCommand(rt: Runtime, opts: StatusOptions): Promise<void> {
  const config = rt.config();
  const mode = commandMode(config, opts.mode);
  const logger = await rt.logger();
  const gateway = await openGateway(gatewayRequest({ ...config, mode }, { purpose: 'read', logger }));
  // The mode's journal, read without its lock (a running daemon keeps writing it); none yet: null.
  const journal = openJournalReader(config.dataDir, mode);
  let stopClock = (): void => undefined;
  try {
    // "Today" is the bot's: the gateway's time with IRONVIX_CLOCK=gateway (a virtual-time simulator).
    const timed = await sessionClock(gateway, config, logger);
    stopClock = () => timed.stop();
    const report = await gatherStatus({ broker: gateway.broker, journal, nowMs: timed.clock.nowMs() });
    rt.io.out(
      opts.json === true ? renderStatusJson(report) : renderStatusText(report, config.displayTimeZone),
    );
  } finally {
    stopClock();
    journal?.close();
    await gateway.close();
  }
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .addOption(
      new Option('--mode <mode>', 'sim | paper | live: whose journal (default IRONVIX_MODE)').choices([
        ...MODES,
      ]),
    )
    .option('--json', 'print the status as JSON (money in cents, times in epoch ms)')
    .action(async (opts: StatusOptions) => {
      rt.quietByDefault();
      await runStatusCommand(rt, opts);
    });
}
