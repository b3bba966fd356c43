import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliCaptured } from '../support/cli-harness.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ironvix-cli-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

test('a missing snapshot file is a bad-input error with code, action and exit code 2', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', join(tmp, 'nope.json')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /error E_SNAPSHOT_UNREADABLE/);
  assert.match(r.stderr, /action: /);
  assert.equal(r.stdout, '');
});

test('a snapshot that is not JSON names the problem', async () => {
  const r = await runCliCaptured(['preview', '--snapshot', write('broken.json', '{"schemaVersion": 1,')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_SNAPSHOT_UNREADABLE/);
});

test('a snapshot with a negative bid names the field', async () => {
  const good = JSON.parse(readFileSync('test/fixtures/snapshots/calm.json', 'utf8')) as {
    spxw: { quotes: { bid: number }[] };
  };
  const first = good.spxw.quotes[0];
  assert.ok(first);
  first.bid = -1;
  const r = await runCliCaptured(['preview', '--snapshot', write('neg.json', JSON.stringify(good))]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_SNAPSHOT_INVALID/);
  assert.match(r.stderr, /spxw\.quotes\[0\]\.bid/);
  assert.match(r.stderr, /got -1/);
});

test('a strategy with an out-of-range field fails with the field, the value and exit 2', async () => {
  const s = JSON.parse(readFileSync('strategies/alvh-default.json', 'utf8')) as {
    condor: { targetDelta: number };
  };
  s.condor.targetDelta = 0.7;
  const file = write('bad-strategy.json', JSON.stringify(s));
  const r = await runCliCaptured([
    'preview',
    '--snapshot',
    'test/fixtures/snapshots/calm.json',
    '--strategy',
    file,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /E_STRATEGY_INVALID/);
  assert.match(r.stderr, /condor\.targetDelta/);
  assert.match(r.stderr, /0\.7/);
});

test('unknown options and missing required options are usage errors (exit 2)', async () => {
  const a = await runCliCaptured(['preview']);
  assert.equal(a.code, 2);
  assert.match(a.stderr, /E_USAGE/);
  const b = await runCliCaptured(['preview', '--snapshot', 'x.json', '--bogus']);
  assert.equal(b.code, 2);
  const c = await runCliCaptured(['no-such-command']);
  assert.equal(c.code, 2);
});

test('--help works on the program and on every command', async () => {
  const top = await runCliCaptured(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /Exit codes:/);
  for (const cmd of ['preview', 'demo', 'sim']) {
    const r = await runCliCaptured([cmd, '--help']);
    assert.equal(r.code, 0, `${cmd} --help`);
    assert.match(r.stdout, new RegExp(`Usage: ironvix ${cmd}`));
  }
});

test('a broken environment variable stops preview with E_CONFIG_INVALID and exit 2', async () => {
  const before = process.env['IB_PORT'];
  process.env['IB_PORT'] = 'abc';
  try {
    const r = await runCliCaptured(['preview', '--snapshot', 'test/fixtures/snapshots/calm.json']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_CONFIG_INVALID/);
    assert.match(r.stderr, /IB_PORT/);
    assert.equal(r.stdout, '', 'no partial plan is printed');
  } finally {
    if (before === undefined) delete process.env['IB_PORT'];
    else process.env['IB_PORT'] = before;
  }
});

// Bad input a new user tried (issue 7). Each is a coded error with exit 2, or a "no trade" with
// its reason: never a crash (exit 1), never an absurd order.
describe('bad input to preview', () => {
  const calm = (): Record<string, unknown> =>
    JSON.parse(readFileSync('test/fixtures/snapshots/calm.json', 'utf8')) as Record<string, unknown>;
  const preview = (snapshot: string, ...more: string[]) =>
    runCliCaptured(['preview', '--snapshot', snapshot, ...more]);
  const edited = (name: string, edit: (s: Record<string, unknown>) => void): string => {
    const s = calm();
    edit(s);
    return write(name, JSON.stringify(s));
  };

  it('a held layer claiming 1e9 contracts is refused, not sold back 999,999,890 times', async () => {
    const file = edited('huge-layer.json', (s) => {
      s['hedgeBook'] = [
        {
          layerId: 'BIG',
          templateId: 'A',
          kind: 'call',
          tradingClass: 'VIX',
          expiry: '2026-03-18',
          longStrike: 19,
          shortStrike: null,
          quantity: 1e9,
          entryPrice: 0.5,
          openedOn: '2026-02-10',
        },
      ];
    });
    const r = await preview(file);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /E_SNAPSHOT_INVALID[\s\S]*hedgeBook\[0\]\.quantity: must be an integer from 1 to 100000 \(got 1000000000\)/,
    );
    assert.equal(r.stdout, '');
  });

  it('a price of 1e14 and a maxRiskPerCycle of 1e14 are coded errors, not stack traces', async () => {
    const r = await preview(edited('price.json', (s) => (s['spx'] = { spot: 1e14 })));
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_SNAPSHOT_INVALID[\s\S]*spx\.spot: must be > 0 and <= 100000/);
    assert.doesNotMatch(r.stderr, /E_INTERNAL| {4}at /);
    const strategy = JSON.parse(readFileSync('strategies/alvh-default.json', 'utf8')) as {
      condor: { maxRiskPerCycle: number };
    };
    strategy.condor.maxRiskPerCycle = 1e14;
    const s = await preview(
      'test/fixtures/snapshots/calm.json',
      '--strategy',
      write('risk.json', JSON.stringify(strategy)),
    );
    assert.equal(s.code, 2);
    assert.match(s.stderr, /E_STRATEGY_INVALID[\s\S]*condor\.maxRiskPerCycle: must be > 0 and <= 100000000/);
  });

  it('deeply nested JSON is refused without a stack overflow (snapshot and strategy)', async () => {
    const deep = write('deep.json', '['.repeat(100_000) + ']'.repeat(100_000));
    const r = await preview(deep);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /E_SNAPSHOT_UNREADABLE[\s\S]*nests arrays or objects deeper than 64 levels/);
    const s = await preview('test/fixtures/snapshots/calm.json', '--strategy', deep);
    assert.equal(s.code, 2);
    assert.match(s.stderr, /E_STRATEGY_UNREADABLE[\s\S]*deeper than 64 levels/);
  });

  it('--snapshot /dev/zero stops at the size limit instead of eating memory', async () => {
    if (!existsSync('/dev/zero')) return;
    const r = await preview('/dev/zero');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /E_SNAPSHOT_UNREADABLE: \/dev\/zero: market snapshot is larger than the 16 MiB limit/,
    );
  });

  it('a bad bid on every quote prints at most 50 problems and "... and N more"', async () => {
    const file = edited('bids.json', (s) => {
      for (const q of (s['spxw'] as { quotes: { bid: number }[] }).quotes) q.bid = -1;
    });
    const r = await preview(file);
    assert.equal(r.code, 2);
    const problems = r.stderr.split('\n').filter((l) => /spxw\.quotes\[\d+\]\.bid/.test(l));
    assert.equal(problems.length, 50);
    assert.match(r.stderr, /\.\.\. and \d+ more/);
    assert.ok(r.stderr.split('\n').length < 60, `${r.stderr.split('\n').length} lines`);
  });

  it('an asOf of 17:30 New York is "market closed: nothing would be sent", exit 0, no order', async () => {
    const file = edited('late.json', (s) => (s['asOf'] = '2026-02-18T17:30:00-05:00'));
    const r = await preview(file);
    assert.equal(r.code, 0);
    assert.match(
      r.stdout,
      /OUTCOME: NO TRADE \(market-closed\): market closed: nothing would be sent \(orders would be worked until 17:38, after the 16:00 close\)/,
    );
    assert.match(r.stdout, /== Order tickets[^\n]*\n\(no orders\)/);
  });

  it('history and openedOn dated after asOf are data from the future: refused', async () => {
    const r = await preview(
      edited('future.json', (s) => {
        const h = s['history'] as { date: string }[];
        h[h.length - 1]!.date = '2026-02-19';
      }),
    );
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /history\[299\]\.date: must not be after the cycle date 2026-02-18 \(asOf\): data from the future/,
    );
  });

  it('terminal escape codes in the source reach the screen only as visible escapes', async () => {
    const file = edited(
      'escape.json',
      (s) => (s['source'] = 'x\u001b[2J\u001b[31m\nOUTCOME: TRADE 99 condor(s)\u009b'),
    );
    const r = await preview(file);
    assert.equal(r.code, 0);
    const controls = [...r.stdout].filter((c) => {
      const code = c.charCodeAt(0);
      return (code < 0x20 && c !== '\n') || (code >= 0x7f && code <= 0x9f);
    });
    assert.deepEqual(controls, [], 'no control character in the output');
    assert.equal(
      r.stdout.split('\n').filter((l) => l.startsWith('OUTCOME:')).length,
      1,
      'no faked OUTCOME line',
    );
    assert.match(r.stdout, /x\\u001b\[2J\\u001b\[31m\\u000aOUTCOME: TRADE 99 condor\(s\)\\u009b/);
  });

  it('a VIX strike off the listed grid (18.37) is refused, never ordered', async () => {
    const file = edited('grid.json', (s) => {
      const chain = (s['vixOptions'] as { quotes: { strike: number }[] }[])[0]!;
      chain.quotes[0]!.strike = 18.37;
    });
    const r = await preview(file);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /vixOptions\[0\]\.quotes\[0\]\.strike: must be on the VIX strike grid .* \(got 18\.37\)/,
    );
  });
});
