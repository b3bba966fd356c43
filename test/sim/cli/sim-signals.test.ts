// `ironvix sim` stops on SIGINT, and when the process that started it exits: npm/npx do not pass
// SIGTERM on to their child, so `kill <npx pid>` used to leave the simulator running as an orphan.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTUP_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const SIM_ARGS = ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--port', '0', '--log-level', 'silent'];

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no listening line; stdout: ${out}`)),
      STARTUP_TIMEOUT_MS,
    );
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (d: string) => {
      out += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', () => reject(new Error(`exited early; stdout: ${out}`)));
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (!(await done())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('ironvix sim stops', () => {
  it('on SIGINT, with exit code 0', async () => {
    const child = spawn(process.execPath, SIM_ARGS, { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const port = await listeningPort(child);
      assert.equal(await accepts(port), true);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
  });

  it('when the process that started it is killed with SIGTERM (as npx is)', async (t) => {
    if (!existsSync('/proc/self/task')) return void t.skip('needs /proc to find the child process');
    // `; exit` keeps sh as a separate parent, as `npm exec` keeps `sh -c ironvix ...`.
    const command = [process.execPath, ...SIM_ARGS].join(' ');
    const wrapper = spawn('sh', ['-c', `${command}; exit $?`], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let simPid: number | null = null;
    try {
      const port = await listeningPort(wrapper);
      const wrapperPid = wrapper.pid!;
      const children = readFileSync(`/proc/${wrapperPid}/task/${wrapperPid}/children`, 'utf8').trim();
      simPid = Number(children.split(/\s+/)[0]);
      assert.ok(Number.isInteger(simPid) && simPid > 0, `child of sh: ${children}`);
      wrapper.kill('SIGTERM');
      await until('the simulator stops listening', async () => !(await accepts(port)));
      await until('the simulator process exits', () => !alive(simPid!));
    } finally {
      if (simPid !== null && alive(simPid)) process.kill(simPid, 'SIGKILL');
      if (wrapper.exitCode === null) wrapper.kill('SIGKILL');
    }
  });
});
