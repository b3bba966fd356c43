import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { IronvixError } from '../../src/errors.ts';
import { loadSnapshot, parseSnapshot, serializeSnapshot } from '../../src/config/snapshot-file.ts';
import type { Cents, PriceCents } from '../../src/domain/money.ts';
import { get, set, unset } from './json-edit.ts';
import type { JsonDoc } from './json-edit.ts';
import type {
  AccountState,
  DailyBar,
  HeldLayer,
  MarketEvent,
  MarketSnapshot,
  OptionQuote,
  VixOptionChain,
  VxFuture,
} from '../../src/domain/snapshot.ts';
import { badInput } from './bad-input.ts';

const SRC = 'snap.json';

/** A small valid snapshot file (decimal prices), to break one field at a time. */
function sample(): JsonDoc {
  return {
    schemaVersion: 1,
    asOf: '2026-03-17T15:45:00-04:00',
    source: 'unit test',
    spx: { spot: 6000 },
    rates: { riskFree: 0.04, spxDividendYield: 0.013 },
    vix: { spot: 16.1, vix9d: 15.5, vix3m: null },
    spxw: {
      expiry: '2026-03-18',
      quotes: [
        { strike: 5900, right: 'P', bid: 3.45, ask: 3.6, iv: 0.18, delta: -0.1 },
        { strike: 6100, right: 'C', bid: 2.1, ask: 2.25, iv: 0.15, delta: 0.1, ageSeconds: 4, conId: 123456 },
      ],
    },
    vxFutures: [{ expiry: '2026-04-15', price: 17.25 }],
    vixOptions: [
      {
        expiry: '2026-04-15',
        tradingClass: 'VIX',
        futurePrice: 17.25,
        quotes: [{ strike: 20, right: 'C', bid: 0.9, ask: 0.95, iv: null, delta: null }],
      },
    ],
    history: [
      { date: '2026-03-13', spxClose: 5990.5, vixClose: 16.5, adLine: null },
      { date: '2026-03-16', spxClose: 6001.25, vixClose: 16, adLine: 1200 },
    ],
    events: [{ date: '2026-03-18', kind: 'FOMC', note: 'decision 14:00' }],
    hedgeBook: [
      {
        layerId: 'L1',
        templateId: 'A',
        kind: 'call',
        tradingClass: 'VIX',
        expiry: '2026-04-15',
        longStrike: 20,
        shortStrike: null,
        quantity: 3,
        entryPrice: 1.1,
        openedOn: '2026-03-10',
      },
      {
        layerId: 'L2',
        templateId: 'B',
        kind: 'callSpread',
        tradingClass: 'VIXW',
        expiry: '2026-04-08',
        longStrike: 22,
        shortStrike: 29,
        quantity: 2,
        entryPrice: 0.55,
        openedOn: '2026-03-11',
      },
    ],
    account: { accountId: 'DU1234567', netLiquidation: 1000000.55, availableFunds: 500000 },
  };
}

const invalid = (...parts: string[]): ((e: unknown) => boolean) => badInput('E_SNAPSHOT_INVALID', ...parts);

function breakWith(edit: (s: JsonDoc) => void): JsonDoc {
  const s = sample();
  edit(s);
  return s;
}

