// Runs the backend as a process with signal handling; the entry points are serve.ts and start.ts.
import { loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

const SHUTDOWN_GRACE_MS = 10_000;

/** Starts the server from the environment and stops it gracefully on SIGTERM/SIGINT. */
export async function runProcess(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const running = await startServer(config, log);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('requests still open after the grace period: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
