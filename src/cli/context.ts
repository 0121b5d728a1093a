import { loadConfig, type SeparConfig } from '../config/index.js';
import type { Runtime } from '../runtime/index.js';
import { createLogger } from '../platform/logger.js';

/** Open a runtime for a one-shot command (migrations applied), run `fn`, always close. */
export async function withRuntime<T>(fn: (rt: Runtime) => Promise<T>, config: SeparConfig = loadConfig()): Promise<T> {
  // loaded on use, so `separ --help` and argument errors answer without starting the whole server stack
  const { createRuntime } = await import('../runtime/index.js');
  const rt = await createRuntime(config, {
    migrate: true,
    logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr),
  });
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}
