// `ironvix status` and `ironvix preview --gateway` end to end in fresh processes against `ironvix sim`
// started as another process (as a user does in two terminals), and the gateway interlocks: each
// refusal has its code and exit code, and nothing is sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planJsonSchema } from '../../src/cli/render/plan-json-schema.ts';
import { launchSimulator } from '../../src/cli/wiring/simulator.ts';
import { runCliCaptured } from '../support/cli-harness.ts';
import { BIN, ROOT, ironvix, listeningPort } from '../support/fresh-process.ts';

/** A port nothing listens on: bound by the OS, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

describe('against `ironvix sim` in another process', () => {
  let sim: ChildProcess;
  let dir: string;
  let env: Record<string, string>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-gw-'));
    const envFile = join(dir, 'empty.env');
    writeFileSync(envFile, '');
    sim = spawn(
      process.execPath,
      [
        BIN,
        'sim',
        '--port',
        '0',
        '--virtual-time',
        // Real pace: a loaded machine must not carry the simulated day past its close mid-test.
        '--speed',
        '1',
        '--start-at',
        '2026-03-16T15:45',
        '--log-level',
        'silent',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const port = await listeningPort(sim);
    env = { IB_PORT: String(port), IRONVIX_LOG_LEVEL: 'silent', IRONVIX_DATA_DIR: dir };
    env['IRONVIX_ENV_FILE_FOR_TEST'] = envFile;
  });
  after(() => {
    sim.kill('SIGINT');
    rmSync(dir, { recursive: true, force: true });
  });
  const withEnvFile = (args: string[]): string[] => [
    '--env-file',
    env['IRONVIX_ENV_FILE_FOR_TEST'] ?? '',
    ...args,
  ];

  test('status prints the account, its hedge layers, open orders and executions, and sends nothing', async () => {
    const r = await ironvix(withEnvFile(['status']), env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ironvix status: ib 127\.0\.0\.1:\d+ client 17/);
    assert.match(r.stdout, /DU1234567: net liquidation \$100,000\.00/);
    for (const h of ['== Hedge layers in the account ==', '== Open orders ==', "== Today's executions =="])
      assert.ok(r.stdout.includes(h), h);
    const j = await ironvix(withEnvFile(['status', '--json']), env);
    assert.equal(j.code, 0, j.stderr);
    const doc = JSON.parse(j.stdout) as { account: { netLiquidationCents: number }; openOrders: unknown[] };
    assert.equal(doc.account.netLiquidationCents, 10_000_000);
    assert.deepEqual(doc.openOrders, []);
  });

  test('preview --gateway captures over TCP, plans, and adds what-if margin and commission per order', async () => {
    const r = await ironvix(withEnvFile(['preview', '--gateway', '--json']), env);
    assert.equal(r.code, 0, r.stderr);
    const doc = planJsonSchema.parse(JSON.parse(r.stdout));
    assert.equal(doc.plan.cycleDate, '2026-03-16');
    assert.ok(doc.plan.orders.length > 0, 'the simulated day trades');
    assert.ok(doc.whatIf !== undefined);
    assert.deepEqual(
      doc.whatIf.orders.map((o) => o.key),
      doc.plan.orders.map((o) => o.key),
    );
    for (const o of doc.whatIf.orders) assert.equal(o.kind, 'margin', `${o.key}: ${o.text ?? ''}`);
    assert.equal(
      doc.whatIf.initMarginChangeCents,
      doc.whatIf.orders.reduce((s, o) => s + (o.initMarginChangeCents ?? 0), 0),
    );
    // Nothing was sent: the account still has no open order.
    const status = JSON.parse((await ironvix(withEnvFile(['status', '--json']), env)).stdout) as {
      openOrders: unknown[];
      executions: unknown[];
    };
    assert.deepEqual([status.openOrders, status.executions], [[], []]);
  });
});

describe('gateway interlocks (in-process CLI)', () => {
  const base = { IRONVIX_LOG_LEVEL: 'silent' };
  const empty = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'ironvix-gw-'));
    const f = join(d, 'empty.env');
    writeFileSync(f, '');
    return f;
  };

  test('no gateway at the port: E_GATEWAY_UNREACHABLE, exit 3, naming host and port', async () => {
    const port = await closedPort();
    const r = await runCliCaptured(['status'], { env: { ...base, IB_PORT: String(port) }, envFile: empty() });
    assert.equal(r.code, 3);
    assert.match(
      r.stderr,
      new RegExp(`E_GATEWAY_UNREACHABLE: no gateway answers at 127\\.0\\.0\\.1:${port}`),
    );
  });

  test('paper mode with a live IB_ACCOUNT is refused before connecting: exit 4', async () => {
    const port = await closedPort();
    const r = await runCliCaptured(['status'], {
      env: { ...base, IB_PORT: String(port), IRONVIX_MODE: 'paper', IB_ACCOUNT: 'U1234567' },
      envFile: empty(),
    });
    assert.equal(r.code, 4);
    assert.match(r.stderr, /E_PAPER_LIVE_ACCOUNT: paper mode refused: account U1234567 is a live account/);
  });

  test('a gateway logged in to a live account while paper mode is configured: refused after connecting, exit 4', async () => {
    const live = await launchSimulator({
      virtualTime: true,
      startAt: '2026-03-16T15:45',
      port: 0,
      account: 'U7654321',
    });
    try {
      for (const args of [['status'], ['preview', '--gateway']]) {
        const r = await runCliCaptured(args, {
          env: { ...base, IB_PORT: String(live.port), IRONVIX_MODE: 'paper' },
          envFile: empty(),
        });
        assert.equal(r.code, 4, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          /E_PAPER_LIVE_ACCOUNT: paper mode refused: account U7654321 is a live account/,
        );
        assert.equal(r.stdout, '');
      }
      assert.equal(live.venue.openOrders({}).length, 0);
    } finally {
      await live.close();
    }
  });

  test('IB_ACCOUNT that the gateway does not manage: E_GATEWAY_ACCOUNT listing the managed accounts, exit 4', async () => {
    const sim = await launchSimulator({ virtualTime: true, startAt: '2026-03-16T15:45', port: 0 });
    try {
      const r = await runCliCaptured(['status'], {
        env: { ...base, IB_PORT: String(sim.port), IB_ACCOUNT: 'DU999' },
        envFile: empty(),
      });
      assert.equal(r.code, 4);
      assert.match(
        r.stderr,
        /E_GATEWAY_ACCOUNT: IB_ACCOUNT DU999 is not an account of the gateway .*managed: DU1234567/,
      );
    } finally {
      await sim.close();
    }
  });

  test('--gateway and --snapshot together, or neither: a usage error', async () => {
    const neither = await runCliCaptured(['preview'], { env: base, envFile: empty() });
    assert.equal(neither.code, 2);
    assert.match(neither.stderr, /E_USAGE: give exactly one of --snapshot FILE or --gateway/);
    const both = await runCliCaptured(['preview', '--gateway', '--snapshot', 'x.json'], {
      env: base,
      envFile: empty(),
    });
    assert.equal(both.code, 2);
    assert.match(both.stderr, /E_USAGE/);
  });

  test('a date outside the calendar (raised in the domain) is E_CALENDAR_RANGE with exit 2, not an internal error', async () => {
    const r = await runCliCaptured(['demo', '--at', '2150-01-05'], { env: base, envFile: empty() });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /E_CALENDAR_RANGE/);
  });
});
