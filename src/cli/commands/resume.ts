// `ironvix resume`: lifts the kill switch, whoever set it; the next run reconciles first, and a
// difference that remains halts it again. A journal event only: nothing is sent.
import type { Command } from 'commander';
import { Option } from 'commander';
import { createSystemClock } from '../../adapters/clock/system-clock.ts';
import { MODES } from '../../domain/mode.ts';
import type { Runtime } from '../runtime.ts';
import { openJournal } from '../wiring/journal.ts';
import type { HaltOptions } from './halt.ts';
import { modeOf } from './halt.ts';

export function runResumeCommand(rt: Runtime, opts: HaltOptions): void {
  const config = rt.config();
  const mode = modeOf(rt, opts.mode);
  const journal = openJournal({ dataDir: config.dataDir, mode, nowMs: Date.now() });
  try {
    const before = journal.haltState();
    if (!before.halted) {
      rt.io.out(`trading is not halted (${mode}): nothing to resume\n`);
      return;
    }
    journal.append({
      type: 'resumed',
      by: 'user',
      note: opts.note?.trim() ?? '',
      atMs: createSystemClock().nowMs(),
    });
    rt.io.out(
      `trading resumed (${mode}); the halt was set by ${before.source}: ${before.reason}\n` +
        'The next run reconciles first: a difference that remains halts it again.\n',
    );
  } finally {
    journal.close();
  }
}

export function register(cmd: Command, rt: Runtime): void {
  cmd
    .addOption(new Option('--mode <mode>', 'sim | paper | live (default IRONVIX_MODE)').choices([...MODES]))
    .option('--note <text>', 'a note kept in the journal')
    .action((opts: HaltOptions) => runResumeCommand(rt, opts));
}
