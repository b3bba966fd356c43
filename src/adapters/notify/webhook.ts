// Notifications by webhook (IRONVIX_NOTIFY_URL). Two body formats:
// - json (default): one JSON object that Slack incoming webhooks (`text`), Discord webhooks
//   (`content`, at most 2,000 characters) and generic receivers (`ironvix`: the structured
//   notification) all accept; Slack and Discord ignore the fields meant for the others.
// - ntfy: ntfy.sh topic URLs publish the plain-text body as the message; title, priority and tags
//   go in headers (a JSON body posted to a topic URL would show up as raw JSON).
// A delivery that fails, answers non-2xx or takes longer than timeoutMs is logged and dropped:
// notifying never blocks or fails trading.
import type { Logger } from '../../ports/logger.ts';
import type { Notification, NotificationSeverity, Notifier } from '../../ports/notifier.ts';

export type WebhookFormat = 'json' | 'ntfy';

export interface WebhookOptions {
  readonly url: string;
  readonly format: WebhookFormat;
  readonly logger: Logger;
  /** Default 5 s. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
/** Discord rejects a `content` longer than this. */
const DISCORD_MAX_CHARS = 2_000;

export interface JsonBody {
  /** Slack (mrkdwn text). */
  readonly text: string;
  /** Discord. */
  readonly content: string;
  readonly ironvix: {
    readonly kind: Notification['kind'];
    readonly severity: NotificationSeverity;
    readonly title: string;
    readonly text: string;
    readonly mode: Notification['mode'];
    readonly cycleDate: string | null;
    /** ISO time of the event. */
    readonly at: string;
  };
}

const MARK: Record<NotificationSeverity, string> = { info: '', warning: '[warning] ', error: '[ERROR] ' };

/** The message as one block of text: title line, then the details. */
export function messageText(n: Notification): string {
  return `${MARK[n.severity]}${n.title}\n${n.text}`;
}

export function jsonBody(n: Notification): JsonBody {
  const text = messageText(n);
  return {
    text,
    content: text.length > DISCORD_MAX_CHARS ? `${text.slice(0, DISCORD_MAX_CHARS - 1)}…` : text,
    ironvix: {
      kind: n.kind,
      severity: n.severity,
      title: n.title,
      text: n.text,
      mode: n.mode,
      cycleDate: n.cycleDate,
      at: new Date(n.atMs).toISOString(),
    },
  };
}

const NTFY_PRIORITY: Record<NotificationSeverity, string> = {
  info: 'low',
  warning: 'default',
  error: 'high',
};
const NTFY_TAGS: Record<NotificationSeverity, string> = {
  info: 'white_check_mark',
  warning: 'warning',
  error: 'rotating_light',
};

/** HTTP header values must be plain ASCII: anything else is replaced. */
function asciiHeader(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}

export function ntfyRequest(n: Notification): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      title: asciiHeader(n.title),
      priority: NTFY_PRIORITY[n.severity],
      tags: NTFY_TAGS[n.severity],
    },
    body: n.text,
  };
}

/** The URL without its query and credentials, fit for a log line. */
function printableUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : '/…'}`;
  } catch {
    return '(invalid URL)';
  }
}

export function createWebhookNotifier(o: WebhookOptions): Notifier {
  const log = o.logger.child({ component: 'notify', url: printableUrl(o.url) });
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    async notify(n) {
      const request =
        o.format === 'ntfy'
          ? ntfyRequest(n)
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(jsonBody(n)) };
      try {
        const res = await fetch(o.url, {
          method: 'POST',
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        // The body is read so the connection is released; its text helps when the receiver refuses.
        const answer = await res.text();
        if (!res.ok)
          log.warn('notification refused by the webhook', {
            status: res.status,
            answer: answer.slice(0, 200),
            kind: n.kind,
          });
        else log.debug('notification delivered', { kind: n.kind, status: res.status });
      } catch (e) {
        const reason =
          e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')
            ? `no answer within ${timeoutMs} ms`
            : e instanceof Error
              ? `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`
              : String(e);
        log.warn('notification not delivered', { reason, kind: n.kind });
      }
    },
  };
}
