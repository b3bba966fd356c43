// The one registry of user-visible error codes. Every code names the action the user should take.
// The README's error table is checked against this registry by a test.

export interface ErrorSpec {
  /** Process exit code when this error ends a command. */
  readonly exitCode: number;
  readonly summary: string;
  /** What the user should do. */
  readonly action: string;
}

export const EXIT = {
  ok: 0,
  /** Unexpected failure (a bug): report it with the log. */
  internal: 1,
  /** Bad input: configuration, strategy file, snapshot, command line. */
  badInput: 2,
  /** The broker or gateway refused or failed. */
  broker: 3,
  /** A safety interlock refused to run. */
  safety: 4,
} as const;

export const ERRORS = {
  E_INTERNAL: {
    exitCode: EXIT.internal,
    summary: 'Unexpected internal error',
    action: 'Re-run with IRONVIX_LOG_LEVEL=debug and report the log; nothing was sent to the broker.',
  },
  E_USAGE: {
    exitCode: EXIT.badInput,
    summary: 'Bad command-line usage',
    action: 'Run the command with --help and correct the arguments.',
  },
  E_CONFIG_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Environment configuration (.env) is invalid',
    action: 'Fix the named variable in .env (see .env.example for every variable and its rule).',
  },
  E_STRATEGY_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Strategy file fails validation',
    action:
      'Fix the named field in the strategy file; strategies/README.md and strategies/schema.json give every rule.',
  },
  E_STRATEGY_UNREADABLE: {
    exitCode: EXIT.badInput,
    summary: 'Strategy file cannot be read or is not JSON',
    action: 'Check the path and that the file is valid JSON.',
  },
  E_SNAPSHOT_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Market snapshot fails validation',
    action: 'Fix or regenerate the snapshot; the message names the field and the rule.',
  },
  E_SNAPSHOT_UNREADABLE: {
    exitCode: EXIT.badInput,
    summary: 'Market snapshot cannot be read or is not JSON',
    action: 'Check the path and that the file is valid JSON.',
  },
  E_LIVE_NOT_ARMED: {
    exitCode: EXIT.safety,
    summary: 'Live trading refused: not armed',
    action:
      'Live needs all of: IRONVIX_MODE=live, the --live flag, IRONVIX_LIVE_ARMED=yes and IB_ACCOUNT set to the live account (U...). Otherwise use paper or preview.',
  },
  E_PAPER_LIVE_ACCOUNT: {
    exitCode: EXIT.safety,
    summary: 'Paper mode refused: the account is a live account',
    action:
      'Use a paper account (IB_ACCOUNT DU... / DF...) on the paper gateway (port 4002), or switch deliberately to live mode.',
  },
  E_SIM_SCENARIO_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Simulator scenario file fails validation or cannot be read',
    action:
      'Fix the named field in the scenario file: {"name", "shocks": [{"at" (ISO time with offset), "spxPct", "vixPoints", "overMinutes"}]}.',
  },
  E_SIM_REPLAY_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Simulator replay data cannot be read, fails validation, or does not cover --replay-from',
    action:
      'Pick a --replay-from date inside the range the message names, or give CSV files with the header date,open,high,low,close, ISO dates ascending and positive prices (see data/history/README.md).',
  },
  E_CALENDAR_INVALID: {
    exitCode: EXIT.badInput,
    summary: 'Calendar or event file fails validation',
    action: 'Fix the named entry in the calendar/event file (dates as YYYY-MM-DD, kinds FOMC|CPI|PPI).',
  },
  E_CALENDAR_RANGE: {
    exitCode: EXIT.badInput,
    summary: 'Date outside the trading calendar',
    action: 'Use a date the calendar covers, or extend the calendar data file.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** An expected, user-facing failure with a stable code. */
export class IronvixError extends Error {
  readonly code: ErrorCode;
  readonly details: readonly string[];
  constructor(code: ErrorCode, message: string, details: readonly string[] = []) {
    super(message);
    this.name = 'IronvixError';
    this.code = code;
    this.details = details;
  }
  get exitCode(): number {
    return ERRORS[this.code].exitCode;
  }
  get action(): string {
    return ERRORS[this.code].action;
  }
}
