// Runs the CLI in-process with captured stdout/stderr.
import { runCli } from '../../src/cli/main.ts';
import type { RunCliOptions } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runCliCaptured(argv: readonly string[], opts: RunCliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(
    argv,
    {
      out: (t) => {
        stdout += t;
      },
      err: (t) => {
        stderr += t;
      },
    },
    opts,
  );
  return { code, stdout, stderr };
}
