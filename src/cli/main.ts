#!/usr/bin/env node
// Composition root: the only place that names concrete adapters and wires commands.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import { Settings } from 'luxon';
import { ERRORS, EXIT, IronvixError } from '../errors.ts';
import { DomainError } from '../domain/domain-error.ts';
import type { CliIo, Runtime } from './runtime.ts';
import { createRuntime } from './runtime.ts';
export type { CliIo } from './runtime.ts';

/** What a command module exports: adds its options and action to the command main.ts created. */
export type RegisterCommand = (cmd: Command, rt: Runtime) => void;

interface CommandEntry {
  /** The command word, with its positional arguments if any (e.g. 'report [date]'). */
  readonly name: string;
  readonly description: string;
  /** Loaded only when this command runs (or shows its help), so each command pays only for its own imports. */
  readonly load: () => Promise<{ readonly register: RegisterCommand }>;
}

/**
 * Every command, in `--help` order. To add one: a row here, and src/cli/commands/<name>.ts exporting
 * `register` (options + action). Never import a command module statically: cold start is a target.
 */
const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'preview',
    description:
      'Build the plan for a market snapshot and print it (order tickets, sizing, signals, scenarios). Sends nothing.',
    load: () => import('./commands/preview.ts'),
  },
  {
    name: 'demo',
    description:
      'Start the built-in IB Gateway simulator in-process (virtual time, 15:45 New York entry), connect to it over TCP ' +
      'through the IB adapter, capture a market snapshot and print the plan. Needs no IB account; sends nothing.',
    load: () => import('./commands/demo.ts'),
  },
  {
    name: 'sim',
    description:
      'Run the IB Gateway simulator: a TWS API server on 127.0.0.1 with a seeded market and venue, for paper-free testing.',
    load: () => import('./commands/sim.ts'),
  },
  {
    name: 'config',
    description:
      'Print the effective configuration: every variable, its value and where it came from (secrets masked).',
    load: () => import('./commands/config.ts'),
  },
  {
    name: 'status',
    description:
      "Connect to the gateway (IB_HOST:IB_PORT) and show the account: values, hedge layers, other positions, open orders, today's executions. Sends nothing.",
    load: () => import('./commands/status.ts'),
  },
  {
    name: 'daemon',
    description:
      'Run the daily cycle at the strategy entry time on every NYSE trading day (New York time), until stopped. ' +
      'One daemon per mode. Each cycle is one `run --once` cycle; after each close the settlement values are journaled.',
    load: () => import('./commands/daemon.ts'),
  },
  {
    name: 'run',
    description:
      'Run one cycle now (--once): reconcile, then capture, build, pre-flight and execute the plan (or finish one left in flight); report each fill and the outcome.',
    load: () => import('./commands/run.ts'),
  },
  {
    name: 'reconcile',
    description:
      "Compare the journal with IB's open orders, executions, completed orders and positions; repair what is safe, halt trading on a difference.",
    load: () => import('./commands/reconcile.ts'),
  },
  {
    name: 'halt',
    description:
      'Set the kill switch: no new plan starts until `ironvix resume` (nothing is sent or cancelled).',
    load: () => import('./commands/halt.ts'),
  },
  {
    name: 'resume',
    description: 'Lift the kill switch, whoever set it; the next run reconciles first.',
    load: () => import('./commands/resume.ts'),
  },
  {
    name: 'campaign',
    description:
      'Run the daily service against the simulator in virtual time for N trading days (real executor over TCP), then print the report.',
    load: () => import('./commands/campaign.ts'),
  },
  {
    name: 'report',
    description:
      "What the strategy did and cost, from the mode's journal: P&L split condor / hedge / costs, IRR, drawdown, coverage, carry, Greeks.",
    load: () => import('./commands/report.ts'),
  },
];

const processIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export function buildProgram(rt: Runtime): Command {
  const io = rt.io;
  const program = new Command();
  program
    .name('ironvix')
    .description(
      '1DTE SPX iron condor with an Adaptive Layered VIX Hedge, placed as one atomic plan through Interactive Brokers.',
    )
    .version('0.1.0')
    .option('--env-file <file>', 'read configuration from this file instead of .env')
    .exitOverride()
    .configureOutput(output(io))
    .addHelpText(
      'after',
      `\nRun \`ironvix <command> --help\` for a command's options.` +
        `\nExit codes: ${EXIT.ok} ok (a "no trade" plan is ok), ${EXIT.internal} internal error, ${EXIT.badInput} bad input, ` +
        `${EXIT.broker} broker/gateway failure, ${EXIT.safety} safety interlock refused.`,
    );
  const loaders = new Map<Command, CommandEntry['load']>();
  for (const entry of COMMANDS) {
    loaders.set(program.command(entry.name).description(entry.description), entry.load);
  }
  const ensureLoaded = async (cmd: Command): Promise<void> => {
    const load = loaders.get(cmd);
    if (load === undefined) return;
    loaders.delete(cmd);
    (await load()).register(cmd, rt);
    overrideExits(cmd, io);
  };
  // Commander calls this before the command parses its arguments.
  program.hook('preSubcommand', (_root, cmd) => ensureLoaded(cmd));
  // Commander's own `help <command>` prints help without that hook, so before the command has options.
  program.helpCommand(false);
  program
    .command('help [command]')
    .description('display help for command')
    .action(async (name: string | undefined) => {
      if (name === undefined) return program.help();
      const cmd = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (cmd === undefined) return program.error(`unknown command '${name}'`);
      await ensureLoaded(cmd);
      return cmd.help();
    });
  for (const c of program.commands) overrideExits(c, io);
  program.hook('preAction', (_root, action) => {
    rt.useEnvFile(action.optsWithGlobals<{ envFile?: string }>().envFile);
  });
  return program;
}

/** Usage errors and help become exceptions runCli turns into exit codes, for nested commands too. */
function overrideExits(cmd: Command, io: CliIo): void {
  cmd.exitOverride().configureOutput(output(io));
  for (const c of cmd.commands) overrideExits(c, io);
}

/** Commander's own error line is dropped: reportError prints each usage error once, with its code. */
function output(io: CliIo): {
  writeOut: (t: string) => void;
  writeErr: (t: string) => void;
  outputError: () => void;
} {
  return { writeOut: io.out, writeErr: io.err, outputError: () => undefined };
}

export interface RunCliOptions {
  /** Default process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default the project's .env. */
  readonly envFile?: string;
}

/** Runs the CLI and returns the exit code (never calls process.exit itself, so tests can call it). */
export async function runCli(
  argv: readonly string[],
  io: CliIo = processIo,
  opts: RunCliOptions = {},
): Promise<number> {
  const rt = createRuntime(io, opts);
  const program = buildProgram(rt);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    return reportError(e, io);
  } finally {
    await rt.close();
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
  if (e instanceof DomainError) return reportError(new IronvixError(e.code, e.message), io);
  const system = systemError(e);
  if (system !== null) return reportError(system, io);
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

/** Operating-system failures a user can fix (a port in use, a path without permission) are not bugs. */
function systemError(e: unknown): IronvixError | null {
  if (!(e instanceof Error) || !('code' in e) || typeof e.code !== 'string') return null;
  const where =
    'address' in e && 'port' in e
      ? `${String(e.address)}:${String(e.port)}`
      : 'path' in e
        ? String(e.path)
        : '';
  switch (e.code) {
    case 'EADDRINUSE':
      return new IronvixError('E_PORT_IN_USE', `${where} is already in use: ${e.message}`);
    case 'EACCES':
    case 'EPERM':
      return new IronvixError(
        'E_PERMISSION',
        `permission denied${where === '' ? '' : ` for ${where}`}: ${e.message}`,
      );
    case 'ENOSPC':
      return new IronvixError(
        'E_PERMISSION',
        `no space left on the device${where === '' ? '' : ` for ${where}`}: ${e.message}`,
      );
    default:
      return null;
  }
}

/** Process entry: run with the real argv and set the exit code. */
export async function main(): Promise<void> {
  // Output never depends on the machine's locale.
  Settings.defaultLocale = 'en-US';
  process.exitCode = await runCli(process.argv.slice(2));
}

const entry = process.argv[1];
const invokedDirectly = entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url);
if (invokedDirectly) await main();
