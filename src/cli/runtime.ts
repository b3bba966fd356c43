// What every command shares: its output streams, the configuration (.env or --env-file, read once
// and validated), and the logger that configuration asks for. Created by main.ts per run and
// closed when the command ends, so log files are flushed on every exit path. winston is imported
// only when a command asks for the logger: preview never pays for it (cold start, issue 8).
import type { ClosableLogger } from '../adapters/log/winston-logger.ts';
import type { AppConfig } from '../config/env.ts';
import { loadEnv } from '../config/env.ts';
import type { Logger } from '../ports/logger.ts';

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

export interface Runtime {
  readonly io: CliIo;
  /** The validated configuration; throws E_CONFIG_INVALID (exit 2) on the first call if it is broken. */
  config(): AppConfig;
  /** The logger the configuration asks for (JSON lines on stderr and IRONVIX_LOG_FILE), created once. */
  logger(): Promise<Logger>;
  /**
   * Interactive commands (demo, preview, status) whose output is the point: unless
   * IRONVIX_LOG_LEVEL is set, the log shows warnings and errors only.
   */
  quietByDefault(): void;
  /** Set from the global --env-file option before the command's action runs. */
  useEnvFile(path: string | undefined): void;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Default process.env (tests inject one). */
  readonly env?: NodeJS.ProcessEnv;
  /** Default the project's .env (tests inject an empty file). */
  readonly envFile?: string;
}

export function createRuntime(io: CliIo, opts: RuntimeOptions = {}): Runtime {
  let envFile = opts.envFile;
  let config: AppConfig | undefined;
  let logger: Promise<ClosableLogger> | undefined;
  let quiet = false;
  const getConfig = (): AppConfig => {
    if (config === undefined) {
      config = loadEnv({
        ...(envFile !== undefined ? { envFile } : {}),
        ...(opts.env !== undefined ? { env: opts.env } : {}),
      });
    }
    return config;
  };
  return {
    io,
    config: getConfig,
    logger() {
      if (logger === undefined) {
        const c = getConfig();
        const level = quiet && c.origins.IRONVIX_LOG_LEVEL === 'default' ? 'warn' : c.logLevel;
        logger = import('../adapters/log/winston-logger.ts').then(({ createLogger }) => {
          const created = createLogger({
            level,
            console: true,
            ...(c.logFile !== null ? { file: c.logFile } : {}),
          });
          for (const w of c.warnings) created.warn(w, { component: 'config' });
          return created;
        });
      }
      return logger;
    },
    quietByDefault() {
      quiet = true;
    },
    useEnvFile(path) {
      if (path !== undefined) envFile = path;
    },
    async close() {
      // A logger that failed to load has nothing to flush; the command already saw the failure.
      await logger?.then((l) => l.close()).catch(() => undefined);
    },
  };
}
