// Configuration from the environment, validated once at start.
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.url().optional(),
  WASEL_SECRET: z.string().optional(),
  WASEL_DEMO: flag,
  WASEL_STATIC_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The bearer token a Prometheus scraper sends for /metrics; unset, there is no /metrics. */
  WASEL_METRICS_TOKEN: z.string().min(16).optional(),
  /** Seconds between SIGTERM and closing: readiness says 503 meanwhile, so a proxy sends no new requests. */
  WASEL_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
  /** PEM files: with both, the server speaks HTTPS itself (a service worker needs a secure origin). */
  WASEL_TLS_CERT: z.string().min(1).optional(),
  WASEL_TLS_KEY: z.string().min(1).optional(),
  /** Behind one reverse proxy: the client's address is the last in X-Forwarded-For, not the socket's. */
  WASEL_TRUST_PROXY: flag,
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  secret: string | undefined;
  demo: boolean;
  staticDir: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  metricsToken: string | undefined;
  drainSeconds: number;
  /** Paths of the certificate (chain) and its key, to serve HTTPS; undefined serves plain HTTP. */
  tls: { certFile: string; keyFile: string } | undefined;
  trustProxy: boolean;
}

export const defaultStaticDir = fileURLToPath(new URL('../dist/', import.meta.url));

/** Reads the configuration; throws with every problem listed when a variable is invalid. */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([k, v]) => k in envSchema.shape && v !== '')),
  );
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if ((e.WASEL_TLS_CERT === undefined) !== (e.WASEL_TLS_KEY === undefined))
    throw new Error('Invalid configuration: WASEL_TLS_CERT and WASEL_TLS_KEY go together (both, or neither)');
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    secret: e.WASEL_SECRET,
    demo: e.WASEL_DEMO,
    staticDir: e.WASEL_STATIC_DIR ?? defaultStaticDir,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.WASEL_METRICS_TOKEN,
    drainSeconds: e.WASEL_DRAIN_SECONDS,
    tls:
      e.WASEL_TLS_CERT === undefined || e.WASEL_TLS_KEY === undefined
        ? undefined
        : { certFile: e.WASEL_TLS_CERT, keyFile: e.WASEL_TLS_KEY },
    trustProxy: e.WASEL_TRUST_PROXY,
  };
}
