// All seven regime signals, in the fixed order the plan's rationale shows them.
import type { EventDay } from '../events.ts';
import type { DailyBar, MarketSnapshot } from '../snapshot.ts';
import type { EventPolicy, StrategyConfig } from '../strategy.ts';
import { breadthSignal } from './breadth-signal.ts';
import { coilingSignal } from './coiling-signal.ts';
import { eventSignal } from './event-signal.ts';
import { macdSignal } from './macd-signal.ts';
import { macroSignal } from './macro-signal.ts';
import { rsiSignal } from './rsi-signal.ts';
import type { SignalResult } from './signal.ts';
import { termStructureSignal } from './term-structure-signal.ts';

export interface SignalInput {
  /** Oldest first; its last bar is taken as the latest VIX close (the snapshot's vix.spot is not appended). */
  readonly history: readonly DailyBar[];
  readonly vix: MarketSnapshot['vix'];
  /** The expiry day's event status. */
  readonly eventDay: EventDay;
  readonly eventPolicy: EventPolicy;
}

/** Order: rsi, macd, coiling, termStructure, breadth, event, macro. */
export function evaluateSignals(input: SignalInput, cfg: StrategyConfig['signals']): SignalResult[] {
  const vixCloses = input.history.map((b) => b.vixClose);
  return [
    rsiSignal(vixCloses, cfg.rsi),
    macdSignal(vixCloses, cfg.macd),
    coilingSignal(vixCloses, cfg.coiling),
    termStructureSignal(input.vix, cfg.termStructure),
    breadthSignal(input.history, cfg.breadth),
    eventSignal(input.eventDay, input.eventPolicy, cfg.event),
    macroSignal(cfg.macro),
  ];
}