describe('parseSnapshot: a valid snapshot', () => {
  it('converts decimal prices to price cents and account dollars to cents', () => {
    const s = parseSnapshot(sample(), SRC);
    const put = s.spxw.quotes[0]!;
    assert.equal(put.bid, 345);
    assert.equal(put.ask, 360);
    assert.equal(s.vixOptions[0]!.quotes[0]!.bid, 90);
    assert.equal(s.hedgeBook[0]!.entryPrice, 110);
    assert.equal(s.hedgeBook[1]!.entryPrice, 55);
    assert.deepEqual(s.account, {
      accountId: 'DU1234567',
      netLiquidation: 100_000_055,
      availableFunds: 50_000_000,
    });
  });

  it('defaults ageSeconds to 0 and keeps optional fields only when given', () => {
    const s = parseSnapshot(sample(), SRC);
    assert.equal(s.spxw.quotes[0]!.ageSeconds, 0);
    assert.ok(!('conId' in s.spxw.quotes[0]!));
    assert.equal(s.spxw.quotes[1]!.conId, 123456);
    assert.equal(s.events[0]!.note, 'decision 14:00');
  });

  it('lets a crossed quote parse (the planner refuses it, not the loader)', () => {
    const s = parseSnapshot(
      breakWith((x) => {
        set(x, 'spxw.quotes[0].bid', 3.7);
      }),
      SRC,
    );
    assert.ok(s.spxw.quotes[0]!.bid > s.spxw.quotes[0]!.ask);
  });

  it('accepts a null account and a UTC timestamp', () => {
    const s = parseSnapshot(
      breakWith((x) => {
        set(x, 'account', null);
        set(x, 'asOf', '2026-03-17T19:45:00Z');
      }),
      SRC,
    );
    assert.equal(s.account, null);
  });

  it('serializes back to the same file content', () => {
    assert.deepEqual(
      serializeSnapshot(parseSnapshot(sample(), SRC)),
      breakWith((x) => {
        set(x, 'spxw.quotes[0].ageSeconds', 0);
        set(x, 'vixOptions[0].quotes[0].ageSeconds', 0);
      }),
    );
  });
});

