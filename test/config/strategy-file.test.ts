import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IronvixError } from '../../src/errors.ts';
import { loadStrategy, parseStrategy } from '../../src/config/strategy-file.ts';
import { projectPath } from '../../src/config/paths.ts';
import { set, unset } from './json-edit.ts';
import type { JsonDoc } from './json-edit.ts';
import { badInput } from './bad-input.ts';

const DEFAULT_FILE = projectPath('strategies', 'alvh-default.json');
const SRC = 'strategies/x.json';

/** A deep copy of the shipped default file, to break one field at a time. */
function defaults(): JsonDoc {
  return JSON.parse(readFileSync(DEFAULT_FILE, 'utf8')) as JsonDoc;
}

const invalid = (...parts: string[]): ((e: unknown) => boolean) => badInput('E_STRATEGY_INVALID', ...parts);

function breakWith(edit: (s: JsonDoc) => void): JsonDoc {
  const s = defaults();
  edit(s);
  return s;
}

describe('the shipped default strategy', () => {
  it('loads, with money converted from dollars to cents', () => {
    const s = loadStrategy(DEFAULT_FILE);
    assert.equal(s.name, 'alvh-default');
    assert.equal(s.version, 1);
    assert.equal(s.condor.maxRiskPerCycle, 1_000_000);
    assert.equal(s.condor.maxLegSpread, 50);
    assert.equal(s.hedge.maxLegSpread, 30);
    assert.equal(s.sizing.maxHedgePremiumPerCycle, 500_000);
    assert.deepEqual(s.entry, { time: '15:45', earlyCloseMinutesBefore: 15 });
    assert.deepEqual(s.condor.wingWidth, { mode: 'pctOfSpot', pct: 0.004, roundToPoints: 5, minPoints: 5 });
    assert.equal(s.condor.eventPolicy, 'upsize-hedge');
    assert.deepEqual(s.hedge.templates, [
      { id: 'A', kind: 'call', otmPoints: 3, share: 0.6, dteWindow: [14, 45], targetDte: 30 },
      {
        id: 'B',
        kind: 'callSpread',
        longOtmPoints: 5,
        shortOtmPoints: 12,
        share: 0.4,
        dteWindow: [14, 45],
        targetDte: 30,
      },
    ]);
    assert.deepEqual(s.hedge.tradingClasses, ['VIX', 'VIXW']);
    assert.deepEqual(s.sizing.termBeta, { coefficient: 0.6, refDte: 30, cap: 1 });
    assert.deepEqual(s.sizing.trim, { enabled: true, trimAbove: 2, trimTo: 1.25 });
    // The trend gate is on by default: a 50-session average, no condor below it.
    assert.equal(s.sizing.trendGateSma, 50);
    assert.equal(s.sizing.trendGateQtyFactor, 0);
    assert.equal(s.signals.event.calendarGapPolicy, 'treat-as-event');
    // Commissions in cents per contract (IB's published SPX and VIX option rates, strategies/README.md).
    assert.deepEqual(s.commissions, { spxOptionPerContract: 132, vixOptionPerContract: 124 });
    assert.deepEqual(s.signals.macd, {
      enabled: true,
      factor: 1.25,
      fast: 12,
      slow: 26,
      signal: 9,
      risingDays: 3,
      divergenceRecent: 5,
      divergencePrior: 15,
    });
    assert.deepEqual(s.signals.macro, { enabled: false, factor: 1, note: '' });
    assert.deepEqual(s.execution.hedgeLadder, { steps: 4, intervalSeconds: 20, deadlineMinutes: 6 });
    assert.deepEqual(s.execution.condorLadder, { steps: 5, intervalSeconds: 20, deadlineMinutes: 8 });
    assert.ok(!('$schema' in s), 'the editor key is not part of the config');
  });

  it('writes out exactly the schema defaults: a file with only a name parses to the same config', () => {
    const file = loadStrategy(DEFAULT_FILE);
    const minimal = parseStrategy({ name: 'alvh-default', description: file.description }, 'minimal.json');
    assert.deepEqual(minimal, file);
  });

  it('accepts a fixed wing width and converts a custom dollar cap', () => {
    const s = parseStrategy(
      breakWith((x) => {
        set(x, 'condor.wingWidth', { mode: 'points', points: 25 });
        set(x, 'condor.maxRiskPerCycle', 2500.5);
      }),
      SRC,
    );
    assert.deepEqual(s.condor.wingWidth, { mode: 'points', points: 25 });
    assert.equal(s.condor.maxRiskPerCycle, 250_050);
  });

  it('takes a money cap as a share of net liquidation (docs/strategy.md section 1, "Max loss and caps")', () => {
    const s = parseStrategy(
      breakWith((x) => {
        set(x, 'condor.maxRiskPerCycle', { pctOfNetLiq: 0.02 });
        set(x, 'sizing.maxHedgePremiumPerCycle', { pctOfNetLiq: 0.005 });
      }),
      SRC,
    );
    assert.deepEqual(s.condor.maxRiskPerCycle, { pctOfNetLiq: 0.02 });
    assert.deepEqual(s.sizing.maxHedgePremiumPerCycle, { pctOfNetLiq: 0.005 });
  });
});

