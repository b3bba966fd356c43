// Loggers that print nothing: a no-op for quiet runs and a capturing one for tests.
import type { LogFields, Logger } from '../../ports/logger.ts';

const noop = (): void => undefined;

export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};

export interface LogRecord {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  /** The child loggers' bound fields merged with the call's fields. */
  readonly fields: LogFields;
}

/** A Logger that keeps every record in memory, in order, for assertions. */
export function captureLogger(): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const make = (bound: LogFields): Logger => {
    const log =
      (level: LogRecord['level']) =>
      (msg: string, fields?: LogFields): void => {
        records.push({ level, msg, fields: fields === undefined ? bound : { ...bound, ...fields } });
      };
    return {
      debug: log('debug'),
      info: log('info'),
      warn: log('warn'),
      error: log('error'),
      child: (fields) => make({ ...bound, ...fields }),
    };
  };
  return { logger: make({}), records };
}
