// `npm run bench [-- names...] [-- --save-baseline]` (names: plan cli sim sim-abuse daemon journal capture
// pacing execute campaign): runs the benchmarks, prints every figure beside
// its target with a verdict and the committed baseline, and writes JSON to bench/results/ (ignored by
// git). bench/baseline.json changes only with --save-baseline.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { projectPath } from '../src/config/paths.ts';
import { benchBuildPlan } from './plan.bench.ts';
import { benchColdCli } from './cli-cold.bench.ts';
import { benchSimulator, benchSimulatorAbuse } from './sim.bench.ts';
import { benchDaemon } from './daemon.bench.ts';
import { benchJournalAppend, benchReconcile10k } from './journal.bench.ts';
import { benchCapture, benchPacing } from './capture.bench.ts';
import { benchExecutePlan } from './execute.bench.ts';
import { benchCampaign } from './campaign.bench.ts';
import type { Figure } from './figures.ts';
import { figure, targetText, verdict } from './figures.ts';

const args = process.argv.slice(2);
const saveBaseline = args.includes('--save-baseline');
const only = args.filter((a) => !a.startsWith('--'));
const want = (name: string): boolean => only.length === 0 || only.includes(name);

// The journal bench writes its fsynced journal here (ignored by git), so the directory comes first.
mkdirSync(projectPath('bench/results'), { recursive: true });
const raw: Record<string, unknown> = {};
const figures: Figure[] = [];

if (want('plan')) {
  const r = benchBuildPlan();
  raw['buildPlan'] = r;
  for (const b of r)
    figures.push(
      figure(
        `plan.buildPlan.${b.snapshot}.medianMs`,
        `buildPlan ${b.snapshot} (${b.chainQuotes} SPXW quotes), median`,
        b.buildPlan.medianMs,
        'ms',
        { atMost: b.targetMedianMs },
      ),
      figure(`plan.buildPlan.${b.snapshot}.p99Ms`, `buildPlan ${b.snapshot}, p99`, b.buildPlan.p99Ms, 'ms'),
    );
}
if (want('cli')) {
  const r = benchColdCli();
  raw['coldCli'] = r;
  figures.push(
    figure('cli.bareNode.cpuMs', '`node -e 0` CPU, median', r.bareNode.medianMs, 'ms'),
    figure('cli.preview.wallMs', 'cold `ironvix preview` wall, median', r.preview.wall.medianMs, 'ms', {
      atMost: 1500,
    }),
    figure(
      'cli.preview.cpuRatio',
      'cold `ironvix preview` CPU / `node -e 0` CPU',
      r.preview.cpuRatioToBareNode,
      'x',
      { atMost: 5 },
      'issue 8',
    ),
    figure('cli.demo.wallMs', 'cold `ironvix demo --days 1` wall, median', r.demo.wall.medianMs, 'ms'),
    figure(
      'cli.demo.cpuRatio',
      'cold `ironvix demo --days 1` CPU / `node -e 0` CPU',
      r.demo.cpuRatioToBareNode,
      'x',
    ),
  );
}
if (want('sim')) {
  const r = await benchSimulator();
  raw['simulator'] = r;
  figures.push(
    figure(
      'sim.msgsPerSecond.1client',
      'simulator request/answer messages per second, 1 client',
      r.messagesPerSecond1Client,
      'msg/s',
    ),
    figure(
      'sim.msgsPerSecond.8clients',
      'simulator messages per second, 8 clients',
      r.messagesPerSecond8Clients,
      'msg/s',
    ),
    figure(
      'sim.quoteUpdatesPerSecond',
      'quote-update messages per second to a client with 100 streams',
      r.quoteUpdates.perSecond,
      'msg/s',
    ),
    figure(
      'sim.virtualYear.wallSeconds',
      'one virtual simulator year (250 sessions), wall',
      r.virtualYear.wallSeconds,
      's',
    ),
    figure('sim.rssMiB', 'simulator benchmark RSS', r.rssMiB, 'MiB'),
  );
}

if (want('sim-abuse')) {
  const r = await benchSimulatorAbuse();
  raw['simulatorAbuse'] = r;
  const growth = (mib: number): number => Math.max(0, mib - r.baselineRssMiB);
  figures.push(
    figure('sim.abuse.baselineRssMiB', 'simulator RSS before the attacks', r.baselineRssMiB, 'MiB'),
    figure(
      'sim.abuse.emptyContractDetails.rssGrowthMiB',
      'RSS growth: 120 empty reqContractDetails from a client that never reads',
      growth(r.emptyContractDetails.rssMiB),
      'MiB',
      { atMost: 64 },
      'issue 8',
    ),
    figure(
      'sim.abuse.deafReader.peakRssGrowthMiB',
      'RSS growth, peak: 120 all-SPXW requests from a client that never reads (dropped at 16 MiB unsent)',
      growth(r.deafReader.peakRssMiB),
      'MiB',
      { atMost: 256 },
      'issue 8',
    ),
    figure(
      'sim.abuse.halfFrames.heldMiB',
      'bytes held: 1,000 connections each with a 1 MiB frame less one byte (cap 32)',
      r.halfFrames.heldMiB,
      'MiB',
      { atMost: 32 },
      'issue 8',
    ),
    figure(
      'sim.abuse.halfFrames.peakRssGrowthMiB',
      'RSS growth, peak: the 1,000 half-frame connections',
      growth(r.halfFrames.peakRssMiB),
      'MiB',
      { atMost: 256 },
      'issue 8',
    ),
  );
}

