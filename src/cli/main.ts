#!/usr/bin/env node
// Composition root: the only place that names concrete adapters and wires commands.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { ERRORS, EXIT, IronvixError } from '../errors.ts';
import { registerDemoCommand, registerPreviewCommand } from './commands/preview.ts';
import { registerSimCommand } from './commands/sim.ts';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export function buildProgram(io: CliIo): Command {
  const program = new Command();
  program
    .name('ironvix')
    .description(
      '1DTE SPX iron condor with an Adaptive Layered VIX Hedge, placed as one atomic plan through Interactive Brokers.',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} ok (a "no trade" plan is ok), ${EXIT.internal} internal error, ${EXIT.badInput} bad input, ` +
        `${EXIT.broker} broker/gateway failure, ${EXIT.safety} safety interlock refused.`,
    );
  registerPreviewCommand(program, io.out);
  registerDemoCommand(program, io.out);
  registerSimCommand(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  return program;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it). */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return reportError(e, io);
  }
}

export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // Help and version are successful exits; everything else is a usage error.
    if (
      e.code === 'commander.helpDisplayed' ||
      e.code === 'commander.version' ||
      e.code === 'commander.help'
    ) {
      return EXIT.ok;
    }
    io.err(`error E_USAGE: ${e.message.replace(/^error: /, '')}\n  action: ${ERRORS.E_USAGE.action}\n`);
    return EXIT.badInput;
  }
  if (e instanceof IronvixError) {
    io.err(`error ${e.code}: ${e.message}\n`);
    for (const d of e.details) if (!e.message.includes(d)) io.err(`  - ${d}\n`);
    io.err(`  action: ${e.action}\n`);
    return e.exitCode;
  }
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  io.err(`error E_INTERNAL: ${message}\n  action: ${ERRORS.E_INTERNAL.action}\n`);
  return EXIT.internal;
}

/** Process entry: run with the real argv and set the exit code. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}

const entry = process.argv[1];
const invokedDirectly = entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url);
if (invokedDirectly) await main();
