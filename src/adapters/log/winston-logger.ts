// The Logger port on winston: one JSON line per record, on stderr (stdout carries command output).
import { mkdirSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { Writable } from 'node:stream';
import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';
import type { LogFields, Logger } from '../../ports/logger.ts';
import { silentLogger } from './silent-logger.ts';

export type LogLevelSetting = 'error' | 'warn' | 'info' | 'debug' | 'silent';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
type Level = keyof typeof LEVELS;

export interface CreateLoggerOptions {
  readonly level: LogLevelSetting;
  /** Also append JSON lines to this file (its directory is created). */
  readonly file?: string;
  /** Write JSON lines to stderr. */
  readonly console: boolean;
  /** Where "console" lines go; default process.stderr (tests pass a buffer). */
  readonly stream?: Writable;
  /** Timestamp source; default the system clock. */
  readonly now?: () => Date;
  /** File rotation: a new file each day and whenever one reaches maxBytes; the newest maxFiles are kept. */
  readonly rotation?: { readonly maxBytes: number; readonly maxFiles: number };
}

/** Rotation by default: daily files of at most 10 MiB, the last 14 kept. */
export const DEFAULT_LOG_ROTATION = { maxBytes: 10 * 1024 * 1024, maxFiles: 14 } as const;

/** A Logger that can flush and close its file before the process exits. */
export interface ClosableLogger extends Logger {
  close(): Promise<void>;
}

export function createLogger(opts: CreateLoggerOptions): ClosableLogger {
  if (opts.level === 'silent' || (!opts.console && opts.file === undefined)) {
    return { ...silentLogger, close: () => Promise.resolve() };
  }
  const now = opts.now ?? (() => new Date());
  const transports: winston.transport[] = [];
  if (opts.console) transports.push(new winston.transports.Stream({ stream: opts.stream ?? process.stderr }));
  const fileTransports: DailyRotateFile[] = [];
  if (opts.file !== undefined) {
    mkdirSync(dirname(opts.file), { recursive: true });
    const rotation = opts.rotation ?? DEFAULT_LOG_ROTATION;
    // ironvix.log -> ironvix.2026-03-17.log (and .1, .2 ... past maxBytes); the named path stays a
    // link to the current file, so `tail -F` on it follows the newest lines.
    const ext = extname(opts.file);
    const stem = opts.file.slice(0, opts.file.length - ext.length);
    const file = new DailyRotateFile({
      filename: `${stem}.%DATE%${ext}`,
      datePattern: 'YYYY-MM-DD',
      utc: true,
      maxSize: rotation.maxBytes,
      maxFiles: rotation.maxFiles,
      createSymlink: true,
      symlinkName: basename(opts.file),
      auditFile: `${stem}.audit.json`,
    });
    fileTransports.push(file);
    transports.push(file);
  }
  const base = winston.createLogger({
    levels: LEVELS,
    level: opts.level,
    format: winston.format.printf((info) => jsonLine(now(), info)),
    transports,
    exitOnError: false,
  });
  const make = (bound: LogFields): Logger => {
    const log = (level: Level, msg: string, fields?: LogFields): void => {
      const merged = fields === undefined ? bound : { ...bound, ...fields };
      base.log(level, msg, { [FIELDS]: merged });
    };
    return {
      debug: (msg, fields) => log('debug', msg, fields),
      info: (msg, fields) => log('info', msg, fields),
      warn: (msg, fields) => log('warn', msg, fields),
      error: (msg, fields) => log('error', msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  const root = make({});
  return {
    ...root,
    close: () => closeAll(base, fileTransports),
  };
}

const FIELDS = Symbol('fields');

function jsonLine(at: Date, info: winston.Logform.TransformableInfo): string {
  const fields = (info as unknown as Record<symbol, LogFields | undefined>)[FIELDS] ?? {};
  const record: Record<string, unknown> = {
    timestamp: at.toISOString(),
    level: info.level,
    msg: typeof info.message === 'string' ? info.message : String(info.message),
  };
  if (Object.keys(fields).length > 0) record['fields'] = fields;
  return safeStringify(record);
}

/** JSON that survives errors, bigints and cycles (a log call must never throw). */
export function safeStringify(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Error) {
      const out: Record<string, unknown> = { name: v.name, message: v.message };
      if ('code' in v) out['code'] = v.code;
      if (v.stack !== undefined) out['stack'] = v.stack;
      return out;
    }
    if (v !== null && typeof v === 'object') {
      if (seen.has(v)) return '[Circular]';
      seen.add(v);
    }
    return v;
  });
}

async function closeAll(base: winston.Logger, files: readonly DailyRotateFile[]): Promise<void> {
  await new Promise<void>((resolve) => {
    base.once('finish', () => resolve());
    base.end();
  });
  // The rotating file flushes its stream only on close(), then says 'finish'.
  await Promise.all(
    files.map(
      (t) =>
        new Promise<void>((resolve) => {
          t.once('finish', () => resolve());
          t.close?.();
        }),
    ),
  );
}
