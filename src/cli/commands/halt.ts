// `ironvix halt`: the kill switch by hand. A halt stops every new plan (pre-flight refuses while it
// is set) until `ironvix resume`. A journal event only: nothing is sent or cancelled.
import type { Command } from 'commander';
import { Option } from 'commander';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import type { Mode } from '../../domain/mode.ts';
import { MODES } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';
import type { Runtime } from '../runtime.ts';
import { openJournal } from '../wiring/journal.ts';

export interface HaltOptions {
  readonly mode?: Mode;
  readonly reason?: string;
  readonly note?: string;
}

export function modeOf(rt: Runtime, flag: Mode | undefined): Mode {
  return flag ?? rt.config().mode;
}

export function runHaltCommand(rt: Runtime, opts: HaltOptions): void {
  const config = rt.config();
  const mode = modeOf(rt, opts.mode);
  const reason = opts.reason?.trim() ?? '';
  if (reason === '') throw new IronvixError('E_USAGE', 'halt needs --reason "<why>" (it is shown by status)');
  const journal = openJournal({ dataDir: config.dataDir, mode, nowMs: Date.now() });
  try {
    const before = journal.haltState();
    journal.append({ type: 'halted', reason, source: 'user', atMs: createSystemClock().nowMs() });
    rt.io.out(
      `trading halted (${mode}): ${reason}\n` +
        (before.halted ? `(it was already halted: ${before.reason})\n` : '') +
        'Working orders are not cancelled; `ironvix resume` lifts the halt.\n',
    );
  } finally {
    journal.close();
  }
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .addOption(new Option('--mode <mode>', 'sim | paper | live (default IRONVIX_MODE)').choices([...MODES]))
    .requiredOption('--reason <text>', 'why (shown by status)')
    .action((opts: HaltOptions) => runHaltCommand(rt, opts));
}
