import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { createLogger } from '../../../src/adapters/log/winston-logger.ts';
import { projectPath } from '../../../src/config/paths.ts';
import { IronvixError } from '../../../src/errors.ts';

/** A stream that keeps what is written, as the stderr stand-in. */
function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

const fixedNow = (): Date => new Date('2026-03-17T19:45:00.000Z');

describe('createLogger', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ironvix-log-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one JSON line per record with timestamp, level, msg and fields', async () => {
    const out = sink();
    const log = createLogger({ level: 'info', console: true, stream: out.stream, now: fixedNow });
    log.info('plan built', { planId: 'p-1', orders: 3 });
    log.warn('no fields');
    await log.close();
    assert.deepEqual(out.lines(), [
      {
        timestamp: '2026-03-17T19:45:00.000Z',
        level: 'info',
        msg: 'plan built',
        fields: { planId: 'p-1', orders: 3 },
      },
      { timestamp: '2026-03-17T19:45:00.000Z', level: 'warn', msg: 'no fields' },
    ]);
  });

  it('drops records below the level', async () => {
    const out = sink();
    const log = createLogger({ level: 'warn', console: true, stream: out.stream, now: fixedNow });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    await log.close();
    assert.deepEqual(
      out.lines().map((l) => l['level']),
      ['warn', 'error'],
    );
  });

  it('debug level shows everything', async () => {
    const out = sink();
    const log = createLogger({ level: 'debug', console: true, stream: out.stream, now: fixedNow });
    log.debug('d');
    log.error('e');
    await log.close();
    assert.deepEqual(
      out.lines().map((l) => l['msg']),
      ['d', 'e'],
    );
  });

  it('silent writes nothing, not even a file', async () => {
    const out = sink();
    const file = join(dir, 'silent', 'x.log');
    const log = createLogger({ level: 'silent', console: true, stream: out.stream, file });
    log.error('nothing');
    log.child({ a: 1 }).error('nothing either');
    await log.close();
    assert.deepEqual(out.lines(), []);
    assert.equal(existsSync(file), false);
  });

  it('child loggers bind fields; call fields win on conflict', async () => {
    const out = sink();
    const log = createLogger({ level: 'info', console: true, stream: out.stream, now: fixedNow });
    const child = log.child({ planId: 'p-2', mode: 'paper' }).child({ orderKey: 'hedge-A' });
    child.info('sent', { mode: 'sim', orderId: 7 });
    await log.close();
    assert.deepEqual(out.lines()[0]!['fields'], {
      planId: 'p-2',
      mode: 'sim',
      orderKey: 'hedge-A',
      orderId: 7,
    });
  });

  it('appends the same lines to a file, creating its directory', async () => {
    const out = sink();
    const file = join(dir, 'nested', 'ironvix.log');
    const log = createLogger({ level: 'info', console: true, stream: out.stream, file, now: fixedNow });
    log.info('to both', { n: 1 });
    await log.close();
    const fileLines = readFileSync(file, 'utf8').trim().split('\n');
    assert.equal(fileLines.length, 1);
    assert.deepEqual(JSON.parse(fileLines[0]!), out.lines()[0]);
  });

  it('file only: nothing on the console stream', async () => {
    const file = join(dir, 'only.log');
    const log = createLogger({ level: 'info', console: false, file, now: fixedNow });
    log.info('quiet console');
    await log.close();
    assert.match(readFileSync(file, 'utf8'), /"msg":"quiet console"/);
  });

  it('rotates the file at its size limit and keeps at most maxFiles files', async () => {
    const sub = join(dir, 'rotating');
    const file = join(sub, 'ironvix.log');
    const log = createLogger({
      level: 'info',
      console: false,
      file,
      now: fixedNow,
      rotation: { maxBytes: 2_000, maxFiles: 3 },
    });
    // ~100 bytes a line: 200 lines is ten files' worth, so rotation runs several times.
    for (let i = 0; i < 200; i++) {
      log.info('rotation line', { i });
      if (i % 20 === 19) await new Promise((r) => setImmediate(r));
    }
    await log.close();
    const logs = readdirSync(sub)
      .filter((f) => /^ironvix\.\d{4}-\d{2}-\d{2}\.log/.test(f))
      .sort();
    assert.equal(logs.length, 3, `kept files: ${logs.join(', ')}`);
    // A file closes at the first line past the limit: one line (~110 bytes) of slack.
    for (const f of logs) assert.ok(statSync(join(sub, f)).size <= 2_200, `${f} over the limit`);
    // The named path follows the newest file, which holds the last line.
    assert.match(readFileSync(file, 'utf8'), /"i":199/);
  });

  it('serialises errors, bigints and cycles instead of throwing', async () => {
    const out = sink();
    const log = createLogger({ level: 'info', console: true, stream: out.stream, now: fixedNow });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    log.error('failed', { err: new IronvixError('E_USAGE', 'bad flag'), big: 12n, cyclic });
    await log.close();
    const fields = out.lines()[0]!['fields'] as {
      err: { name: string; message: string; code: string; stack: string };
      big: string;
      cyclic: { name: string; self: string };
    };
    assert.equal(fields.err.name, 'IronvixError');
    assert.equal(fields.err.message, 'bad flag');
    assert.equal(fields.err.code, 'E_USAGE');
    assert.match(fields.err.stack, /winston-logger\.test\.ts/);
    assert.equal(fields.big, '12');
    assert.deepEqual(fields.cyclic, { name: 'loop', self: '[Circular]' });
  });

  it('writes to stderr by default, never stdout', () => {
    const script = [
      "const m = await import('./src/adapters/log/winston-logger.ts');",
      "const log = m.createLogger({ level: 'info', console: true });",
      "log.info('to stderr', { n: 1 });",
      'await log.close();',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: projectPath(),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const line = JSON.parse(r.stderr.trim()) as Record<string, unknown>;
    assert.equal(line['msg'], 'to stderr');
    assert.deepEqual(line['fields'], { n: 1 });
  });
});
