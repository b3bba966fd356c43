// The one trading mode: which account and journal a session uses. Previewing is what a command
// does, not a mode: a preview in any mode builds the same plan and sends nothing.
export type Mode = 'sim' | 'paper' | 'live';

export const MODES: readonly Mode[] = ['sim', 'paper', 'live'];

/** IB paper accounts start with D (DU individual, DF advisor); every other id is treated as live. */
export function isPaperAccount(accountId: string): boolean {
  return accountId.startsWith('D');
}

/** Sim and paper trade a paper account only (the simulator's ids start with D), live a live one only. */
export function accountFitsMode(mode: Mode, accountId: string): boolean {
  return mode === 'live' ? !isPaperAccount(accountId) : isPaperAccount(accountId);
}
