// The one trading mode: which account and journal a session uses. Previewing is what a command
// does, not a mode: a preview in any mode builds the same plan and sends nothing.
export type Mode = 'sim' | 'paper' | 'live';

export const MODES: readonly Mode[] = ['sim', 'paper', 'live'];
