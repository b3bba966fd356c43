// The crash sweep with real processes (issue 9): `ironvix run --once --mode sim --connect` runs as a
// child process against the simulator in this process (so the simulator survives), on the
// simulator's virtual time through IRONVIX_CLOCK=gateway. The child is SIGKILLed right after its
// message k (the gateway drops the link instead of reading message k+1, and the kill follows), then
// a second `run --once` with the same journal reconciles and finishes. Every k: no orderRef placed
// under two order ids, live condor contracts never above the venue's filled hedge coverage at any
// venue event, the journal equal to the broker's reports, no plan left in flight, and the end state
// the unfaulted run's or a PARTIAL/ABORTED with its reason. `npm test` runs a deterministic spread of
// k (first, last, every order sent, a seeded sample); IRONVIX_CRASH_FULL=1 runs every k.
// Also: a second `run --once` while one is in flight refuses with E_JOURNAL_LOCKED and sends nothing.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createIbBroker } from '../../src/adapters/ib/ib-broker.ts';
import { createIbClient } from '../../src/adapters/ib/ib-client.ts';
import { LIFTED_PACING_LIMITS } from '../../src/adapters/ib/pacing.ts';
import { createSystemClock } from '../../src/adapters/clock/system-clock.ts';
import { silentLogger } from '../../src/adapters/log/silent-logger.ts';
import { openSqliteJournalReader } from '../../src/adapters/sqlite/sqlite-journal.ts';
import { orderPhase } from '../../src/domain/journal-view.ts';
import type { SimOrderView } from '../../src/sim/engine-api.ts';
import type { PlaceOrderSeen } from '../../src/sim/faults.ts';
import { ClientMsg } from '../../src/sim/protocol/message-ids.ts';
import { createRng } from '../../src/sim/rng.ts';
import { ENTRY, journalMatchesBroker } from '../app/execute-plan-rig.ts';
import { noOrderRefSentTwice } from '../support/crash-world.ts';
import { startTestSim } from '../support/sim-server.ts';
import type { TestSim } from '../support/sim-server.ts';
import { coverageViolations } from '../support/venue-coverage.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin', 'ironvix.js');
const FULL = process.env['IRONVIX_CRASH_FULL'] === '1';
/** IRONVIX_CRASH_K=135,200: only these k (to replay one). */
const ONLY = process.env['IRONVIX_CRASH_K'];
const SEED = 7;
const CLIENT_ID = 41;
/** Virtual ms per real ms once the plan executes (its 6 virtual minutes in ~4 s). */
const SPEED = 100;
const TICK_MS = 5;
/** Real time one `run --once` may take (it needs ~10 s on a loaded 2-core machine). */
const CHILD_TIMEOUT_MS = 90_000;

const debug = (...a: unknown[]): void => {
  if (process.env['IRONVIX_CRASH_DEBUG'] === '1') console.error(...a);
};

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One simulator, one data directory, and what the gateway saw of the bot. */
interface World {
  readonly t: TestSim;
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Client message ids the bot sent, the gateway clock's polls left out. */
  readonly messages: number[];
  readonly placed: PlaceOrderSeen[];
  /** Every placeOrder of the bot (what-if too) with its message number (1-based, as k counts). */
  readonly orders: { readonly at: number; readonly orderRef: string; readonly whatIf: boolean }[];
  /** The venue's orders after every order event. */
  readonly snapshots: SimOrderView[][];
  /**
   * Virtual time runs at SPEED once the bot sends its first order or resumes a plan; before, at real
   * speed: capture and pre-flight take real time, and quotes must be fresh (5 virtual s) when checked.
   */
  fast: boolean;
  close(): Promise<void>;
}

const worlds: World[] = [];
after(async () => {
  for (const w of worlds) await w.close();
});

