// Notifications to the user (issue 10): each plan's outcome, every skipped cycle, every halt and
// every error. Implemented by src/adapters/notify (a webhook) and by a no-op when none is set.
// A notifier never throws and never blocks trading: a failed delivery is logged and dropped.
import type { IsoDate } from '../domain/instruments.ts';
import type { Mode } from '../domain/mode.ts';

export type NotificationKind =
  /** A cycle's plan ran: COMPLETE, PARTIAL, ABORTED, or no trade. */
  | 'plan-outcome'
  /** A cycle did not run (halted, gateway down until the last start time, missed, refused). */
  | 'cycle-skipped'
  /** Trading is halted (kill switch set), or the daemon waits on a halt. */
  | 'halt'
  /** An error: a cycle failed, the journal cannot be used, the daemon stops on a fault. */
  | 'error'
  /** The service started, stopped, or waits (gateway unavailable, retrying). */
  | 'service';

export type NotificationSeverity = 'info' | 'warning' | 'error';

export interface Notification {
  readonly kind: NotificationKind;
  readonly severity: NotificationSeverity;
  /** One line, e.g. "ironvix paper 2026-03-17: COMPLETE". */
  readonly title: string;
  /** The details a user acts on (a few lines). */
  readonly text: string;
  readonly mode: Mode;
  readonly cycleDate: IsoDate | null;
  /** Epoch ms from the caller's Clock. */
  readonly atMs: number;
}

export interface Notifier {
  /** Resolves when delivered or given up (timeout, refused); never rejects. */
  notify(n: Notification): Promise<void>;
}

/** For runs without IRONVIX_NOTIFY_URL and for tests that do not look at notifications. */
export const silentNotifier: Notifier = { notify: () => Promise.resolve() };
