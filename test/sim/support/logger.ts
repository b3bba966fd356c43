// Loggers for tests: silent, or capturing every line for assertions.
import type { LogFields, Logger } from '../../../src/ports/logger.ts';

export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  readonly fields: LogFields;
}

export function captureLogger(
  lines: LogLine[] = [],
  bound: LogFields = {},
): Logger & { readonly lines: LogLine[] } {
  const at =
    (level: LogLine['level']) =>
    (msg: string, fields: LogFields = {}): void => {
      lines.push({ level, msg, fields: { ...bound, ...fields } });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => captureLogger(lines, { ...bound, ...fields }),
  };
}
