// The one snapshot builder over MarketDataQuery: what it asks for, how it prices, and that a failure
// anywhere gives no snapshot at all (with the data that was missing), never a half one.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { captureSnapshot, spxwStrikeBand } from '../../src/app/capture-snapshot.ts';
import type { CaptureOptions } from '../../src/app/capture-snapshot.ts';
import { loadCalendarData } from '../../src/config/calendar-file.ts';
import { createNyseCalendar, tradingTimeToExpiry } from '../../src/domain/calendar.ts';
import type { IndexSymbol, OptionContract } from '../../src/domain/instruments.ts';
import { cents, priceCents } from '../../src/domain/money.ts';
import { black76, blackScholes } from '../../src/domain/pricing.ts';
import { err, ok } from '../../src/domain/result.ts';
import type { HeldLayer } from '../../src/domain/snapshot.ts';
import type { BrokerFailure, BrokerResult } from '../../src/ports/broker.ts';
import type {
  DailyClose,
  MarketDataQuery,
  OptionChainDefinition,
  OptionMarketQuote,
} from '../../src/ports/market-data.ts';

const calendar = createNyseCalendar(loadCalendarData());
const AS_OF = '2026-03-16T15:45:00-04:00';
const AS_OF_MS = DateTime.fromISO(AS_OF).toMillis();
const SPX = 6000;
const VIX = 16;
const RATES = { riskFree: 0.04, spxDividendYield: 0.013 };
const SPX_VOL = 0.15;
const VIX_VOL = 1.1;
const SPXW_EXPIRY = '2026-03-17';
const VIX_MONTHLY = '2026-04-15';
const VIXW = '2026-04-08';
const FUTURE = 18.25;
const WEEKLY_UNDERLYING = 17.9;

interface FakeOptions {
  readonly fail?: Partial<Record<keyof MarketDataQuery, BrokerFailure>>;
  /** Contracts every optionQuotes call asked for, in order. */
  readonly asked?: OptionContract[][];
}

const cents2 = (x: number): ReturnType<typeof priceCents> => priceCents(Math.round(x * 100));

function spxwQuote(c: OptionContract): OptionMarketQuote {
  const t = tradingTimeToExpiry(calendar, AS_OF, c.expiry, 'PM');
  const fair = blackScholes({
    spot: SPX,
    strike: c.strike,
    timeYears: t,
    rate: RATES.riskFree,
    dividendYield: RATES.spxDividendYield,
    right: c.right,
    vol: SPX_VOL,
  }).price;
  // A one-cent-wide market around fair value, so the solved IV is the model's to a few bp.
  const bid = Math.max(0, Math.floor(fair * 100 - 0.5));
  return {
    contract: c,
    conId: c.strike * 10 + (c.right === 'C' ? 1 : 2),
    bid: priceCents(bid),
    ask: priceCents(bid + 1),
    underlyingPrice: SPX,
    timeMs: AS_OF_MS - 3000,
  };
}

function vixQuote(c: OptionContract): OptionMarketQuote {
  const forward = c.tradingClass === 'VIXW' ? WEEKLY_UNDERLYING : FUTURE;
  const t = tradingTimeToExpiry(calendar, AS_OF, c.expiry, 'AM');
  const fair = black76({
    forward,
    strike: c.strike,
    timeYears: t,
    rate: RATES.riskFree,
    right: 'C',
    vol: VIX_VOL,
  }).price;
  const bid = Math.max(0, Math.floor(fair * 100 - 0.5));
  return {
    contract: c,
    conId: null,
    bid: priceCents(bid),
    ask: priceCents(bid + 1),
    underlyingPrice: forward,
    timeMs: null,
  };
}

