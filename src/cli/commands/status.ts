// `ironvix status`: what the gateway's account holds right now (account values, hedge layers,
// other positions, open orders, today's executions). Reads only: never sends an order.
import type { Command } from 'commander';
import { gatherStatus } from '../../app/status.ts';
import type { Runtime } from '../runtime.ts';
import { gatewayRequest, openGateway } from '../wiring/gateway.ts';
import { renderStatusJson } from '../render/status-json.ts';
import { renderStatusText } from '../render/status-text.ts';

export interface StatusOptions {
  readonly json?: boolean;
}

export async function runStatusCommand(rt: Runtime, opts: StatusOptions): Promise<void> {
  const config = rt.config();
  const gateway = await openGateway(gatewayRequest(config, { purpose: 'read', logger: await rt.logger() }));
  try {
    const report = await gatherStatus({ broker: gateway.broker, journal: null, nowMs: Date.now() });
    rt.io.out(
      opts.json === true ? renderStatusJson(report) : renderStatusText(report, config.displayTimeZone),
    );
  } finally {
    await gateway.close();
  }
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .option('--json', 'print the status as JSON (money in cents, times in epoch ms)')
    .action(async (opts: StatusOptions) => {
      rt.quietByDefault();
      await runStatusCommand(rt, opts);
    });
}
