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
  /** The journal cannot be used (read-only, full, corrupt, from a newer version, unreadable). */
  journal: 5,
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
  E_JOURNAL_LOCKED: {
    exitCode: EXIT.safety,
    summary: 'The journal is in use by another ironvix process',
    action:
      'Another ironvix process (pid in the message) writes this journal: stop it or wait for it to finish. If that process is gone, the lock is lifted automatically on the next start.',
  },
  E_DAEMON_RUNNING: {
    exitCode: EXIT.safety,
    summary: 'Another ironvix daemon runs for this mode',
    action:
      'One daemon per mode: stop the running one (pid in the message; `systemctl stop ironvix` under systemd) before starting another. If that process is gone, the lock is lifted automatically on the next start.',
  },
  E_JOURNAL_READONLY: {
    exitCode: EXIT.journal,
    summary: 'The journal file or its folder is read-only',
    action:
      'Give the user running ironvix write access to the journal file, its -wal and -shm files and its folder (IRONVIX_DATA_DIR); nothing was sent.',
  },
  E_JOURNAL_FULL: {
    exitCode: EXIT.journal,
    summary: 'The disk holding the journal is full',
    action:
      'Free space on the disk holding IRONVIX_DATA_DIR, then run `ironvix reconcile`; everything journaled before this stays, and no order was sent after the failed write.',
  },
  E_JOURNAL_CORRUPT: {
    exitCode: EXIT.journal,
    summary: 'The journal file is damaged or not an ironvix journal',
    action:
      'Keep the file as it is (copy it with its -wal file), restore the last backup or recover it with `sqlite3 journal.sqlite .recover`, then run `ironvix reconcile`; ironvix never overwrites it.',
  },
  E_JOURNAL_VERSION: {
    exitCode: EXIT.journal,
    summary: 'The journal was written by another version of ironvix',
    action:
      'A newer journal needs the ironvix that wrote it: upgrade (never downgrade over a journal). An older one is upgraded by any command that writes it, e.g. `ironvix reconcile`.',
  },
  E_JOURNAL_IO: {
    exitCode: EXIT.journal,
    summary: 'The journal cannot be opened or written',
    action:
      'Check that IRONVIX_DATA_DIR exists, is a local disk and is writable; the message names the file and the error.',
  },
  E_SETTLEMENT_MISSING: {
    exitCode: EXIT.broker,
    summary:
      'An expired position has no settlement: the broker still reports it, or its settlement value is unknown',
    action:
      "Check the account's expiry activity in IB (Trades / Account Window); the report books that settlement once the broker no longer holds the position and the SPX close or VIX SOQ is journaled.",
  },
  E_RECONCILE_MISMATCH: {
    exitCode: EXIT.safety,
    summary: 'Reconciliation found a difference between the journal and the broker: trading halted',
    action:
      'Read the listed differences, fix them in the account (TWS or the IB portal) or confirm them, then run `ironvix reconcile` again: a clean reconcile lifts the halt it set.',
  },
  E_RECONCILE_UNAVAILABLE: {
    exitCode: EXIT.broker,
    summary: "Reconciliation could not read the broker's reports",
    action:
      'Check the gateway connection (IB_HOST, IB_PORT, IB_CLIENT_ID) and run `ironvix reconcile` again; nothing was sent.',
  },
  E_TRADING_HALTED: {
    exitCode: EXIT.safety,
    summary: 'Trading is halted (kill switch set)',
    action:
      'Read the halt reason (`ironvix status`); after fixing its cause run `ironvix reconcile` (it lifts a halt it set) or resume explicitly.',
  },
  E_GATEWAY_UNREACHABLE: {
    exitCode: EXIT.broker,
    summary: 'No IB Gateway (or TWS) answers at the configured host and port',
    action:
      'Start IB Gateway (or `ironvix sim`), enable its API socket, check IB_HOST and IB_PORT (paper gateway 4002, live 4001, TWS 7497/7496) and that 127.0.0.1 is a trusted IP.',
  },
  E_GATEWAY_HANDSHAKE: {
    exitCode: EXIT.broker,
    summary: 'Something answered at the gateway port but did not complete the TWS API handshake',
    action:
      'Check that IB_PORT is the API socket port of IB Gateway/TWS (not another program), that the gateway is logged in, and that "Enable ActiveX and Socket Clients" is on.',
  },
  E_GATEWAY_CLIENT_ID: {
    exitCode: EXIT.broker,
    summary: 'The gateway refused the client id: another program is connected with it (IB 326)',
    action:
      'Stop the other ironvix process or program using that client id, or set another IB_CLIENT_ID (orders stay bound to the id that placed them).',
  },
  E_GATEWAY_TIMEOUT: {
    exitCode: EXIT.broker,
    summary: 'The gateway did not answer in time',
    action:
      'Check that IB Gateway is logged in and not inside its daily restart, then retry; nothing was sent.',
  },
  E_GATEWAY_ACCOUNT: {
    exitCode: EXIT.safety,
    summary: 'The gateway does not manage the configured account, or manages several and none is configured',
    action:
      'Set IB_ACCOUNT to one of the accounts the message lists (the gateway logged in to the account you mean to trade).',
  },
  E_MARKET_DATA_MISSING: {
    exitCode: EXIT.broker,
    summary: 'The market snapshot could not be captured: data missing, not subscribed or not answered',
    action:
      "The message names the data and IB's answer. For 354/10167/10168 subscribe to the named data in IB Account Management (SPX/SPXW and VIX options: OPRA; CBOE indices) or wait for the market to open; otherwise check the gateway and retry. Nothing was sent.",
  },
  E_PORT_IN_USE: {
    exitCode: EXIT.badInput,
    summary: 'A network port is already in use',
    action: 'Stop the program holding the port, or choose another one (--port 0 picks a free port).',
  },
  E_PERMISSION: {
    exitCode: EXIT.badInput,
    summary: 'The operating system refused a file or port (permission, or no space left)',
    action: 'Check the named path or port: its permissions, the disk space, or use a port above 1024.',
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