function fakeQuery(o: FakeOptions = {}): MarketDataQuery {
  const fail = <T>(k: keyof MarketDataQuery, v: T): Promise<BrokerResult<T>> => {
    const f = o.fail?.[k];
    return Promise.resolve(f === undefined ? ok(v) : err(f));
  };
  const spxStrikes = Array.from({ length: 400 }, (_, i) => 5000 + 5 * i);
  const vixStrikes = [
    10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 35, 40, 45, 50, 60,
    70, 80,
  ];
  const chains: Record<'SPX' | 'VIX', OptionChainDefinition[]> = {
    SPX: [
      {
        symbol: 'SPX',
        tradingClass: 'SPXW',
        exchange: 'SMART',
        multiplier: 100,
        expirations: [SPXW_EXPIRY, '2026-03-18'],
        strikes: spxStrikes,
      },
    ],
    VIX: [
      {
        symbol: 'VIX',
        tradingClass: 'VIX',
        exchange: 'SMART',
        multiplier: 100,
        expirations: ['2026-03-18', VIX_MONTHLY, '2026-05-20'],
        strikes: vixStrikes,
      },
      {
        symbol: 'VIX',
        tradingClass: 'VIXW',
        exchange: 'SMART',
        multiplier: 100,
        expirations: ['2026-03-25', VIXW],
        strikes: vixStrikes,
      },
    ],
  };
  const history = (symbol: IndexSymbol): DailyClose[] =>
    calendar.sessions('2025-01-02', '2026-03-16').map((date, i) => ({
      date,
      close: symbol === 'SPX' ? 5500 + i : symbol === 'VIX' ? 15 + (i % 7) : 1000 + i * 3,
    }));
  return {
    name: 'fake source',
    serverTimeMs: () => fail('serverTimeMs', AS_OF_MS),
    indexQuotes: (symbols) =>
      fail(
        'indexQuotes',
        symbols.map((symbol) => {
          const last = { SPX, VIX, VIX9D: 15.2, VIX3M: 18.1, 'AD-NYSE': null, VRO: null }[symbol];
          return { symbol, last, bid: null, ask: null, close: null, timeMs: AS_OF_MS };
        }),
      ),
    optionChains: (symbol) => fail('optionChains', chains[symbol]),
    optionQuotes: (contracts) => {
      o.asked?.push([...contracts]);
      return fail(
        'optionQuotes',
        contracts.map((c) => (c.symbol === 'SPX' ? spxwQuote(c) : vixQuote(c))),
      );
    },
    vxFutures: () =>
      fail('vxFutures', [
        { symbol: 'VIX', expiry: '2026-03-18', last: 16.4, bid: null, ask: null, close: null, timeMs: null },
        { symbol: 'VIX', expiry: VIX_MONTHLY, last: FUTURE, bid: null, ask: null, close: null, timeMs: null },
        { symbol: 'VIX', expiry: '2026-05-20', last: null, bid: 18.9, ask: 19.0, close: 18.7, timeMs: null },
      ]),
    dailyCloses: (symbol, _end, sessions) => fail('dailyCloses', history(symbol).slice(-sessions)),
    account: () =>
      fail('account', {
        accountId: 'DU1234567',
        netLiquidation: cents(10_000_000),
        availableFunds: cents(9_000_000),
        excessLiquidity: cents(9_000_000),
        buyingPower: cents(36_000_000),
        initMarginReq: cents(0),
        maintMarginReq: cents(0),
      }),
  };
}

const HELD: HeldLayer = {
  layerId: 'L-old',
  templateId: 'A',
  kind: 'callSpread',
  tradingClass: 'VIX',
  expiry: '2026-03-18',
  longStrike: 30,
  shortStrike: 45,
  quantity: 3,
  entryPrice: cents2(0.6),
  openedOn: '2026-02-10',
};

const options: CaptureOptions = {
  calendar,
  events: [{ date: '2026-03-18', kind: 'FOMC' }],
  hedgeBook: [HELD],
  rates: RATES,
  vixDteWindow: [14, 45],
};

