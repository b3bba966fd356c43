// The plan's structured reasons in words: one line per rationale entry, the no-trade detail, every
// signal's rule and its numbers. The domain keeps the numbers; this file is the only wording.
import type { AtmVolSource, CondorProblem } from '../../domain/condor.ts';
import type { EventDay } from '../../domain/events.ts';
import { formatStrike } from '../../domain/instruments.ts';
import type { MarketHours } from '../../domain/market-hours.ts';
import { formatCents, formatPrice } from '../../domain/money.ts';
import type { LayerProblem, LayerSpec } from '../../domain/hedge/layer-market.ts';
import { layerLabel } from '../../domain/hedge/layer-market.ts';
import type { AttemptVerdict, CapBinding, QuantityBinding } from '../../domain/hedge/sizing.ts';
import type { LayerRef, NoTradeDetail, RationaleEntry, RollAction } from '../../domain/plan/rationale.ts';
import type { QuoteProblem } from '../../domain/quote-problems.ts';
import type { ResolvedCap, UnresolvedCaps } from '../../domain/plan/risk-caps.ts';
import type { OpenCondorRisk } from '../../domain/hedge/open-condors.ts';
import type { OpenCondor } from '../../domain/snapshot.ts';
import type { SignalResult, SignalUnavailable } from '../../domain/signals/signal.ts';
import type { TrendGate } from '../../domain/signals/trend-gate.ts';
import type { WingWidthRule } from '../../domain/strategy.ts';
import { printable } from '../../domain/text.ts';

