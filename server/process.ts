// Runs the backend as a process with signal handling; the entry points are serve.ts and start.ts.
import { loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

/** After draining: how long requests in flight may take to finish before the process exits anyway. */
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
    // First drained (readiness 503 for the configured time, still answering), then closed: requests in
    // flight get the grace period to finish, and the process exits anyway after it.
    void (async () => {
      try {
        await running.drain();
        const force = setTimeout(() => {
          log.error('requests still open after the grace period: exiting');
          process.exit(1);
        }, SHUTDOWN_GRACE_MS);
        force.unref();
        await running.close();
        process.exit(0);
      } catch (error) {
        log.error({ err: error }, 'error while shutting down');
        process.exit(1);
      }
    })();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