if (want('daemon')) {
  const r = await benchDaemon();
  raw['daemon'] = r;
  figures.push(
    figure(
      'daemon.idle.cpuPct',
      `\`ironvix daemon\` idle CPU between cycles (${r.processWindowMs / 1000} s window), share of one core`,
      r.processIdleCpuPct,
      '%',
      { atMost: 0.1 },
      'issue 10',
    ),
    figure('daemon.idle.rssMiB', '`ironvix daemon` RSS while idle', r.processRssMiB, 'MiB'),
    figure(
      'daemon.idleDay.cpuMs',
      `daemon in-process: CPU of one idle day (${r.heartbeatsPerDay} one-minute heartbeats, virtual clock)`,
      r.virtualIdleDayCpuMs,
      'ms',
    ),
  );
}

if (want('journal')) {
  const append = benchJournalAppend();
  const rec = benchReconcile10k();
  raw['journal'] = { append, reconcile: rec };
  figures.push(
    figure(
      'journal.append.fsyncedPerSecond',
      'journal appends per second, fsynced (an intent before its send)',
      append.fsyncedEventsPerSec,
      'events/s',
      null,
      'issue 9',
    ),
    figure(
      'journal.append.normalPerSecond',
      'journal appends per second, not fsynced (statuses, fills)',
      append.normalEventsPerSec,
      'events/s',
    ),
    figure(
      'journal.reconcile10k.medianMs',
      `reconcile of a ${rec.orders}-order journal (read view + reconcile), median`,
      rec.totalMs.medianMs,
      'ms',
      { atMost: 1000 },
      'issue 9',
    ),
  );
}

if (want('capture')) {
  const r = await benchCapture();
  raw['capture'] = r;
  figures.push(
    figure(
      'capture.tcp.wallMs',
      `snapshot capture, IB adapter over TCP to the simulator (${r.tcp.spxwQuotes} SPXW + ${r.tcp.vixQuotes} VIX quotes), best`,
      r.tcp.wallMs,
      'ms',
    ),
    figure(
      'capture.inProcess.wallMs',
      'snapshot capture in-process, same simulator, best',
      r.inProcess.wallMs,
      'ms',
    ),
    figure('capture.tcpOverInProcess', 'capture wall time, TCP / in-process', r.wallRatio, 'x'),
    figure(
      'capture.tcp.messagesToServer',
      'capture: TWS messages sent to the gateway',
      r.tcp.wire.toServer,
      'msgs',
    ),
    figure('capture.tcp.messagesToClient', 'capture: TWS messages received', r.tcp.wire.toClient, 'msgs'),
  );
}

if (want('pacing')) {
  const r = await benchPacing();
  raw['pacing'] = r;
  figures.push(
    figure(
      'pacing.capture.wallMs',
      "snapshot capture under IB's pacing (IB_PACING_LIMITS), wall",
      r.wallMs,
      'ms',
    ),
    figure(
      'pacing.maxMessagesInAnySecond',
      'most messages the gateway received in any one second (wire)',
      r.maxMessagesInAnySecond,
      'msgs',
      { atMost: 49 },
      'issue 8: IB allows 50/s',
    ),
    figure(
      'pacing.maxHistoricalInTenMinutes',
      'most historical-data requests the gateway received in any 10 minutes (wire)',
      r.maxHistoricalInAnyTenMinutes,
      'reqs',
      { atMost: 60 },
      'issue 8: IB allows 60',
    ),
    figure('pacing.errors', 'pacing errors the gateway answered (100, 420)', r.pacingErrors, 'errors', {
      atMost: 0,
    }),
  );
}