describe('parseSnapshot: one message per problem with path, rule and value', () => {
  const cases: readonly { name: string; edit: (s: JsonDoc) => void; expect: string }[] = [
    {
      name: 'asOf without offset',
      edit: (s) => set(s, 'asOf', '2026-03-17T15:45:00'),
      expect:
        'asOf: must be an ISO timestamp with offset, e.g. 2026-03-17T15:45:00-04:00 (got "2026-03-17T15:45:00")',
    },
    {
      name: 'asOf on a day that does not exist',
      edit: (s) => set(s, 'asOf', '2026-02-30T15:45:00-05:00'),
      expect:
        'asOf: must be an ISO timestamp with offset, e.g. 2026-03-17T15:45:00-04:00 (got "2026-02-30T15:45:00-05:00")',
    },
    {
      name: 'date not YYYY-MM-DD',
      edit: (s) => set(s, 'spxw.expiry', '03/18/2026'),
      expect: 'spxw.expiry: must be a date YYYY-MM-DD (got "03/18/2026")',
    },
    {
      name: 'history out of order',
      edit: (s) => set(s, 'history', [...(get(s, 'history') as unknown[])].reverse()),
      expect:
        'history[1].date: history must be in ascending date order without repeats (previous 2026-03-16) (got "2026-03-13")',
    },
    {
      name: 'history with a repeated date',
      edit: (s) => set(s, 'history[1].date', '2026-03-13'),
      expect:
        'history[1].date: history must be in ascending date order without repeats (previous 2026-03-13) (got "2026-03-13")',
    },
    {
      name: 'negative price',
      edit: (s) => set(s, 'spxw.quotes[0].bid', -0.05),
      expect: 'spxw.quotes[0].bid: must be >= 0, <= 100000 and on the 0.01 grid (got -0.05)',
    },
    {
      name: 'price off the cent grid',
      edit: (s) => set(s, 'spxw.quotes[0].ask', 3.455),
      expect: 'spxw.quotes[0].ask: must be >= 0, <= 100000 and on the 0.01 grid (got 3.455)',
    },
    {
      name: 'price as a string',
      edit: (s) => set(s, 'vixOptions[0].quotes[0].bid', '0.90'),
      expect:
        'vixOptions[0].quotes[0].bid: must be a number >= 0, <= 100000 and on the 0.01 grid (got "0.90")',
    },
    {
      name: 'price NaN',
      edit: (s) => set(s, 'vixOptions[0].quotes[0].ask', Number.NaN),
      expect: 'vixOptions[0].quotes[0].ask: must be a number >= 0, <= 100000 and on the 0.01 grid (got NaN)',
    },
    {
      name: 'delta beyond 1',
      edit: (s) => set(s, 'spxw.quotes[0].delta', -1.2),
      expect: 'spxw.quotes[0].delta: must be from -1 to 1 or null (got -1.2)',
    },
    {
      name: 'missing iv',
      edit: (s) => unset(s, 'spxw.quotes[0].iv'),
      expect: 'spxw.quotes[0].iv: must be a number from 0 to 20 or null (missing)',
    },
    {
      name: 'bad right',
      edit: (s) => set(s, 'spxw.quotes[0].right', 'PUT'),
      expect: 'spxw.quotes[0].right: must be "C" or "P" (got "PUT")',
    },
    {
      name: 'duplicate quote',
      edit: (s) => set(s, 'spxw.quotes[1]', get(s, 'spxw.quotes[0]')),
      expect: 'spxw.quotes[1]: duplicate quote (same strike and right) (got "5900P")',
    },
    {
      name: 'zero spot',
      edit: (s) => set(s, 'spx.spot', 0),
      expect: 'spx.spot: must be > 0 and <= 100000 (got 0)',
    },
    {
      name: 'spread layer with short strike below long',
      edit: (s) => set(s, 'hedgeBook[1].shortStrike', 21),
      expect: 'hedgeBook[1].shortStrike: a call spread needs shortStrike > longStrike (22) (got 21)',
    },
    {
      name: 'spread layer without short strike',
      edit: (s) => set(s, 'hedgeBook[1].shortStrike', null),
      expect: 'hedgeBook[1].shortStrike: a call spread needs shortStrike > longStrike (22) (got null)',
    },
    {
      name: 'call layer with a short strike',
      edit: (s) => set(s, 'hedgeBook[0].shortStrike', 25),
      expect: 'hedgeBook[0].shortStrike: must be null for a call layer (got 25)',
    },
    {
      name: 'layer quantity zero',
      edit: (s) => set(s, 'hedgeBook[0].quantity', 0),
      expect: 'hedgeBook[0].quantity: must be an integer from 1 to 100000 (got 0)',
    },
    {
      name: 'layer opened after expiry',
      edit: (s) => set(s, 'hedgeBook[0].openedOn', '2026-05-01'),
      expect: 'hedgeBook[0].openedOn: must not be after expiry (2026-04-15) (got "2026-05-01")',
    },
    {
      name: 'layer with an unknown kind',
      edit: (s) => set(s, 'hedgeBook[0].kind', 'put'),
      expect: 'hedgeBook[0].kind: must be "call" or "callSpread" (got "put")',
    },
    {
      name: 'duplicate layer id',
      edit: (s) => set(s, 'hedgeBook[1].layerId', 'L1'),
      expect: 'hedgeBook[1].layerId: duplicate layerId (got "L1")',
    },
    {
      name: 'bad trading class',
      edit: (s) => set(s, 'vixOptions[0].tradingClass', 'VX'),
      expect: 'vixOptions[0].tradingClass: must be "VIX" or "VIXW" (got "VX")',
    },
    {
      name: 'unknown event kind',
      edit: (s) => set(s, 'events[0].kind', 'NFP'),
      expect: 'events[0].kind: must be "FOMC", "CPI" or "PPI" (got "NFP")',
    },
    {
      name: 'account money below a cent',
      edit: (s) => set(s, 'account.netLiquidation', 10.001),
      expect: 'account.netLiquidation: must be a whole number of cents (at most 2 decimals) (got 10.001)',
    },
    {
      name: 'unknown schema version',
      edit: (s) => set(s, 'schemaVersion', 2),
      expect: 'schemaVersion: must be 1 (the only snapshot format this version reads) (got 2)',
    },
    {
      name: 'typo in a key',
      edit: (s) => set(s, 'vix.vix9D', 15),
      expect: 'vix.vix9D: unknown key (did you mean "vix9d"?) (got 15)',
    },
    { name: 'missing section', edit: (s) => unset(s, 'rates'), expect: 'rates: must be an object (missing)' },
    // Bad input a new user produced (issue 7): each is a coded error, never a crash or an absurd order.
    {
      name: 'a held layer claiming 1e9 contracts',
      edit: (s) => set(s, 'hedgeBook[0].quantity', 1e9),
      expect: 'hedgeBook[0].quantity: must be an integer from 1 to 100000 (got 1000000000)',
    },
    {
      name: 'a price of 1e14',
      edit: (s) => set(s, 'spxw.quotes[0].ask', 1e14),
      expect: 'spxw.quotes[0].ask: must be >= 0, <= 100000 and on the 0.01 grid (got 100000000000000)',
    },
    {
      name: 'an SPX spot of 1e14',
      edit: (s) => set(s, 'spx.spot', 1e14),
      expect: 'spx.spot: must be > 0 and <= 100000 (got 100000000000000)',
    },
    {
      name: 'account money beyond a trillion dollars',
      edit: (s) => set(s, 'account.availableFunds', 1e14),
      expect:
        'account.availableFunds: must be a number of dollars from -1000000000000 to 1000000000000 (got 100000000000000)',
    },
    {
      name: 'a history bar dated after asOf (data from the future)',
      edit: (s) => set(s, 'history[1].date', '2026-03-18'),
      expect:
        'history[1].date: must not be after the cycle date 2026-03-17 (asOf): data from the future (got "2026-03-18")',
    },
    {
      name: 'a layer opened after asOf',
      edit: (s) => set(s, 'hedgeBook[0].openedOn', '2026-03-18'),
      expect:
        'hedgeBook[0].openedOn: must not be after the cycle date 2026-03-17 (asOf): data from the future (got "2026-03-18")',
    },
    {
      name: 'a VIX strike off the listed grid (18.37)',
      edit: (s) => set(s, 'vixOptions[0].quotes[0].strike', 18.37),
      expect:
        'vixOptions[0].quotes[0].strike: must be on the VIX strike grid (0.50 below 15, 1 from 15 to 200, 5 above) (got 18.37)',
    },
    {
      name: 'a held layer strike off the VIX grid',
      edit: (s) => set(s, 'hedgeBook[0].longStrike', 19.37),
      expect:
        'hedgeBook[0].longStrike: must be on the VIX strike grid (0.50 below 15, 1 from 15 to 200, 5 above) (got 19.37)',
    },
    {
      name: 'an SPXW strike off the 5-point grid',
      edit: (s) => set(s, 'spxw.quotes[0].strike', 5902),
      expect: 'spxw.quotes[0].strike: must be on the SPXW 5-point strike grid (got 5902)',
    },
    {
      name: 'terminal escape codes in a layer id',
      edit: (s) => set(s, 'hedgeBook[0].layerId', 'L1\u001b[2J\nOUTCOME: TRADE'),
      expect:
        'hedgeBook[0].layerId: must be 1-80 letters, digits, ".", "_", ":" or "-" (got "L1\\u001b[2J\\nOUTCOME: TRADE")',
    },
    {
      name: 'a source longer than 2000 characters',
      edit: (s) => set(s, 'source', 'x'.repeat(2001)),
      expect: `source: must have <= 2000 characters (got "${'x'.repeat(76)}...)`,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => parseSnapshot(breakWith(c.edit), SRC), invalid(`${SRC}: ${c.expect}`));
    });
  }
});

