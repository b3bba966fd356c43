// Where the project lives on disk, found from this file's URL so the bot behaves the same from any cwd.
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the project root (the directory holding package.json). */
export const PROJECT_ROOT: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** An absolute path inside the project: projectPath('strategies', 'alvh-default.json'). */
export function projectPath(...segments: readonly string[]): string {
  return resolve(PROJECT_ROOT, ...segments);
}

/** Relative paths from configuration are taken from the project root, not the cwd (cron-safe). */
export function resolveFromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(PROJECT_ROOT, path);
}

/** The shipped strategy file. */
export function defaultStrategyPath(): string {
  return projectPath('strategies', 'alvh-default.json');
}

/** Journal databases, logs and run state live here unless IRONVIX_DATA_DIR says otherwise. */
export function defaultDataDir(): string {
  return projectPath('var');
}

/** The .env file loadEnv reads by default. */
export function defaultEnvFile(): string {
  return projectPath('.env');
}
