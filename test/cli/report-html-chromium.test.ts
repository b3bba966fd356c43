// The HTML report in a real headless Chromium (Debian's package): the page loads from a file with
// no network, the browser's DOM holds the four charts with their drawn series, and a screenshot is
// saved. Skipped, with its reason, where chromium is not installed (apt-get install -y chromium).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { renderReportHtml } from '../../src/cli/render/report-html.ts';
import type { CampaignRun } from './report-rig.ts';
import { bookReportOf, chromium, findChromium, runCycles, runTo } from './report-rig.ts';

const bin = findChromium();
const skip = bin === null ? 'chromium is not installed (apt-get install -y chromium)' : false;

describe('the HTML report in headless Chromium', { skip }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ironvix-chromium-'));
  let run: CampaignRun;
  let page: string;
  before(async () => {
    run = await runCycles(3);
    runTo(run.rig, '2026-03-19', 17 * 60);
    const report = bookReportOf(run);
    page = join(tmp, 'report.html');
    writeFileSync(
      page,
      renderReportHtml(report, {
        mode: 'sim',
        journal: 'memory',
        from: null,
        to: null,
        asOf: '2026-03-19T21:00:00Z',
      }),
    );
  });
  after(async () => {
    await run.rig.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the four charts with their series in the DOM and saves a screenshot', () => {
    assert.ok(bin !== null);
    const dom = chromium(bin, join(tmp, 'profile'), ['--dump-dom', pathToFileURL(page).href]);
    for (const id of ['equity', 'condor-vs-hedge', 'coverage', 'vix-signals'])
      assert.match(dom, new RegExp(`<svg [^>]*data-chart="${id}"`), `chart ${id} in the browser's DOM`);
    for (const s of ['net P&amp;L', 'condor', 'hedge', 'coverage', 'target', 'VIX'])
      assert.match(dom, new RegExp(`<path d="M[^"]+" [^>]*data-series="${s}"`), `series ${s} drawn`);
    const shot = join(tmp, 'report.png');
    chromium(bin, join(tmp, 'profile'), [
      '--window-size=1000,1400',
      `--screenshot=${shot}`,
      pathToFileURL(page).href,
    ]);
    const png = readFileSync(shot);
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.ok(statSync(shot).size > 20_000, `a drawn page, not a blank one (${statSync(shot).size} bytes)`);
  });
});