describe('parseSnapshot: error output is capped', () => {
  it('a bad bid on every quote lists 50 problems and "... and N more", not hundreds of lines', () => {
    const quotes = Array.from({ length: 300 }, (_, i) => ({
      strike: 5000 + 5 * i,
      right: 'P',
      bid: -1,
      ask: 1,
      iv: null,
      delta: null,
    }));
    assert.throws(
      () =>
        parseSnapshot(
          breakWith((x) => set(x, 'spxw.quotes', quotes)),
          SRC,
        ),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        const lines = e.message.split('\n');
        assert.equal(lines[0], `${SRC}: market snapshot is invalid (300 problems)`);
        assert.equal(lines.length, 1 + 50 + 1);
        assert.equal(lines.at(-1), '  ... and 250 more');
        assert.equal(e.details.length, 51, 'details are the capped lines, so nothing is printed twice');
        return true;
      },
    );
  });
});

describe('loadSnapshot', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-snapshot-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file written from serializeSnapshot', () => {
    const path = join(dir, 'ok.json');
    const snapshot = parseSnapshot(sample(), SRC);
    writeFileSync(path, JSON.stringify(serializeSnapshot(snapshot), null, 2));
    assert.deepEqual(loadSnapshot(path), snapshot);
  });

  it('a missing file is E_SNAPSHOT_UNREADABLE (exit 2)', () => {
    assert.throws(
      () => loadSnapshot(join(dir, 'missing.json')),
      (e: unknown) => e instanceof IronvixError && e.code === 'E_SNAPSHOT_UNREADABLE' && e.exitCode === 2,
    );
  });

  it('a file that is not JSON is E_SNAPSHOT_UNREADABLE with the position', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{"schemaVersion": 1,\n "asOf": }');
    assert.throws(
      () => loadSnapshot(path),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        assert.equal(e.code, 'E_SNAPSHOT_UNREADABLE');
        assert.match(e.message, /market snapshot is not valid JSON at line 2, column 10/);
        return true;
      },
    );
  });

  it('a file nested deeper than 64 levels is refused before parsing (no stack overflow)', () => {
    const path = join(dir, 'deep.json');
    writeFileSync(path, '['.repeat(200_000) + ']'.repeat(200_000));
    assert.throws(
      () => loadSnapshot(path),
      badInput(
        'E_SNAPSHOT_UNREADABLE',
        `${path}: market snapshot nests arrays or objects deeper than 64 levels`,
      ),
    );
  });

  it('a file over the size cap is refused after reading at most the cap (a wrong path like /dev/zero)', () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, `{"source": "${'x'.repeat(16 * 1024 * 1024)}"}`);
    assert.throws(
      () => loadSnapshot(path),
      badInput('E_SNAPSHOT_UNREADABLE', `${path}: market snapshot is larger than the 16 MiB limit`),
    );
  });

  it('a directory is unreadable, not a crash', () => {
    assert.throws(
      () => loadSnapshot(dir),
      badInput('E_SNAPSHOT_UNREADABLE', `${dir}: cannot read market snapshot`),
    );
  });

  it('an invalid file names its path in each problem', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(breakWith((s) => set(s, 'spx.spot', -1))));
    assert.throws(() => loadSnapshot(path), invalid(`${path}: spx.spot: must be > 0 and <= 100000 (got -1)`));
  });
});

