import { loadConfig, type Config } from '@rendezvous/config';
import { ConfigError, isAppError, ValidationError } from '@rendezvous/errors';
import { createLogger, type Logger } from '@rendezvous/logger';

export interface RunningService {
  /** Closes everything the service opened (servers, workers, queues, pool), in order. */
  stop(): Promise<void>;
}

export interface ServiceContext {
  config: Config;
  logger: Logger;
}

/**
 * The one way a service process starts and stops: config validated at boot (bad config → a
 * message naming the variable and exit code 78, EX_CONFIG), then `start`; on SIGINT/SIGTERM
 * `stop` runs once, bounded by SHUTDOWN_TIMEOUT_MS, after which the process exits anyway.
 * A `ConfigError` thrown by `start` (a file a variable names cannot be used, say) exits like bad
 * env: the message on stderr and code 78. Only this package knows that exit code.
 */
export async function runService(
  name: string,
  start: (ctx: ServiceContext) => Promise<RunningService>,
): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) exitConfigError(name, err);
    throw err;
  }
  const logger = createLogger(config.log, name);
  let running: RunningService | undefined;
  let stopping = false;
  // A service runs until it is told to stop, even while it has nothing scheduled.
  const keepAlive = setInterval(() => undefined, 1 << 30);

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out, exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    try {
      await running?.stop();
      logger.info('stopped');
    } catch (err) {
      logger.error({ err }, 'error while stopping');
      code = code || 1;
    }
    clearTimeout(timer);
    clearInterval(keepAlive);
    process.exit(code);
  };

  // `on`, not `once`: a Ctrl-C reaches every process of the terminal's group and the launcher
  // forwards it too; a second signal must not fall through to the default (immediate death).
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandledRejection', 1);
  });

  try {
    running = await start({ config, logger });
    logger.info('started');
  } catch (err) {
    running = undefined;
    if (err instanceof ConfigError) {
      process.stderr.write(`${name}: ${err.message}\n`);
      await shutdown('configuration error', EX_CONFIG);
      return;
    }
    logger.fatal({ err }, 'failed to start');
    await shutdown('start failed', 1);
  }
}

/** sysexits.h EX_CONFIG: the configuration is unusable. */
const EX_CONFIG = 78;

function exitConfigError(name: string, err: ConfigError): never {
  process.stderr.write(`${name}: ${err.message}\n`);
  process.exit(EX_CONFIG);
}

/**
 * The one way a command-line process ends: runs `main` and sets the exit code from its result or
 * its error. A ConfigError prints its message and exits 78 (EX_CONFIG, as a service does); a
 * usage error (ValidationError, or node:util parseArgs refusing an option) prints it and exits 2;
 * any other error exits 1, with the stack only when it is not one of ours.
 */
export async function runCommand(main: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = EX_CONFIG;
    } else if (err instanceof ValidationError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`error: ${(err as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`error: ${isAppError(err) ? err.message : ((err as Error).stack ?? String(err))}\n`);
      process.exitCode = 1;
    }
  }
}