if (want('execute')) {
  const runs = [await benchExecutePlan(0), await benchExecutePlan(50)];
  raw['execute'] = runs;
  const [at0, at50] = runs;
  if (at0 === undefined || at50 === undefined) throw new Error('bench: execute runs missing');
  const rtt = at50.roundTripMs;
  for (const r of runs) {
    const rt = `${r.roundTripMs} ms round trip`;
    figures.push(
      figure(
        `execute.rtt${r.roundTripMs}.allAckedMs`,
        `plan start -> all ${r.orders} orders acknowledged, ${rt}`,
        r.allAckedMs,
        'ms',
      ),
      figure(
        `execute.rtt${r.roundTripMs}.endMs`,
        `plan start -> plan end (${r.outcome}, ${r.virtualSeconds} virtual s), ${rt}`,
        r.completeMs,
        'ms',
      ),
    );
  }
  // Round trips on the critical path: what 50 ms of round trip added, in round trips.
  const taken = (ms50: number, ms0: number): number => (ms50 - ms0) / rtt;
  figures.push(
    figure(
      'execute.roundTripsVsLeast.acked',
      `round trips taken to all acknowledged / least needed (${at50.minRoundTripsToAcked})`,
      taken(at50.allAckedMs, at0.allAckedMs) / at50.minRoundTripsToAcked,
      'x',
      { atMost: 1.5 },
      'issue 9',
    ),
    figure(
      'execute.roundTripsVsLeast.end',
      `round trips taken to plan end / least needed (${at50.minRoundTripsToComplete})`,
      taken(at50.completeMs, at0.completeMs) / at50.minRoundTripsToComplete,
      'x',
      { atMost: 1.5 },
      'issue 9',
    ),
    figure(
      'execute.rtt50.acked.wallOverLeastRoundTrips',
      'all acknowledged at 50 ms: wall / (least round trips x 50 ms), pacing and processing included',
      at50.allAckedMs / (at50.minRoundTripsToAcked * rtt),
      'x',
    ),
    figure('execute.messagesToServer', 'TWS messages sent per plan', at50.messagesToServer, 'msgs'),
    figure('execute.messagesToClient', 'TWS messages received per plan', at50.messagesToClient, 'msgs'),
  );
}

if (want('campaign')) {
  const r = await benchCampaign();
  raw['campaign'] = r;
  figures.push(
    figure(
      'campaign.252.wallMs',
      `a ${r.days}-day campaign (daemon, simulator over TCP, real executor, SQLite journal), wall`,
      r.wallMs,
      'ms',
      { atMost: 120_000 },
      'issue 10',
    ),
    figure('campaign.252.cpuMs', `the ${r.days}-day campaign, CPU`, r.cpuMs, 'ms'),
    figure('campaign.rssMiB.day20', 'campaign RSS after day 20', r.rssMiBAtDay20, 'MiB'),
    figure('campaign.rssMiB.day252', `campaign RSS after day ${r.days}`, r.rssMiBAtEnd, 'MiB'),
    figure(
      'campaign.rssGrowth.day20to252',
      `campaign RSS growth from day 20 to day ${r.days} (flat memory)`,
      r.rssMiBAtEnd / r.rssMiBAtDay20,
      'x',
      { atMost: 1.25 },
      'issue 10',
    ),
    figure('campaign.heapMiB.day20', 'campaign JS heap in use after day 20', r.heapMiBAtDay20, 'MiB'),
    figure('campaign.heapMiB.day252', `campaign JS heap in use after day ${r.days}`, r.heapMiBAtEnd, 'MiB'),
    figure('campaign.peakRssMiB', 'campaign peak RSS (the whole bench process)', r.peakRssMiB, 'MiB'),
  );
}

const baselineFile = projectPath('bench/baseline.json');
const baseline = new Map<string, number>();
if (existsSync(baselineFile)) {
  const b = JSON.parse(readFileSync(baselineFile, 'utf8')) as { figures?: readonly Figure[] };
  for (const f of b.figures ?? []) baseline.set(f.id, f.value);
}

const rows = figures.map((f) => {
  const base = baseline.get(f.id);
  return [
    verdict(f),
    f.label,
    `${f.value} ${f.unit}`,
    targetText(f.target),
    base === undefined ? '' : `${base} ${f.unit}`,
  ];
});
const widths = [7, 0, 0, 0, 0].map((w, i) => Math.max(w, ...rows.map((r) => (r[i] ?? '').length)));
const line = (cells: readonly string[]): string =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd();
console.log(line(['verdict', 'figure', 'value', 'target', 'baseline']));
for (const r of rows) console.log(line(r));

const results = {
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  },
  when: new Date().toISOString(),
  figures,
  raw,
};
const dir = projectPath('bench/results');
mkdirSync(dir, { recursive: true });
const file = `${dir}/bench-${results.when.replaceAll(':', '-')}.json`;
writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
writeFileSync(`${dir}/latest.json`, JSON.stringify(results, null, 2) + '\n');
console.log(`wrote ${file}`);
if (saveBaseline) {
  writeFileSync(baselineFile, JSON.stringify(results, null, 2) + '\n');
  console.log(`saved the baseline ${baselineFile}`);
}
const failed = figures.filter((f) => verdict(f) === 'FAIL');
if (failed.length > 0)
  console.log(`${failed.length} figure(s) miss their target: ${failed.map((f) => f.id).join(', ')}`);