// ---------------------------------------------------------------------------------------------
// Property: parse(serialize(x)) === x for generated snapshots, also through JSON text.

const noNegZero = (x: number): number => (Object.is(x, -0) ? 0 : x);
const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true }).map(noNegZero);
const isoDateArb = fc
  .integer({ min: 0, max: 6000 })
  .map((d) => DateTime.utc(2010, 1, 1).plus({ days: d }).toISODate()!);
const priceArb = fc.integer({ min: 0, max: 2_000_000 }).map((n) => n as PriceCents);
/** Strikes on the listed grids: SPXW every 5 points; VIX 0.50 below 15, 1 to 200, 5 above. */
const spxwStrikeArb = fc.integer({ min: 1, max: 4_000 }).map((n) => n * 5);
const vixStrikeArb = fc.oneof(
  fc.integer({ min: 1, max: 29 }).map((n) => n / 2),
  fc.integer({ min: 15, max: 199 }),
  fc.integer({ min: 40, max: 100 }).map((n) => n * 5),
);

const quoteArb = (strikeArb: fc.Arbitrary<number>): fc.Arbitrary<OptionQuote> =>
  fc
    .record({
      strike: strikeArb,
      right: fc.constantFrom('C' as const, 'P' as const),
      bid: priceArb,
      ask: priceArb,
      iv: fc.option(dbl(0, 5), { nil: null }),
      delta: fc.option(dbl(-1, 1), { nil: null }),
      ageSeconds: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100_000 }), dbl(0, 1e6)),
      conId: fc.option(fc.integer({ min: 1, max: 2 ** 31 - 1 }), { nil: undefined }),
    })
    .map(({ conId, ...q }) => (conId === undefined ? q : { ...q, conId }));

