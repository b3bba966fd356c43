// The plan's structured reasons in the words the CLI prints, for tests that read them.
import { noTradeText, rationaleLine } from '../../src/cli/render/rationale-text.ts';
import type { Plan } from '../../src/domain/plan/types.ts';

/** Every rationale entry as its printed line, one per line. */
export function rationaleText(p: Plan): string {
  return p.rationale.map(rationaleLine).join('\n');
}

/** The no-trade detail as printed after "OUTCOME: NO TRADE (reason):", or '' for a trade. */
export function noTradeDetailText(p: Plan): string {
  return p.outcome.kind === 'no-trade' ? noTradeText(p.outcome.detail) : '';
}
