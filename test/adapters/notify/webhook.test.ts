// The webhook notifier against a local HTTP server (127.0.0.1, a port from the OS): the JSON body
// Slack and Discord read, the plain body and headers ntfy reads, and a failing or silent receiver
// that is logged and never makes notify() reject or hang past its timeout.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { captureLogger } from '../../../src/adapters/log/silent-logger.ts';
import type { JsonBody } from '../../../src/adapters/notify/webhook.ts';
import { createWebhookNotifier } from '../../../src/adapters/notify/webhook.ts';
import type { Notification } from '../../../src/ports/notifier.ts';

interface Received {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

const outcome: Notification = {
  kind: 'plan-outcome',
  severity: 'info',
  title: 'ironvix paper 2026-03-17: COMPLETE',
  text: 'plan p-1\nhedge 2 of 2 filled, condor 3 of 3 at 1.85 credit',
  mode: 'paper',
  cycleDate: '2026-03-17',
  atMs: Date.parse('2026-03-17T19:53:00Z'),
};

describe('webhook notifier', () => {
  let server: Server;
  let base = '';
  const received: Received[] = [];
  /** How the server answers the next requests. */
  let answer: (res: ServerResponse) => void = (res) => res.end('ok');
  const silent = new Set<ServerResponse>();

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
        answer(res);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const res of silent) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    received.length = 0;
    answer = (res) => res.end('ok');
  });

  it('json: one POST with Slack `text`, Discord `content` and the structured notification', async () => {
    const { logger, records } = captureLogger();
    await createWebhookNotifier({ url: `${base}/hooks/abc`, format: 'json', logger }).notify(outcome);
    assert.equal(received.length, 1);
    const r = received[0]!;
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/hooks/abc');
    assert.match(r.headers['content-type'] ?? '', /^application\/json/);
    const body = JSON.parse(r.body) as JsonBody;
    assert.equal(
      body.text,
      'ironvix paper 2026-03-17: COMPLETE\nplan p-1\nhedge 2 of 2 filled, condor 3 of 3 at 1.85 credit',
    );
    assert.equal(body.content, body.text);
    assert.deepEqual(body.ironvix, {
      kind: 'plan-outcome',
      severity: 'info',
      title: outcome.title,
      text: outcome.text,
      mode: 'paper',
      cycleDate: '2026-03-17',
      at: '2026-03-17T19:53:00.000Z',
    });
    assert.ok(!records.some((x) => x.level === 'warn'));
  });

  it('json: an error is marked in the text, and Discord content stays within 2,000 characters', async () => {
    const { logger } = captureLogger();
    const long: Notification = { ...outcome, kind: 'error', severity: 'error', text: 'x'.repeat(5_000) };
    await createWebhookNotifier({ url: base, format: 'json', logger }).notify(long);
    const body = JSON.parse(received[0]!.body) as JsonBody;
    assert.ok(body.text.startsWith('[ERROR] ironvix paper'));
    assert.equal(body.text.length, 5_000 + '[ERROR] '.length + outcome.title.length + 1);
    assert.equal(body.content.length, 2_000);
  });

  it('ntfy: the text as a plain body, title, priority and tags as headers', async () => {
    const { logger } = captureLogger();
    const halt: Notification = {
      ...outcome,
      kind: 'halt',
      severity: 'warning',
      title: 'ironvix paper: trading is halted — by reconcile',
      text: 'unknown order 77',
    };
    await createWebhookNotifier({ url: `${base}/ironvix-alerts`, format: 'ntfy', logger }).notify(halt);
    const r = received[0]!;
    assert.equal(r.path, '/ironvix-alerts');
    assert.equal(r.body, 'unknown order 77');
    assert.match(r.headers['content-type'] ?? '', /^text\/plain/);
    assert.equal(r.headers['title'], 'ironvix paper: trading is halted ? by reconcile');
    assert.equal(r.headers['priority'], 'default');
    assert.equal(r.headers['tags'], 'warning');
  });

  it('a receiver that answers 500 is logged with its answer; notify resolves', async () => {
    const { logger, records } = captureLogger();
    answer = (res) => {
      res.statusCode = 500;
      res.end('invalid_payload');
    };
    await createWebhookNotifier({ url: base, format: 'json', logger }).notify(outcome);
    const w = records.find((x) => x.level === 'warn');
    assert.equal(w?.msg, 'notification refused by the webhook');
    assert.equal(w.fields['status'], 500);
    assert.equal(w.fields['answer'], 'invalid_payload');
  });

  it('a receiver that never answers: given up after the timeout, logged; notify resolves', async () => {
    const { logger, records } = captureLogger();
    answer = (res) => silent.add(res);
    await createWebhookNotifier({ url: base, format: 'json', logger, timeoutMs: 100 }).notify(outcome);
    const w = records.find((x) => x.level === 'warn');
    assert.equal(w?.msg, 'notification not delivered');
    assert.equal(w.fields['reason'], 'no answer within 100 ms');
  });

  it('nobody listening: logged (connection refused); the URL in the log has no path or query', async () => {
    const { logger, records } = captureLogger();
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await createWebhookNotifier({
      url: `http://127.0.0.1:${port}/secret-token?key=1`,
      format: 'json',
      logger,
    }).notify(outcome);
    const w = records.find((x) => x.level === 'warn');
    assert.match(String(w?.fields['reason']), /ECONNREFUSED/);
    assert.equal(w?.fields['url'], `http://127.0.0.1:${port}/…`);
  });
});