describe('captureSnapshot', () => {
  it('takes the source clock as asOf and the next trading day as the SPXW expiry', async () => {
    const r = await captureSnapshot(fakeQuery(), options);
    assert.ok(r.ok, r.ok ? '' : r.error.detail);
    const s = r.value;
    assert.equal(s.asOf, AS_OF);
    assert.equal(s.source, 'fake source');
    assert.equal(s.spxw.expiry, SPXW_EXPIRY);
    assert.deepEqual(s.vix, { spot: VIX, vix9d: 15.2, vix3m: 18.1 });
    assert.deepEqual(s.events, options.events);
    assert.deepEqual(s.hedgeBook, [HELD]);
    assert.equal(s.account?.accountId, 'DU1234567');
    assert.equal(s.history.length, 300);
    assert.equal(s.history.at(-1)?.date, '2026-03-16');
  });

  it('asks only for SPXW strikes near spot, both rights, within the VIX-implied band', async () => {
    const asked: OptionContract[][] = [];
    const r = await captureSnapshot(fakeQuery({ asked }), options);
    assert.ok(r.ok);
    const spxw = asked.find((batch) => batch[0]?.tradingClass === 'SPXW') ?? [];
    const [lo, hi] = spxwStrikeBand(SPX, VIX, { minPct: 0.04, sigmas: 4 });
    // VIX 16: four one-day moves (4 x 16% / sqrt(252) = 4.03%) just beat the 4% floor.
    assert.ok(Math.abs(lo - 6000 * (1 - (4 * 0.16) / Math.sqrt(252))) < 1e-9);
    assert.ok(spxw.every((c) => c.strike >= lo && c.strike <= hi));
    const listedInBand = Array.from({ length: 400 }, (_, i) => 5000 + 5 * i).filter(
      (k) => k >= lo && k <= hi,
    );
    assert.equal(spxw.length, 2 * listedInBand.length);
    assert.deepEqual(new Set(spxw.map((c) => c.right)), new Set(['C', 'P']));
    // A calm VIX keeps the 4% floor; a stressed one widens the band.
    assert.equal(spxwStrikeBand(SPX, 10, { minPct: 0.04, sigmas: 4 })[0], 6000 * (1 - 0.04));
    assert.ok(spxwStrikeBand(SPX, 60, { minPct: 0.04, sigmas: 4 })[0] < lo);
  });

  it('solves every implied vol from the quote mid in trading time', async () => {
    const r = await captureSnapshot(fakeQuery(), options);
    assert.ok(r.ok);
    const atm = r.value.spxw.quotes.filter((q) => Math.abs(q.strike - SPX) <= 50);
    assert.ok(atm.length > 0);
    for (const q of atm) {
      assert.ok(q.iv !== null && Math.abs(q.iv - SPX_VOL) < 0.003, `${q.strike}${q.right} iv ${q.iv}`);
      assert.ok(q.delta !== null && (q.right === 'C' ? q.delta > 0 : q.delta < 0));
      assert.equal(q.ageSeconds, 3);
    }
    const monthly = r.value.vixOptions.find((c) => c.tradingClass === 'VIX' && c.expiry === VIX_MONTHLY);
    assert.ok(monthly);
    const near = monthly.quotes.find((q) => q.strike === 21);
    assert.ok(
      near?.iv !== undefined && near.iv !== null && Math.abs(near.iv - VIX_VOL) < 0.02,
      `iv ${near?.iv}`,
    );
  });

  it('prices a monthly off its VX future and a weekly off the underlying the source quotes', async () => {
    const r = await captureSnapshot(fakeQuery(), options);
    assert.ok(r.ok);
    const chains = r.value.vixOptions.map((c) => `${c.tradingClass} ${c.expiry} F=${c.futurePrice}`);
    assert.deepEqual(chains, [
      // The held layer's expiry is captured although it is outside the 14-45 day window.
      'VIX 2026-03-18 F=16.4',
      `VIXW ${VIXW} F=${WEEKLY_UNDERLYING}`,
      `VIX ${VIX_MONTHLY} F=${FUTURE}`,
    ]);
    const held = r.value.vixOptions[0];
    assert.ok(
      held?.quotes.some((q) => q.strike === 45),
      'the held short strike, far out, is quoted',
    );
    // The May future has no last: the mid of its quote stands in.
    assert.deepEqual(r.value.vxFutures.at(-1), { expiry: '2026-05-20', price: 18.95 });
    for (const c of r.value.vixOptions) assert.ok(c.quotes.every((q) => q.right === 'C'));
  });

  it('fails whole, naming the missing data, when any source call fails', async () => {
    const cases: [keyof MarketDataQuery, BrokerFailure, RegExp][] = [
      ['serverTimeMs', { kind: 'timeout', text: 'reqCurrentTime' }, /gateway time: no answer in time/],
      [
        'indexQuotes',
        { kind: 'error', code: 354, text: 'Requested market data is not subscribed' },
        /index quotes: IB error 354/,
      ],
      ['optionChains', { kind: 'disconnected', text: 'socket closed' }, /SPX option chains: link lost/],
      [
        'optionQuotes',
        { kind: 'error', code: 10167, text: 'delayed' },
        /SPXW 2026-03-17 quotes: IB error 10167/,
      ],
      ['vxFutures', { kind: 'timeout', text: 'VX' }, /VX futures/],
      ['account', { kind: 'disconnected', text: 'gone' }, /account: link lost/],
    ];
    for (const [k, f, re] of cases) {
      const r = await captureSnapshot(fakeQuery({ fail: { [k]: f } }), options);
      assert.ok(!r.ok, `${k} failure must fail the capture`);
      assert.match(r.error.detail, re);
      assert.deepEqual(r.error.cause, f);
    }
  });

  it('refuses a source without an SPXW expiry for the next session', async () => {
    const q = fakeQuery();
    const r = await captureSnapshot(
      {
        ...q,
        optionChains: async (s) => {
          const c = await q.optionChains(s);
          return c.ok
            ? ok(c.value.map((d) => ({ ...d, expirations: d.expirations.filter((e) => e !== SPXW_EXPIRY) })))
            : c;
        },
      },
      options,
    );
    assert.ok(!r.ok);
    assert.match(r.error.detail, /no SPXW expiry listed for 2026-03-17/);
  });
});