describe('unreadable strategy files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-strategy-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a missing file is E_STRATEGY_UNREADABLE naming the path', () => {
    const path = join(dir, 'nope.json');
    assert.throws(
      () => loadStrategy(path),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        assert.equal(e.code, 'E_STRATEGY_UNREADABLE');
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /nope\.json/);
        assert.match(e.message, /no such file/);
        return true;
      },
    );
  });

  it('a file that is not JSON is E_STRATEGY_UNREADABLE with the line and column', () => {
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{\n  "name": "x",\n  "version": 1,,\n}\n');
    assert.throws(
      () => loadStrategy(path),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        assert.equal(e.code, 'E_STRATEGY_UNREADABLE');
        assert.equal(e.exitCode, 2);
        assert.match(e.message, /broken\.json: strategy file is not valid JSON at line 3, column 16/);
        return true;
      },
    );
  });

  it('an invalid file read from disk names the file in each problem line', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(breakWith((x) => set(x, 'condor.targetDelta', 0.7))));
    assert.throws(
      () => loadStrategy(path),
      invalid(`${path}: condor.targetDelta: must be > 0 and < 0.5 (got 0.7)`),
    );
  });
});

describe('strategy validation: one message per problem with path, rule and value', () => {
  const cases: readonly { name: string; edit: (s: JsonDoc) => void; expect: string }[] = [
    {
      name: 'targetDelta above range',
      edit: (s) => set(s, 'condor.targetDelta', 0.7),
      expect: 'condor.targetDelta: must be > 0 and < 0.5 (got 0.7)',
    },
    {
      name: 'targetDelta zero',
      edit: (s) => set(s, 'condor.targetDelta', 0),
      expect: 'condor.targetDelta: must be > 0 and < 0.5 (got 0)',
    },
    {
      name: 'number given as string',
      edit: (s) => set(s, 'condor.maxCondors', '10'),
      expect: 'condor.maxCondors: must be an integer >= 1 and <= 1000 (got "10")',
    },
    {
      name: 'non-integer count',
      edit: (s) => set(s, 'condor.maxCondors', 2.5),
      expect: 'condor.maxCondors: must be an integer >= 1 and <= 1000 (got 2.5)',
    },
    {
      name: 'dollars below a cent',
      edit: (s) => set(s, 'condor.maxLegSpread', 0.505),
      expect: 'condor.maxLegSpread: must be a whole number of cents (at most 2 decimals) (got 0.505)',
    },
    {
      name: 'negative risk cap',
      edit: (s) => set(s, 'condor.maxRiskPerCycle', -1),
      expect: 'condor.maxRiskPerCycle: must be > 0 and <= 100000000 (got -1)',
    },
    {
      name: 'a risk cap of 1e14 dollars (issue 7: it crashed with a stack trace)',
      edit: (s) => set(s, 'condor.maxRiskPerCycle', 1e14),
      expect: 'condor.maxRiskPerCycle: must be > 0 and <= 100000000 (got 100000000000000)',
    },
    {
      name: 'a risk cap share of net liquidation above 1',
      edit: (s) => set(s, 'condor.maxRiskPerCycle', { pctOfNetLiq: 1.5 }),
      expect: 'condor.maxRiskPerCycle.pctOfNetLiq: must be > 0 and <= 1 (got 1.5)',
    },
    {
      name: 'a cash guard share given under a wrong key',
      edit: (s) => set(s, 'sizing.maxHedgePremiumPerCycle', { pct: 0.01 }),
      expect: 'sizing.maxHedgePremiumPerCycle',
    },
    {
      name: 'a risk cap given as a string',
      edit: (s) => set(s, 'condor.maxRiskPerCycle', '2%'),
      expect: 'condor.maxRiskPerCycle: does not match any allowed form (got "2%")',
    },
    {
      name: 'a trend gate average of 1 session',
      edit: (s) => set(s, 'sizing.trendGateSma', 1),
      expect: 'sizing.trendGateSma: must be 0 (gate off) or at least 2 (got 1)',
    },
    {
      name: 'a trend gate factor above 1',
      edit: (s) => set(s, 'sizing.trendGateQtyFactor', 1.5),
      expect: 'sizing.trendGateQtyFactor: must be >= 0 and <= 1 (got 1.5)',
    },
    {
      name: 'unknown event policy',
      edit: (s) => set(s, 'condor.eventPolicy', 'double'),
      expect: 'condor.eventPolicy: must be "skip", "normal" or "upsize-hedge" (got "double")',
    },
    {
      name: 'unknown wing mode',
      edit: (s) => set(s, 'condor.wingWidth', { mode: 'pct' }),
      expect: 'condor.wingWidth.mode: must have mode "pctOfSpot" or "points" (got "pct")',
    },
    {
      name: 'points mode without points',
      edit: (s) => set(s, 'condor.wingWidth', { mode: 'points' }),
      expect: 'condor.wingWidth.points: must be an integer >= 1 and <= 500 (missing)',
    },
    {
      name: 'entry before the open',
      edit: (s) => set(s, 'entry.time', '09:00'),
      expect: 'entry.time: must be "HH:MM" (24h, New York time) from 09:30 to 16:00 (got "09:00")',
    },
    {
      name: 'entry after the close',
      edit: (s) => set(s, 'entry.time', '16:01'),
      expect: 'entry.time: must be "HH:MM" (24h, New York time) from 09:30 to 16:00 (got "16:01")',
    },
    {
      name: 'entry not HH:MM',
      edit: (s) => set(s, 'entry.time', '3:45pm'),
      expect: 'entry.time: must be "HH:MM" (24h, New York time) from 09:30 to 16:00 (got "3:45pm")',
    },
    {
      name: 'shares not summing to 1',
      edit: (s) => set(s, 'hedge.templates[0].share', 0.5),
      expect: 'hedge.templates: template shares must sum to 1 (got 0.9)',
    },
    {
      name: 'duplicate template ids',
      edit: (s) => set(s, 'hedge.templates[1].id', 'A'),
      expect: 'hedge.templates[1].id: duplicate template id (got "A")',
    },
    {
      name: 'call spread short strike not above long',
      edit: (s) => set(s, 'hedge.templates[1].shortOtmPoints', 5),
      expect: 'hedge.templates[1].shortOtmPoints: must be > longOtmPoints (5) (got 5)',
    },
    {
      name: 'unknown template kind',
      edit: (s) => set(s, 'hedge.templates[0].kind', 'put'),
      expect: 'hedge.templates[0].kind: must be a template with kind "call" or "callSpread" (got "put")',
    },
    {
      name: 'spread field on a call template',
      edit: (s) => set(s, 'hedge.templates[0].longOtmPoints', 2),
      expect: 'hedge.templates[0].longOtmPoints: unknown key',
    },
    {
      name: 'window reversed',
      edit: (s) => set(s, 'hedge.templates[0].dteWindow', [45, 14]),
      expect: 'hedge.templates[0].dteWindow: dteWindow[0] must be < dteWindow[1] (got [45,14])',
    },
    {
      name: 'targetDte outside the window',
      edit: (s) => set(s, 'hedge.templates[0].targetDte', 50),
      expect: 'hedge.templates[0].targetDte: must be within dteWindow [14, 45] (got 50)',
    },
    {
      name: 'window starting inside the roll zone',
      edit: (s) => set(s, 'hedge.templates[0].dteWindow', [5, 45]),
      expect:
        'hedge.templates[0].dteWindow: dteWindow[0] must be > hedge.minHedgeDte (7), or a new layer is rolled at once (got [5,45])',
    },
    {
      name: 'no templates',
      edit: (s) => set(s, 'hedge.templates', []),
      expect: 'hedge.templates: must have at least 1 template (got [])',
    },
    {
      name: 'unknown trading class',
      edit: (s) => set(s, 'hedge.tradingClasses', ['VIX', 'SPX']),
      expect: 'hedge.tradingClasses[1]: must be "VIX" or "VIXW" (got "SPX")',
    },
    {
      name: 'repeated trading class',
      edit: (s) => set(s, 'hedge.tradingClasses', ['VIX', 'VIX']),
      expect: 'hedge.tradingClasses: must not repeat a trading class (got ["VIX","VIX"])',
    },
    {
      name: 'trimTo not below trimAbove',
      edit: (s) => set(s, 'sizing.trim.trimTo', 2),
      expect: 'sizing.trim.trimTo: must be < trimAbove (2) (got 2)',
    },
    {
      name: 'trimTo below the requirement',
      edit: (s) => set(s, 'sizing.trim.trimTo', 0.8),
      expect: 'sizing.trim.trimTo: must be >= 1 and <= 20 (got 0.8)',
    },
    {
      name: 'coverage clamp inverted',
      edit: (s) => set(s, 'sizing.coverageMin', 1.5),
      expect: 'sizing.coverageMin: must be < coverageMax (1.5) (got 1.5)',
    },
    {
      name: 'zero base coverage',
      edit: (s) => set(s, 'sizing.baseCoverage', 0),
      expect: 'sizing.baseCoverage: must be > 0 and <= 5 (got 0)',
    },
    {
      name: 'budget above 100%',
      edit: (s) => set(s, 'sizing.hedgeBudgetPct', 1.5),
      expect: 'sizing.hedgeBudgetPct: must be > 0 and <= 1 (got 1.5)',
    },
    {
      name: 'MACD slow not above fast',
      edit: (s) => set(s, 'signals.macd.slow', 12),
      expect: 'signals.macd.slow: must be > fast (12) (got 12)',
    },
    {
      name: 'RSI threshold out of range',
      edit: (s) => set(s, 'signals.rsi.below', 120),
      expect: 'signals.rsi.below: must be > 0 and < 100 (got 120)',
    },
    {
      name: 'signal flag not boolean',
      edit: (s) => set(s, 'signals.breadth.enabled', 'yes'),
      expect: 'signals.breadth.enabled: must be true or false (got "yes")',
    },
    {
      name: 'zero ladder steps',
      edit: (s) => set(s, 'execution.hedgeLadder.steps', 0),
      expect: 'execution.hedgeLadder.steps: must be an integer >= 1 and <= 50 (got 0)',
    },
    {
      name: 'ladder that cannot reach its floor by the deadline',
      edit: (s) => set(s, 'execution.condorLadder.steps', 30),
      expect:
        'execution.condorLadder.deadlineMinutes: must be >= (steps - 1) x intervalSeconds / 60 = 9.67 so the ladder reaches its floor (got 8)',
    },
    {
      name: 'debit cap above natural',
      edit: (s) => set(s, 'execution.hedgeMaxDebitSpreadShare', 1.1),
      expect: 'execution.hedgeMaxDebitSpreadShare: must be >= 0 and <= 1 (got 1.1)',
    },
    { name: 'missing name', edit: (s) => unset(s, 'name'), expect: 'name: must be a string (missing)' },
    {
      name: 'bad name',
      edit: (s) => set(s, 'name', 'My Strategy'),
      expect: 'name: must be 1-64 lowercase letters, digits, ".", "-" or "_" (got "My Strategy")',
    },
    {
      name: 'typo in a key',
      edit: (s) => set(s, 'condor.targetDelt', 0.1),
      expect: 'condor.targetDelt: unknown key (did you mean "targetDelta"?) (got 0.1)',
    },
    { name: 'unknown section', edit: (s) => set(s, 'risk', {}), expect: 'risk: unknown key (got {})' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.throws(() => parseStrategy(breakWith(c.edit), SRC), invalid(`${SRC}: ${c.expect}`));
    });
  }

  it('a document that is not an object', () => {
    assert.throws(() => parseStrategy([1, 2], SRC), invalid(`${SRC}: must be an object (got [1,2])`));
  });

  it('reports every problem at once, with a count, and keeps them as details', () => {
    const bad = breakWith((s) => {
      set(s, 'condor.targetDelta', 0.7);
      set(s, 'sizing.vixBeta', -1);
      set(s, 'signals.rsi.period', 1);
    });
    assert.throws(
      () => parseStrategy(bad, SRC),
      (e: unknown) => {
        assert.ok(e instanceof IronvixError);
        assert.match(e.message, /strategy file is invalid \(3 problems\)/);
        assert.deepEqual(e.details, [
          `${SRC}: condor.targetDelta: must be > 0 and < 0.5 (got 0.7)`,
          `${SRC}: sizing.vixBeta: must be > 0 and <= 10 (got -1)`,
          `${SRC}: signals.rsi.period: must be an integer >= 2 and <= 100 (got 1)`,
        ]);
        return true;
      },
    );
  });
});