const quotesArb = (strikeArb: fc.Arbitrary<number>) =>
  fc.uniqueArray(quoteArb(strikeArb), { maxLength: 8, selector: (q) => `${q.strike}${q.right}` });

const layerArb = (layerId: string): fc.Arbitrary<HeldLayer> =>
  fc
    .record({
      templateId: fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/),
      kind: fc.constantFrom('call' as const, 'callSpread' as const),
      tradingClass: fc.constantFrom('VIX' as const, 'VIXW' as const),
      dates: fc.tuple(isoDateArb, isoDateArb),
      strikes: fc.uniqueArray(vixStrikeArb, { minLength: 2, maxLength: 2 }),
      quantity: fc.integer({ min: 1, max: 10_000 }),
      entryPrice: priceArb,
    })
    .map(({ dates, strikes, ...l }) => {
      const [openedOn, expiry] = dates[0] <= dates[1] ? dates : [dates[1], dates[0]];
      const [low, high] = [...strikes].sort((a, b) => a - b) as [number, number];
      return {
        layerId,
        templateId: l.templateId,
        kind: l.kind,
        tradingClass: l.tradingClass,
        expiry,
        longStrike: low,
        shortStrike: l.kind === 'call' ? null : high,
        quantity: l.quantity,
        entryPrice: l.entryPrice,
        openedOn,
      };
    });

