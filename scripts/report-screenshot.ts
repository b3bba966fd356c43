// Regenerates docs/report-screenshot.png and docs/report-sample.html, the README's picture of
// `ironvix report --html`: 20 daily cycles against the simulator in-process (seed 7, from
// 2026-03-16, the real executor), the report as of the day after, a headless Chromium screenshot.
// Usage: npx tsx scripts/report-screenshot.ts   (needs Debian's chromium: apt-get install -y chromium)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { simCalendar } from '../src/cli/wiring/simulator.ts';
import { renderReportHtml } from '../src/cli/render/report-html.ts';
import { bookReportOf, chromium, findChromium, runCycles, runTo } from '../test/cli/report-rig.ts';

const bin = findChromium();
if (bin === null) {
  process.stderr.write('chromium is not installed: apt-get install -y chromium\n');
  process.exit(1);
}
const days = 20;
const run = await runCycles(days);
const plans = run.plans;
const last = plans[plans.length - 1]!.cycleDate;
const next = simCalendar().nextTradingDay(last);
runTo(run.rig, next, 17 * 60);
const report = bookReportOf(run);
await run.rig.stop();
const html = renderReportHtml(report, {
  mode: 'sim',
  journal: `simulator seed 7, ${days} cycles`,
  from: null,
  to: null,
  asOf: new Date(Date.parse(`${next}T21:00:00Z`)).toISOString(),
});
writeFileSync('docs/report-sample.html', html);
const tmp = mkdtempSync(join(tmpdir(), 'ironvix-shot-'));
try {
  chromium(bin, join(tmp, 'profile'), [
    '--window-size=1000,1500',
    '--screenshot=docs/report-screenshot.png',
    pathToFileURL('docs/report-sample.html').href,
  ]);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.stdout.write('wrote docs/report-sample.html and docs/report-screenshot.png\n');