/** Fixed-decimals number ("-0.0000" printed as "0.0000"). */
export function fmt(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

const pct = (x: number, digits = 2): string => `${fmt(x * 100, digits)}%`;
const price = (cents: number): string => formatPrice(Math.round(cents));
const signed = (x: number, digits: number): string => `${x >= 0 ? '+' : ''}${fmt(x, digits)}`;
/** "15:45" of an ISO timestamp with offset. */
const clock = (iso: string): string => iso.slice(11, 16);

function legName(p: {
  readonly strike: number;
  readonly right: string;
  readonly role: string | null;
}): string {
  return `${p.role === null ? '' : `${p.role} `}${formatStrike(p.strike)}${p.right}`;
}

export function quoteProblemText(p: QuoteProblem): string {
  switch (p.kind) {
    case 'crossed':
      return `${legName(p.leg)} crossed (${price(p.bidCents)} x ${price(p.askCents)})`;
    case 'stale':
      return `${legName(p.leg)} stale (${p.ageSeconds}s > ${p.maxAgeSeconds}s)`;
    case 'wide':
      return `${legName(p.leg)} spread ${price(p.spreadCents)} > ${price(p.maxSpreadCents)}`;
    case 'no-bid':
      return `${legName(p.leg)} bid 0`;
    case 'no-offer':
      return `${legName(p.leg)} has no offer`;
    case 'natural-not-debit':
      return `natural debit ${price(p.naturalCents)} <= 0`;
    case 'natural-not-credit':
      return `natural credit ${price(p.naturalCents)} <= 0 (worth nothing at the bid)`;
  }
}

const problemsText = (ps: readonly QuoteProblem[]): string => ps.map(quoteProblemText).join('; ');

export function layerProblemText(p: LayerProblem): string {
  switch (p.kind) {
    case 'no-chain':
      return `no ${p.tradingClass} option chain for ${p.expiry} in the snapshot`;
    case 'no-quote':
      return `no quote for ${p.tradingClass} ${p.expiry} ${formatStrike(p.strike)}C`;
    case 'no-vol':
      return `no implied vol for ${p.tradingClass} ${p.expiry} ${formatStrike(p.strike)}C`;
    case 'no-expiry-in-window':
      return (
        `no listed ${p.tradingClasses.join('/')} expiry within ${p.window[0]}-${p.window[1]} days ` +
        `(and >= minHedgeDte ${p.minHedgeDte})`
      );
    case 'no-strike':
      return `no listed call strike at or above F ${fmt(p.future, 2)} + ${p.otmPoints.join(' / + ')}`;
    case 'quotes':
      return `${layerLabel(p.layer)}: ${problemsText(p.problems)}`;
    case 'no-stress-scenario':
      return 'no stress scenario (no ATM vol)';
    case 'no-stress-gain':
      return `${layerLabel(p.layer)} gains ${formatCents(p.stressPnlPerContractCents)} under the stress`;
  }
}

const rightName = (r: string): string => (r === 'P' ? 'put' : 'call');

export function condorProblemText(p: CondorProblem): string {
  switch (p.kind) {
    case 'no-atm-vol':
      return 'no strike near spot has an implied vol';
    case 'no-otm-delta':
      return `no OTM ${rightName(p.right)} with a usable delta`;
    case 'no-strike-beyond-em':
      return `no listed ${rightName(p.right)} strike beyond ${p.emMultiple} x EM (${fmt(p.emLimit, 2)})`;
    case 'strike-no-delta':
      return `${rightName(p.right)} ${formatStrike(p.strike)} has no usable delta`;
    case 'no-wing':
      return `no listed wing ${p.widthPoints} points beyond the shorts ${formatStrike(p.shortPut)}P/${formatStrike(p.shortCall)}C`;
    case 'no-quote':
      return `no quote for ${formatStrike(p.strike)}${p.right}`;
    case 'leg-quotes':
      return problemsText(p.problems);
    case 'thin-credit':
      return (
        `credit ${price(p.creditCents)} < minimum ${fmt(p.minCreditCents / 100, 3)} ` +
        `(${fmt(p.minCreditPctOfWidth * 100, 1)}% of ${p.widthPoints})`
      );
    case 'credit-at-width':
      return `credit ${price(p.creditCents)} >= width ${p.widthPoints}`;
  }
}

/** "maxRiskPerCycle $2,000.00 = 2% of net liquidation $100,000.00" */
export function resolvedCapText(c: ResolvedCap): string {
  const head = `${c.name} ${formatCents(c.cents)}`;
  return c.source.kind === 'fixed'
    ? `${head} (fixed)`
    : `${head} = ${String(Number((c.source.pct * 100).toFixed(4)))}% of net liquidation ${formatCents(c.source.netLiquidationCents)}`;
}

export function unresolvedCapsText(u: UnresolvedCaps): string {
  const why =
    u.netLiquidationCents === null
      ? 'the snapshot carries no account'
      : `the account's net liquidation is ${formatCents(u.netLiquidationCents)}`;
  return `${u.caps.join(' and ')} ${u.caps.length === 1 ? 'is a share' : 'are shares'} of net liquidation and ${why}: no dollar figure to size against`;
}

export function capBindingText(b: CapBinding, cap: number): string {
  switch (b.kind) {
    case 'maxCondors':
      return `maxCondors ${b.maxCondors}`;
    case 'maxRiskPerCycle':
      return (
        `maxRiskPerCycle ${formatCents(b.maxRiskPerCycleCents)} / max loss at the last step ` +
        `${formatCents(b.maxLossPerContractCents)} = ${cap}`
      );
    case 'trend-gate':
      return `trend gate: floor(${b.ungatedCap} x ${b.qtyFactor}) = ${cap}`;
  }
}

export function verdictText(v: AttemptVerdict): string {
  switch (v.kind) {
    case 'fits':
      return 'fits';
    case 'over':
      return v.overBudget && v.overCash ? 'budget and cash guard' : v.overBudget ? 'budget' : 'cash guard';
    case 'no-supply':
      return v.failure.reason;
  }
}

export function bindingText(b: QuantityBinding): string {
  return b.kind === 'cap' ? capBindingText(b.cap.binding, b.cap.cap) : verdictText(b.verdict);
}

export function marketHoursText(h: MarketHours): string {
  switch (h.status) {
    case 'open':
      return `session ${h.date} ${clock(h.openAt)}-${clock(h.closeAt)} New York; every order done by ${clock(h.lastDeadline)}`;
    case 'closed':
      switch (h.why) {
        case 'not-a-session':
          return `${h.date} is not an NYSE session (${printable(h.closure)})`;
        case 'before-open':
          return `${clock(h.asOf)} is before the ${clock(h.openAt)} open`;
        case 'orders-past-close':
          return `orders would be worked until ${clock(h.lastDeadline)}, after the ${clock(h.closeAt)} close`;
      }
  }
}

export function trendGateText(g: TrendGate): string {
  switch (g.status) {
    case 'off':
      return 'off (trendGateSma 0)';
    case 'not-available':
      return (
        `not available: the ${g.sessions}-session average needs ${g.closesNeeded} official closes before the cycle, ` +
        `the history has ${g.closesFound}; the gate stays open`
      );
    case 'open':
    case 'shut':
      return (
        `SPX ${fmt(g.price, 2)} vs ${g.sessions}-session average ${fmt(g.average, 2)} (${signed(g.gapPct, 2)}%): ` +
        (g.status === 'open' ? 'OPEN' : `SHUT, quantity cap x ${g.qtyFactor}`)
      );
  }
}

function eventDayText(d: EventDay): string {
  if (d.kinds.length > 0) return `${d.kinds.join(', ')} on ${d.date}`;
  if (d.uncovered)
    return (
      `${d.date} is beyond the event calendar (${d.coveredThrough === null ? 'it lists no event' : `covered through ${d.coveredThrough}`}): ` +
      (d.treatedAsEvent ? 'treated as an event day' : 'treated as a day without event')
    );
  return `no event on ${d.date}`;
}

export function noTradeText(d: NoTradeDetail): string {
  switch (d.kind) {
    case 'market-closed':
      return `market closed: nothing would be sent (${marketHoursText(d.hours)})`;
    case 'event-skip':
      return `${eventDayText(d.eventDay)} (expiry day); event policy skip`;
    case 'chain-expiry':
      return `SPXW chain expires ${d.chainExpiry}, the 1DTE expiry is ${d.expiry}`;
    case 'no-time-left':
      return `no trading time left to ${d.expiry}`;
    case 'no-stress-scenario':
      return `no stress scenario for ${d.expiry}`;
    case 'condor':
      return condorProblemText(d.problem);
    case 'risk-cap':
      return `${capBindingText(d.cap.binding, d.cap.cap)}: not even one condor fits the risk cap`;
    case 'no-net-liquidation':
      return unresolvedCapsText(d.unresolved);
    case 'trend-gate':
      return `trend gate: ${trendGateText(d.gate)}: quantity cap ${d.ungatedCap} -> 0; no condor and no new hedge layer (rolls and trims still run)`;
    case 'no-quantity': {
      const a = d.attempt;
      if (a.verdict.kind === 'no-supply') {
        const f = a.verdict.failure;
        const why = f.problem === null ? 'no template offers stress P&L' : layerProblemText(f.problem);
        return `template ${f.templateId}: ${why} (hedge needed: shortfall ${formatCents(a.shortfall)} at q=1)`;
      }
      return (
        `even q=1 breaks the ${verdictText(a.verdict)}: carry ${formatCents(a.newCarry)} vs budget ${formatCents(a.carryBudget)}, ` +
        `premium ${formatCents(a.newPremium)} for shortfall ${formatCents(a.shortfall)}`
      );
    }
  }
}

export function unavailableText(u: SignalUnavailable): string {
  switch (u.kind) {
    case 'not-enough-bars':
      return `not available: needs ${u.needed} daily bars, have ${u.have}`;
    case 'no-ad-data':
      return 'not available: no NYSE A/D data for the lookback';
    case 'no-term-quotes':
      return 'not available: no VIX9D or VIX3M quote';
    case 'non-finite':
      return 'not available: non-finite input';
  }
}

/** The rule and the numbers that decided a signal, one line. */
export function signalDetail(r: SignalResult): string {
  const base = r.reading === null ? unavailableText(r.unavailable ?? { kind: 'non-finite' }) : readingText(r);
  return r.enabled ? base : `disabled; ${base}`;
}

function readingText(r: SignalResult): string {
  const g = r.reading;
  if (g === null) return '';
  switch (g.id) {
    case 'rsi':
      return `RSI ${fmt(g.rsi, 1)} ${r.triggered ? '<' : '>='} ${g.below}`;
    case 'macd': {
      const fired = [g.rising ? 'histogram rising' : null, g.divergence ? 'bullish divergence' : null].filter(
        (x) => x !== null,
      );
      return (
        `${fired.length > 0 ? `fires on ${fired.join(' + ')}` : 'no rule holds'}; ` +
        `hist ${fmt(g.histogram, 4)} ${g.rising ? '' : 'not '}rising ${g.risingDays}d (from ${fmt(g.histogramBefore, 4)}); ` +
        `VIX low ${fmt(g.vixRecentLow, 2)} vs ${fmt(g.vixPriorLow, 2)}, MACD ${fmt(g.macdAtRecentLow, 4)} vs ${fmt(g.macdAtPriorLow, 4)}: ` +
        `${g.divergence ? '' : 'no '}bullish divergence`
      );
    }
    case 'coiling':
      return (
        `BB width ${fmt(g.bandwidth, 4)}: ${g.atOrBelow} of ${g.window} at or below it = ${fmt(g.rank * 100, 1)}% ` +
        `${r.triggered ? '<=' : '>'} ${fmt(g.percentile * 100, 1)}%`
      );
    case 'termStructure': {
      const part = (name: string, x: number | null, above: number): string =>
        x === null ? `${name} n/a` : `${name} ${fmt(x, 3)} ${x > above ? '>' : '<='} ${fmt(above, 2)}`;
      return `${part('VIX9D/VIX', g.vix9dOverVix, g.vix9dOverVixAbove)}, ${part('VIX/VIX3M', g.vixOverVix3m, g.vixOverVix3mAbove)}`;
    }
    case 'breadth':
      return (
        `A/D ${signed(g.adChange, 0)} and SPX ${signed(g.spxChangePct, 2)}% over ${g.lookbackDays}d: ` +
        `${r.triggered ? 'divergence (A/D down, SPX up)' : 'no divergence'}`
      );
    case 'event': {
      const what =
        g.kinds.length > 0
          ? `${g.kinds.join(', ')} on expiry day`
          : g.uncovered
            ? `CALENDAR NOT COVERED: the event calendar ends ${g.coveredThrough ?? '(empty)'}, before the expiry day; ${g.treatedAsEvent ? 'treated as an event day' : 'treated as no event'}`
            : 'no event on expiry day';
      const upsize = g.policy === 'upsize-hedge';
      return `${what}; policy ${g.policy}${(g.kinds.length > 0 || g.treatedAsEvent) && !upsize ? ' (no upsize)' : ''}`;
    }
    case 'macro':
      return `user flag x${g.factor}: ${g.note === '' ? '(no note)' : printable(g.note)}`;
  }
}

function refText(l: LayerRef): string {
  return `${printable(l.layerId)} (${printable(l.templateId)}) ${layerLabel(l.spec)} x${l.quantity}, ${l.dte}d`;
}

function rollText(l: LayerRef, minHedgeDte: number, a: RollAction): string {
  const head = `roll ${printable(l.layerId)}: ${l.dte}d < minHedgeDte ${minHedgeDte}d`;
  switch (a.kind) {
    case 'sell':
      return `${head}: sell ${a.quantity} from mid ${price(a.midCents)}`;
    case 'expired':
      return `${head}, but it has expired (AM settlement): no order, it settles`;
    case 'unpriced':
      return `${head}, but it cannot be priced (${layerProblemText(a.problem)}): roll deferred`;
    case 'not-offered':
      return `${head}, but nobody bids for it (${problemsText(a.problems)}): not offered; it stops counting and settles at expiry`;
    case 'deferred':
      return `${head}, but its quotes forbid a sale (${problemsText(a.problems)}): roll deferred`;
  }
}

function wingRuleText(rule: WingWidthRule, spot: number): string {
  switch (rule.mode) {
    case 'points':
      return 'fixed';
    case 'pctOfSpot':
      return `${fmt(rule.pct * 100, 2)}% of ${fmt(spot, 2)} rounded to ${rule.roundToPoints}, at least ${rule.minPoints}`;
  }
}

function atmSourceText(s: AtmVolSource): string {
  return s.kind === 'single-strike'
    ? `IV of strike ${formatStrike(s.strike)}`
    : `interpolated between ${formatStrike(s.lowStrike)} (${pct(s.lowIv)}) and ${formatStrike(s.highStrike)} (${pct(s.highIv)})`;
}

function specText(spec: LayerSpec): string {
  return layerLabel(spec);
}

/** "SPXW 2026-03-10 5880/5905p 6075/6100c x3" */
export function openCondorLabel(c: OpenCondor): string {
  return (
    `SPXW ${c.expiry} ${formatStrike(c.longPut)}/${formatStrike(c.shortPut)}p ` +
    `${formatStrike(c.shortCall)}/${formatStrike(c.longCall)}c x${c.quantity}`
  );
}

export function openCondorText(r: OpenCondorRisk): string {
  const head = `open condor ${openCondorLabel(r.condor)} (plan ${printable(r.condor.planId)}, credit ${price(r.condor.credit)})`;
  if (!r.counts) return `${head}: settled, counts nothing`;
  return (
    `${head}: settles at the close, ${r.remainingMinutes} min left; stress SPX -${fmt(r.stressMovePoints, 2)} ` +
    `(stressSigmas x EM over the time left) = ${fmt(r.stressSpx, 2)}: loss ${formatCents(r.stressLossPerContract)}/contract ` +
    `(max ${formatCents(r.maxLossPerContract)}), ${formatCents(r.stressLoss)} added to the requirement`
  );
}

/** One line per rationale entry. */
export function rationaleLine(e: RationaleEntry): string {
  switch (e.kind) {
    case 'cycle':
      return (
        `cycle ${e.cycleDate} at ${e.asOf}; 1DTE expiry ${e.expiry} (next NYSE session); ` +
        `T = ${fmt(e.horizonYears, 6)} y trading time (${fmt(e.horizonYears * 252, 4)} sessions); ` +
        `SPX ${fmt(e.spot, 2)}, VIX ${fmt(e.vixSpot, 2)}`
      );
    case 'market-hours':
      return `market hours: ${e.hours.status === 'open' ? 'open: ' : 'CLOSED: '}${marketHoursText(e.hours)}`;
    case 'stress': {
      const s = e.scenario;
      if (s === null)
        return 'stress: no ATM vol from the SPXW chain, so no stress scenario (held layers carry no stress P&L)';
      const tb = e.termBeta;
      return (
        `stress: SPX -${s.stressSigmas} x EM ${fmt(s.emPoints, 2)} = ${fmt(s.stressSpx, 2)} (-${fmt(s.spxFallPct, 2)}%); ` +
        `VIX spot ${fmt(s.vixSpot, 2)} + ${e.vixBeta} x ${fmt(s.spxFallPct, 2)} = ${fmt(s.stressVixSpot, 2)}; ` +
        `each future + that x termBeta(dte) = min(${tb.cap}, ${tb.coefficient} x sqrt(${tb.refDte}/dte)) ` +
        `(${fmt(Math.min(tb.cap, tb.coefficient), 2)} at ${tb.refDte}d); VIX option vols +${fmt(s.volOfVolShock * 100, 0)} pts; ` +
        `layers valued with Black-76 at the condor's expiry`
      );
    }
    case 'book-empty':
      return 'hedge book: empty';
    case 'held-layer': {
      const head = `held ${refText(e.layer)}`;
      const v = e.valuation;
      if (v === null)
        return `${head}: not priced (${e.problem === null ? 'no quote' : layerProblemText(e.problem)}), does not count`;
      return (
        `${head}: mark ${price(v.markPriceCents)}, stress ${formatCents(v.stressPnlPerContractCents)}/contract, ` +
        `carry ${formatCents(v.carryPerContractCents)}/contract/day, ${v.counts ? 'counts' : 'below minHedgeDte: does not count'}`
      );
    }
    case 'open-condor':
      return openCondorText(e.risk);
    case 'roll':
      return rollText(e.layer, e.minHedgeDte, e.action);
    case 'signal':
      return `signal ${e.signal.label}: ${e.signal.fired ? `FIRES x${e.signal.factor}` : 'does not fire'} (${signalDetail(e.signal)})`;
    case 'event-calendar':
      return `EVENT CALENDAR NOT COVERED: ${eventDayText(e.eventDay)}`;
    case 'regime': {
      const f = e.factors;
      const product =
        f.length === 0
          ? '1 (nothing fires)'
          : f.length === 1
            ? `${e.multiplier}`
            : `${f.join(' x ')} = ${fmt(e.multiplier, 4)}`;
      return (
        `regime multiplier = ${product}; coverage c = clamp(${e.baseCoverage} x ${fmt(e.multiplier, 4)} = ` +
        `${fmt(e.baseCoverage * e.multiplier, 4)}, ${e.coverageMin}, ${e.coverageMax}) = ${fmt(e.coverageTarget, 4)}`
      );
    }
    case 'atm-vol':
      return (
        `ATM IV ${pct(e.iv)} (${atmSourceText(e.source)}); EM = ${fmt(e.spot, 2)} x ${fmt(e.iv, 4)} x ` +
        `sqrt(${fmt(e.timeYears, 6)}) = ${fmt(e.emPoints, 2)} pts`
      );
    case 'short-strike': {
      const base = `short ${rightName(e.right)}: |delta| nearest ${e.targetDelta} is ${fmt(e.deltaNearest, 4)}`;
      return e.movedOut
        ? `${base} but inside ${e.emMultiple} x EM (${fmt(e.emLimit, 2)}): moved out to ${formatStrike(e.strike)} (delta ${fmt(e.deltaAtStrike, 4)})`
        : `${base} at ${formatStrike(e.strike)}, outside ${e.emMultiple} x EM (${fmt(e.emLimit, 2)})`;
    }
    case 'wings':
      return (
        `wings: width ${e.widthPoints} pts (${wingRuleText(e.rule, e.spot)}) -> ` +
        `long put ${formatStrike(e.longPut)}, long call ${formatStrike(e.longCall)}`
      );
    case 'credit':
      return (
        `credit: leg mids ${e.legMidCents.map((m) => `${m >= 0 ? '+' : '-'}${price(Math.abs(m))}`).join(' ')} = ` +
        `${fmt(e.rawMidCents / 100, 3)} -> ${price(e.creditCents)} on the 0.05 tick (natural ${price(e.naturalCents)}); ` +
        `minimum ${fmt(e.minCreditPctOfWidth * 100, 1)}% x ${e.widthPoints} = ${fmt(e.minCreditCents / 100, 3)}`
      );
    case 'max-loss':
      return (
        `max loss = (${e.widthPoints} - ${price(e.creditCents)}) x 100 = ${formatCents(e.maxLossCents)} per contract; ` +
        `break-evens ${fmt(e.breakEvenLow, 2)} / ${fmt(e.breakEvenHigh, 2)}`
      );
    case 'condor-ladder':
      return (
        `condor ladder ${e.pricesCents.map(price).join(' > ')}: mid ${price(e.midCents)} toward the natural ` +
        `${price(e.naturalCents)}, never below the minimum ${fmt(e.minCreditCents / 100, 3)}; the caps count its last step ${price(e.lastStepCents)}`
      );
    case 'condor-stress-loss':
      return (
        `condor stress loss at ${fmt(e.stressSpx, 2)}: put spread intrinsic - credit ${price(e.creditCents)}, ` +
        `capped at max loss ${formatCents(e.maxLossCents)} = ${formatCents(e.stressLossCents)} per contract`
      );
    case 'template-offer':
      return (
        `template ${printable(e.templateId)} (${e.spec.kind}, share ${fmt(e.share, 2)}): ${specText(e.spec)} ` +
        `(${e.dte}d, nearest target ${e.targetDte}d in ${e.window[0]}-${e.window[1]}) from F ${fmt(e.future, 2)} + rule = ` +
        `${e.levels.map((l) => fmt(l, 2)).join(' / ')}; mid ${fmt(e.midCents / 100, 3)}, last step ${price(e.lastStepCents)}; ` +
        `per contract: stress ${formatCents(e.stressPnlPerContractCents)}, carry ${formatCents(e.carryPerContractCents)}/day, ` +
        `premium up to ${formatCents(e.premiumPerContractCents)}`
      );
    case 'template-unavailable':
      return (
        `template ${printable(e.templateId)} (${e.templateKind}, share ${fmt(e.share, 2)}): unavailable (${e.reason}): ` +
        layerProblemText(e.problem)
      );
    case 'risk-caps':
      return `risk caps: ${e.caps.map(resolvedCapText).join('; ')}`;
    case 'risk-caps-unresolved':
      return `risk caps: ${unresolvedCapsText(e.unresolved)}`;
    case 'quantity-cap':
      return `quantity cap ${e.cap.cap} (${capBindingText(e.cap.binding, e.cap.cap)})`;
    case 'trend-gate':
      return (
        `trend gate: ${trendGateText(e.gate)}` +
        (e.capBefore === null || e.capAfter === null || e.capBefore === e.capAfter
          ? ''
          : `; quantity cap ${e.capBefore} -> ${e.capAfter}`)
      );
    case 'quantity-attempt': {
      const a = e.attempt;
      const buys =
        a.purchases.length === 0
          ? 'nothing'
          : a.purchases.map((p) => `${p.templateId} x${p.quantity}`).join(', ');
      return (
        `q=${a.q}: required ${fmt(e.coverageTarget, 4)} x ${formatCents(e.stressLossPerContractCents)} x ${a.q}` +
        (e.openCondorsStressLossCents > 0
          ? ` + open condors ${formatCents(e.openCondorsStressLossCents)}`
          : '') +
        ` = ${formatCents(a.required)}; ` +
        `existing ${formatCents(e.existingStressPnlCents)}; shortfall ${formatCents(a.shortfall)}; buy ${buys} ` +
        `(stress ${formatCents(a.newStressPnl)}); carry ${formatCents(a.newCarry)} vs budget ${e.hedgeBudgetPct} x credit x ${a.q} = ` +
        `${formatCents(a.carryBudget)}; premium ${formatCents(a.newPremium)} vs cash guard ${formatCents(e.maxHedgePremiumPerCycleCents)} -> ` +
        verdictText(a.verdict)
      );
    }
    case 'quantity-chosen':
      return `condor quantity ${e.q}: largest q that fits; binding: ${bindingText(e.binding)}`;
    case 'trim-disabled':
      return 'trim disabled in the strategy';
    case 'trim-check': {
      const head =
        `trim check: book stress ${formatCents(e.bookStressPnlCents)} vs ${e.trimAbove} x ` +
        `${formatCents(e.requirementAtCapCents)} = ${formatCents(e.thresholdCents)}`;
      return e.targetCents === null
        ? `${head}: no trim`
        : `${head}: trim toward ${formatCents(e.targetCents)} (highest value per unit of stress P&L first)`;
    }
    case 'trim-blocked':
      return `trim skips ${printable(e.layerId)} not sellable (${problemsText(e.problems)})`;
    case 'trim-sell':
      return `trim ${printable(e.layerId)}: sell ${e.quantity} of ${e.heldQuantity}, stress ${formatCents(e.stressReleasedCents)} released`;
    case 'trim-none':
      return e.why === 'nothing-sellable'
        ? 'no layer is sellable at this cycle point: no trim'
        : 'no layer can be sold without going below the target';
    case 'summary': {
      const hedges = e.hedgeOrders.map((o) => `${o.kind} ${printable(o.ref)} x${o.quantity}`).join(', ');
      const hedgeText = hedges === '' ? 'no hedge orders' : `hedge orders first: ${hedges}`;
      return e.outcome === 'trade'
        ? `TRADE ${e.condorQuantity} condor(s) after ${hedgeText}`
        : `NO CONDOR (${e.outcome}); ${hedgeText}`;
    }
  }
}
