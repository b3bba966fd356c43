// The mode a command works in: --mode picks sim or paper freely; live only when configured live.
import type { AppConfig } from '../../config/env.ts';
import type { Mode } from '../../domain/mode.ts';
import { IronvixError } from '../../errors.ts';

/** The mode a command runs in: --mode names sim or paper freely; live must be IRONVIX_MODE's too. */
export function commandMode(config: AppConfig, flag: Mode | undefined): Mode {
  const mode = flag ?? config.mode;
  if (mode === 'live' && config.mode !== 'live')
    throw new IronvixError(
      'E_LIVE_NOT_ARMED',
      `--mode live refused: IRONVIX_MODE is ${config.mode}; live trading needs IRONVIX_MODE=live, the --live flag and IRONVIX_LIVE_ARMED=yes`,
    );
  return mode;
}