async function world(): Promise<World> {
  const t = await startTestSim({ seed: SEED, startAt: ENTRY, limits: 'lifted' });
  const dir = mkdtempSync(join(tmpdir(), 'ironvix-crash-'));
  writeFileSync(join(dir, 'empty.env'), '');
  const strategy = join(dir, 'strategy.json');
  // The default strategy without the trend gate (as the driver tests): the simulated day trades.
  const file = JSON.parse(readFileSync(join(ROOT, 'strategies', 'alvh-default.json'), 'utf8')) as {
    sizing: Record<string, unknown>;
  };
  file.sizing['trendGateSma'] = 0;
  writeFileSync(strategy, JSON.stringify(file));
  const w: World = {
    t,
    dir,
    env: {
      IRONVIX_ENV_FILE: join(dir, 'empty.env'),
      IRONVIX_DATA_DIR: dir,
      IRONVIX_STRATEGY: strategy,
      // Its log is the failure message of a hung or failed child.
      IRONVIX_LOG_LEVEL: 'info',
      IRONVIX_CLOCK: 'gateway',
      IRONVIX_CLOCK_POLL_MS: '20',
      IB_HOST: '127.0.0.1',
      IB_PORT: String(t.port),
      IB_CLIENT_ID: String(CLIENT_ID),
    },
    messages: [],
    placed: [],
    orders: [],
    snapshots: [],
    fast: false,
    close: async () => {
      clearInterval(timer);
      stopWatch();
      stopVenue();
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const stopWatch = t.sim.faults.watch((e) => {
    if (e.type === 'incoming' && e.clientId === CLIENT_ID && e.msgId !== ClientMsg.REQ_CURRENT_TIME)
      w.messages.push(e.msgId);
    if (e.type === 'placeOrder' && e.order.clientId === CLIENT_ID)
      w.orders.push({ at: w.messages.length, orderRef: e.order.orderRef, whatIf: e.order.whatIf });
    if (e.type === 'placeOrder' && e.order.clientId === CLIENT_ID && !e.order.whatIf) {
      w.fast = true;
      w.placed.push(e.order);
    }
  });
  // The venue's orders as its order events announce them; a snapshot whenever one changes.
  const latest = new Map<string, SimOrderView>();
  const stopVenue = t.sim.venue.onEvent((e) => {
    if ((e.type !== 'openOrder' && e.type !== 'orderStatus') || e.order.request.whatIf) return;
    const key = `${e.order.request.clientId}:${e.order.request.orderId}`;
    const was = latest.get(key);
    const o = e.order;
    if (
      was !== undefined &&
      was.status === o.status &&
      was.filled === o.filled &&
      was.request.totalQuantity === o.request.totalQuantity
    )
      return;
    latest.set(key, o);
    w.snapshots.push([...latest.values()]);
  });
  const timer = setInterval(() => t.clock.advance(w.fast ? TICK_MS * SPEED : TICK_MS), TICK_MS);
  worlds.push(w);
  return w;
}

function runOnce(w: World, env: Record<string, string> = {}): { child: ChildProcess; exit: Promise<Exit> } {
  const child = spawn(
    process.execPath,
    [
      BIN,
      '--env-file',
      w.env['IRONVIX_ENV_FILE'] ?? '',
      'run',
      '--once',
      '--mode',
      'sim',
      '--connect',
      '--sim-unpaced',
      '--json',
    ],
    { cwd: ROOT, env: { ...process.env, ...w.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  // A hung child fails its test with what it logged, never the suite's time budget.
  const watchdog = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, CHILD_TIMEOUT_MS);
  let hung = false;
  const exit = new Promise<Exit>((resolve) => {
    child.once('error', (e) =>
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${String(e)}` }),
    );
    child.once('close', (code, signal) => {
      clearTimeout(watchdog);
      if (hung) stderr = `hung for ${CHILD_TIMEOUT_MS} ms; its log:\n${stderr.slice(-4000)}`;
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, exit };
}

interface Ended {
  readonly kinds: string[];
  readonly messages: number[];
  readonly orders: World['orders'];
  readonly killed: boolean;
}

/** The checks of every run, killed or not, once the last process has exited. */
async function settled(w: World): Promise<string[]> {
  const journal = openSqliteJournalReader(w.dir, 'sim');
  assert.ok(journal !== null, 'a journal was written');
  const client = createIbClient({
    host: '127.0.0.1',
    port: w.t.port,
    clientId: CLIENT_ID,
    clock: createSystemClock(),
    logger: silentLogger,
    pacing: LIFTED_PACING_LIMITS,
  });
  try {
    assert.deepEqual(journal.plansInFlight(), [], 'no plan left in flight');
    noOrderRefSentTwice(w.placed);
    const broker = createIbBroker(client);
    assert.ok((await broker.connect()).ok);
    const kinds: string[] = [];
    for (const p of journal.recentPlans(10)) {
      const record = journal.plan(p.planId);
      assert.ok(record !== null && record.end !== null, `${p.planId} ended`);
      assert.ok(record.end.reason.length > 0, 'the outcome says why');
      assert.deepEqual(coverageViolations(w.snapshots, record.plan), [], 'coverage at every venue event');
      await journalMatchesBroker({ broker, journal }, record.plan);
      const orders = journal.ordersOfPlan(p.planId);
      for (const o of orders) assert.equal(orderPhase(o), 'final');
      kinds.push(record.end.result);
    }
    return kinds;
  } finally {
    await client.close();
    journal.close();
  }
}

/** A full run --once; with `killAfter` the child is SIGKILLed right after its message killAfter, and run again. */
async function crashRun(killAfter: number | null): Promise<Ended> {
  const w = await world();
  try {
    let killed = false;
    const first = runOnce(w);
    if (killAfter !== null) {
      w.t.sim.faults.arm({
        kind: 'dropAtMessage',
        direction: 'in',
        n: killAfter + 1,
        clientId: CLIENT_ID,
        except: [ClientMsg.REQ_CURRENT_TIME],
      });
      const stop = w.t.sim.faults.watch((e) => {
        if (e.type === 'fired' && e.firing.kind === 'dropAtMessage') {
          killed = first.child.kill('SIGKILL');
          stop();
        }
      });
    }
    const exit1 = await first.exit;
    debug(
      'first',
      killAfter,
      exit1.code,
      exit1.signal,
      w.messages.length,
      /"reason": "[^"]*/.exec(exit1.stdout)?.[0],
    );
    w.t.sim.faults.clear();
    const messages = [...w.messages];
    if (!killed) {
      assert.equal(exit1.code, 0, exit1.stderr);
      return { kinds: await settled(w), messages, orders: [...w.orders], killed };
    }
    assert.equal(exit1.signal, 'SIGKILL');
    const inFlight = openSqliteJournalReader(w.dir, 'sim');
    w.fast = inFlight !== null && inFlight.plansInFlight().length > 0;
    inFlight?.close();
    const second = await runOnce(w).exit;
    debug('second', second.code, second.stdout.slice(0, 300), second.stderr.slice(0, 500));
    assert.equal(second.code, 0, second.stderr);
    const result = (JSON.parse(second.stdout) as { result: { kind: string } }).result;
    assert.ok(['executed', 'already-ran'].includes(result.kind), second.stdout);
    return { kinds: await settled(w), messages, orders: [...w.orders], killed };
  } finally {
    await w.close();
    worlds.splice(worlds.indexOf(w), 1);
  }
}

/**
 * First and last message; right after the first what-if (pre-flight under way); right after each
 * new order's submit, and right before the condor's; right after the first cancel; two seeded
 * others from pre-flight on. IRONVIX_CRASH_FULL=1: every k.
 */
function spread(run: Ended): number[] {
  const m = run.messages.length;
  if (ONLY !== undefined) return ONLY.split(',').map(Number);
  if (FULL) return Array.from({ length: m }, (_, k) => k);
  const ks = new Set<number>([0, m - 1]);
  const firstWhatIf = run.orders.find((o) => o.whatIf)?.at ?? 1;
  ks.add(firstWhatIf);
  const seen = new Set<string>();
  for (const o of run.orders) {
    if (o.whatIf || seen.has(o.orderRef)) continue;
    seen.add(o.orderRef);
    ks.add(o.at);
    if (o.orderRef.includes(':condor:')) ks.add(o.at - 1);
  }
  const cancel = run.messages.indexOf(ClientMsg.CANCEL_ORDER);
  if (cancel >= 0) ks.add(cancel + 1);
  const rng = createRng(SEED).fork('crash-spread');
  const target = Math.min(m, ks.size + 2);
  while (ks.size < target) ks.add(firstWhatIf + Math.floor(rng.next() * (m - firstWhatIf)));
  return [...ks].filter((k) => k >= 0 && k < m).sort((a, b) => a - b);
}

const unfaulted = await crashRun(null);
const ks = spread(unfaulted);

describe('run --once SIGKILLed right after message k, then run again', () => {
  it(`unfaulted: ${unfaulted.messages.length} messages, ${unfaulted.kinds.join(',')}; k in ${ks.join(' ')}`, () => {
    assert.equal(unfaulted.kinds.length, 1);
    assert.notEqual(unfaulted.kinds[0], 'ABORTED');
  });
  for (const k of ks)
    it(`killed after message ${k}`, async () => {
      const r = await crashRun(k);
      assert.ok(r.killed || k >= unfaulted.messages.length - 3, 'killed');
      for (const kind of r.kinds)
        assert.ok(kind === unfaulted.kinds[0] || kind === 'PARTIAL' || kind === 'ABORTED', kind);
    });
});

describe('a second run --once while one is in flight', () => {
  it('refuses with E_JOURNAL_LOCKED (exit 4) naming the first one, and sends nothing; the first finishes', async () => {
    const w = await world();
    try {
      let secondMessages = 0;
      const stopCount = w.t.sim.faults.watch((e) => {
        if (e.type === 'incoming' && e.clientId === CLIENT_ID + 1) secondMessages++;
      });
      const first = runOnce(w);
      // Started once the first has an order at the broker (its plan is in flight).
      const second = await new Promise<Exit>((resolve) => {
        const stop = w.t.sim.faults.watch((e) => {
          if (e.type !== 'placeOrder' || e.order.clientId !== CLIENT_ID || e.order.whatIf) return;
          stop();
          resolve(runOnce(w, { IB_CLIENT_ID: String(CLIENT_ID + 1) }).exit);
        });
      });
      assert.equal(second.code, 4, second.stderr);
      assert.match(second.stderr, new RegExp(`E_JOURNAL_LOCKED.*pid ${first.child.pid ?? ''}`));
      const exit = await first.exit;
      assert.equal(exit.code, 0, exit.stderr);
      assert.ok(
        w.placed.every((p) => p.clientId === CLIENT_ID),
        'every order came from the first run',
      );
      stopCount();
      assert.equal(secondMessages, 0, 'the second run sent the gateway nothing');
    } finally {
      await w.close();
      worlds.splice(worlds.indexOf(w), 1);
    }
  });
});