const snapshotArb: fc.Arbitrary<MarketSnapshot> = fc
  .record({
    asOf: fc
      .record({
        // After every dated fact of the snapshot (those are <= 6000 days after 2010-01-01).
        date: fc
          .integer({ min: 6_001, max: 6_500 })
          .map((d) => DateTime.utc(2010, 1, 1).plus({ days: d }).toISODate()!),
        h: fc.integer({ min: 0, max: 23 }),
        m: fc.integer({ min: 0, max: 59 }),
        s: fc.option(fc.integer({ min: 0, max: 59 }), { nil: undefined }),
        offset: fc.constantFrom('-04:00', '-05:00', 'Z', '+00:00', '+05:30'),
      })
      .map(({ date, h, m, s, offset }) => {
        const pad = (n: number): string => String(n).padStart(2, '0');
        return `${date}T${pad(h)}:${pad(m)}${s === undefined ? '' : `:${pad(s)}`}${offset}`;
      }),
    source: fc.string({ maxLength: 20 }),
    spot: dbl(0.01, 20_000).filter((x) => x > 0),
    riskFree: dbl(-0.19, 0.49),
    divYield: dbl(0, 0.49),
    vix: dbl(0.01, 150).filter((x) => x > 0),
    vix9d: fc.option(
      dbl(0.01, 150).filter((x) => x > 0),
      { nil: null },
    ),
    vix3m: fc.option(
      dbl(0.01, 150).filter((x) => x > 0),
      { nil: null },
    ),
    spxwExpiry: isoDateArb,
    spxwQuotes: quotesArb(spxwStrikeArb),
    futures: fc.uniqueArray(fc.record({ expiry: isoDateArb, price: dbl(0.01, 150).filter((x) => x > 0) }), {
      maxLength: 6,
      selector: (f) => f.expiry,
    }),
    chains: fc.uniqueArray(
      fc.record({
        expiry: isoDateArb,
        tradingClass: fc.constantFrom('VIX' as const, 'VIXW' as const),
        futurePrice: dbl(0.01, 150).filter((x) => x > 0),
        quotes: quotesArb(vixStrikeArb),
      }),
      { maxLength: 3, selector: (c) => `${c.tradingClass} ${c.expiry}` },
    ),
    historyDays: fc.uniqueArray(fc.integer({ min: 0, max: 6000 }), { maxLength: 30 }),
    bars: fc.infiniteStream(
      fc.record({
        spxClose: dbl(0.01, 20_000).filter((x) => x > 0),
        vixClose: dbl(0.01, 150).filter((x) => x > 0),
        adLine: fc.option(dbl(-1e7, 1e7), { nil: null }),
      }),
    ),
    events: fc.array(
      fc
        .record({
          date: isoDateArb,
          kind: fc.constantFrom('FOMC' as const, 'CPI' as const, 'PPI' as const),
          note: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
        })
        .map(({ note, ...e }): MarketEvent => (note === undefined ? e : { ...e, note })),
      { maxLength: 4 },
    ),
    eventsCoveredThrough: fc.option(isoDateArb, { nil: undefined }),
    layerCount: fc.integer({ min: 0, max: 4 }),
    layers: fc.infiniteStream(fc.nat()),
    account: fc.option(
      fc.record({
        accountId: fc.stringMatching(/^[A-Za-z0-9]{1,10}$/),
        netLiquidation: fc.integer({ min: -1e12, max: 1e12 }).map((n) => n as Cents),
        availableFunds: fc.integer({ min: -1e12, max: 1e12 }).map((n) => n as Cents),
      }),
      { nil: null },
    ),
  })
  .chain((r) =>
    fc
      .tuple(...Array.from({ length: r.layerCount }, (_, i) => layerArb(`L${i + 1}`)))
      .map((hedgeBook): MarketSnapshot => {
        const days = [...r.historyDays].sort((a, b) => a - b);
        const barIter = r.bars[Symbol.iterator]();
        const history = days.map((d): DailyBar => {
          const bar = barIter.next().value as Omit<DailyBar, 'date'>;
          return { date: DateTime.utc(2010, 1, 1).plus({ days: d }).toISODate()!, ...bar };
        });
        return {
          schemaVersion: 1,
          asOf: r.asOf,
          source: r.source,
          spx: { spot: r.spot },
          rates: { riskFree: r.riskFree, spxDividendYield: r.divYield },
          vix: { spot: r.vix, vix9d: r.vix9d, vix3m: r.vix3m },
          spxw: { expiry: r.spxwExpiry, quotes: r.spxwQuotes },
          vxFutures: r.futures satisfies VxFuture[],
          vixOptions: r.chains satisfies VixOptionChain[],
          history,
          events: r.events,
          ...(r.eventsCoveredThrough === undefined ? {} : { eventsCoveredThrough: r.eventsCoveredThrough }),
          hedgeBook,
          account: r.account satisfies AccountState | null,
        };
      }),
  )
  // fast-check may build null-prototype records; a snapshot from JSON has plain objects.
  .map((s) => structuredClone(s));

describe('serializeSnapshot is the inverse of parseSnapshot', () => {
  it('parse(serialize(x)) equals x, also through JSON text', () => {
    fc.assert(
      fc.property(snapshotArb, (snapshot) => {
        const json = serializeSnapshot(snapshot);
        assert.deepStrictEqual(parseSnapshot(json, 'generated'), snapshot);
        assert.deepStrictEqual(parseSnapshot(JSON.parse(JSON.stringify(json)), 'generated.json'), snapshot);
      }),
      { seed: 20260317, numRuns: 200 },
    );
  });
});
