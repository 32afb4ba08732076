import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import {
  BIGINT_ITERATION_COST,
  DEFAULT_LIMITS,
  GO_DEFAULT_KNOBS,
  KNOB_SPECS,
  applyKnobs,
  type WorkKnobs,
  type WorkLimits,
} from './work/knobs.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything `npm start` needs, fully defaulted. */
export interface ServerConfig {
  host: string;
  port: number;
  /** null: no diagnostics server. */
  pprof: { host: string; port: number } | null;
  logLevel: LogLevel;
  metrics: boolean;
  runtimeMetrics: boolean;
  /** How long in-flight requests get to finish after SIGTERM/SIGINT (Go's 5 s). */
  shutdownGraceMs: number;
  /** 1: one process. More: a node:cluster primary forks this many workers sharing the app port. */
  workers: number;
  /** Shut down (as on SIGTERM) when the process that started the lab is gone: the bench sets it. */
  exitWithParent: boolean;
  knobs: WorkKnobs;
  limits: WorkLimits;
}

export type ConfigResult = { kind: 'config'; config: ServerConfig } | { kind: 'help' } | { kind: 'error'; message: string };

interface OptionSpec {
  flag: string;
  env: string;
  description: string;
  defaultText: string;
}

const MAX_WORKERS = 64;

/** The server's defaults, once: the parser and the help text both read them. */
export const SERVER_DEFAULTS = {
  port: 8080,
  host: '127.0.0.1',
  pprofPort: 6060,
  pprofHost: '127.0.0.1',
  logLevel: 'info',
  metrics: true,
  runtimeMetrics: true,
  shutdownGraceMs: 5_000,
  workers: 1,
  exitWithParent: false,
} as const;

const onOffText = (value: boolean) => (value ? 'on' : 'off');

const SERVER_OPTIONS: readonly OptionSpec[] = [
  { flag: 'port', env: 'PORT', description: 'app port (0 picks a free one)', defaultText: String(SERVER_DEFAULTS.port) },
  { flag: 'host', env: 'HOST', description: 'app address', defaultText: SERVER_DEFAULTS.host },
  {
    flag: 'pprof-port',
    env: 'PPROF_PORT',
    description: 'diagnostics port (0 picks a free one, "off" disables)',
    defaultText: String(SERVER_DEFAULTS.pprofPort),
  },
  {
    flag: 'pprof-host',
    env: 'PPROF_HOST',
    description: 'diagnostics address (loopback unless --pprof-allow-remote)',
    defaultText: SERVER_DEFAULTS.pprofHost,
  },
  { flag: 'log-level', env: 'LOG_LEVEL', description: LOG_LEVELS.join('|'), defaultText: SERVER_DEFAULTS.logLevel },
  {
    flag: 'metrics',
    env: 'LAB_METRICS',
    description: 'on|off: record HTTP and section metrics',
    defaultText: onOffText(SERVER_DEFAULTS.metrics),
  },
  {
    flag: 'runtime-metrics',
    env: 'LAB_RUNTIME_METRICS',
    description: 'on|off: Node runtime metrics (event loop, GC, heap)',
    defaultText: onOffText(SERVER_DEFAULTS.runtimeMetrics),
  },
  {
    flag: 'shutdown-grace-ms',
    env: 'LAB_SHUTDOWN_GRACE_MS',
    description: 'time in-flight requests get on SIGTERM',
    defaultText: String(SERVER_DEFAULTS.shutdownGraceMs),
  },
  {
    flag: 'exit-with-parent',
    env: 'LAB_EXIT_WITH_PARENT',
    description: 'on|off: shut down when the starting process dies (the bench sets it, so kill -9 of the bench leaves no lab)',
    defaultText: onOffText(SERVER_DEFAULTS.exitWithParent),
  },
  {
    flag: 'workers',
    env: 'LAB_WORKERS',
    description: `worker processes sharing the app port, /metrics summed over all (1-${MAX_WORKERS}; >1 turns diagnostics off)`,
    defaultText: String(SERVER_DEFAULTS.workers),
  },
];

const LIMIT_OPTIONS: readonly (OptionSpec & { key: keyof WorkLimits; max: number })[] = [
  {
    key: 'maxDbWaitMs',
    flag: 'max-db-wait-ms',
    env: 'LAB_MAX_DB_WAIT_MS',
    description: 'upper limit for any DB wait, ms',
    defaultText: String(DEFAULT_LIMITS.maxDbWaitMs),
    max: 600_000,
  },
  {
    key: 'maxLoopIterations',
    flag: 'max-loop-iterations',
    env: 'LAB_MAX_LOOP_ITERATIONS',
    description: 'upper limit for loop_iterations',
    defaultText: String(DEFAULT_LIMITS.maxLoopIterations),
    max: 2 ** 32 - 1,
  },
  {
    key: 'maxBigintLoopIterations',
    flag: 'max-bigint-loop-iterations',
    env: 'LAB_MAX_BIGINT_LOOP_ITERATIONS',
    description: 'upper limit for loop_iterations with loop_impl=bigint',
    defaultText: String(DEFAULT_LIMITS.maxBigintLoopIterations),
    max: 2 ** 32 - 1,
  },
  {
    key: 'maxInFlightRequests',
    flag: 'max-in-flight-requests',
    env: 'LAB_MAX_IN_FLIGHT_REQUESTS',
    description: '/api/work requests in flight at once; more get 503 with Retry-After (load shedding)',
    defaultText: String(DEFAULT_LIMITS.maxInFlightRequests),
    max: 1_000_000,
  },
  {
    key: 'maxPayloadBytesInFlight',
    flag: 'max-payload-bytes-in-flight',
    env: 'LAB_MAX_PAYLOAD_BYTES_IN_FLIGHT',
    description: 'payload bytes held by responses in flight (slow readers too); more get 503',
    defaultText: String(DEFAULT_LIMITS.maxPayloadBytesInFlight),
    max: 2 ** 40,
  },
  {
    key: 'maxLoopIterationsInFlight',
    flag: 'max-loop-iterations-in-flight',
    env: 'LAB_MAX_LOOP_ITERATIONS_IN_FLIGHT',
    description: `hot-loop iterations of the requests in flight (a bigint one counts ${BIGINT_ITERATION_COST}); more get 503`,
    defaultText: String(DEFAULT_LIMITS.maxLoopIterationsInFlight),
    max: 2 ** 40,
  },
  {
    key: 'maxPayloadBytes',
    flag: 'max-payload-bytes',
    env: 'LAB_MAX_PAYLOAD_BYTES',
    description: 'upper limit for a payload, bytes',
    defaultText: String(DEFAULT_LIMITS.maxPayloadBytes),
    max: 1024 ** 3,
  },
];

const knobFlag = (param: string) => param.replaceAll('_', '-');
const knobEnv = (param: string) => `LAB_${param.toUpperCase()}`;

const KNOB_OPTIONS: readonly (OptionSpec & { param: string })[] = KNOB_SPECS.map((spec) => ({
  param: spec.param,
  flag: knobFlag(spec.param),
  env: knobEnv(spec.param),
  description: spec.param === 'seed' ? 'seeds the server RNG stream (random if unset)' : spec.description,
  defaultText: spec.param === 'seed' ? 'random' : String(GO_DEFAULT_KNOBS[spec.key]),
}));

const ALL_OPTIONS = [...SERVER_OPTIONS, ...LIMIT_OPTIONS, ...KNOB_OPTIONS];

export function serverUsage(): string {
  const width = Math.max(...ALL_OPTIONS.map((o) => o.flag.length), 'pprof-allow-remote'.length);
  const line = (flags: string, description: string) => `  ${flags.padEnd(width + 2)} ${description}`;
  const row = (o: OptionSpec) => line(`--${o.flag}`, `${o.description} [${o.env}, default ${o.defaultText}]`);
  return [
    'Usage: npm start -- [options]',
    '',
    'Runs the metric lab: GET /api/work, /metrics, /healthz, and the diagnostics server',
    '(/debug/pprof/*) on a separate loopback port. Flags override environment variables.',
    '',
    'Server:',
    ...SERVER_OPTIONS.map(row),
    line('--pprof-allow-remote', 'let the diagnostics server listen beyond loopback (exposes internals)'),
    '',
    'Workload defaults (each can be overridden per request by the query parameter of the same name,',
    'with underscores: /api/work?loop_iterations=5000000):',
    ...KNOB_OPTIONS.map(row),
    '',
    'Limits (a request beyond a per-request limit gets 400; beyond a bound on what is in flight, 503',
    'at once, with Retry-After):',
    ...LIMIT_OPTIONS.map(row),
    '',
    line('-h, --help', 'show this help'),
    '',
    'With --workers N the primary process forks N workers (node:cluster); /metrics on any of them',
    "answers with every worker's metrics summed, and SIGTERM drains them all.",
    '',
    'Exit codes: 0 clean shutdown, 1 forced shutdown or runtime failure, 2 bad usage.',
  ].join('\n');
}

type Source = (flag: string, env: string) => { value: string; origin: string } | undefined;

export function parseServerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ConfigResult {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(ALL_OPTIONS.map((o) => [o.flag, { type: 'string' as const }])),
        'pprof-allow-remote': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // parseArgs explains across several lines; keep the one-line contract.
    return { kind: 'error', message: `${(error as Error).message.replaceAll('\n', ' ')} (see --help)` };
  }
  if (values.help === true) return { kind: 'help' };

  const source: Source = (flag, envName) => {
    const fromFlag = values[flag];
    if (typeof fromFlag === 'string') return { value: fromFlag, origin: `--${flag}` };
    const fromEnv = env[envName];
    if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, origin: `${envName} (environment)` };
    return undefined;
  };

  try {
    const limits = { ...DEFAULT_LIMITS };
    for (const option of LIMIT_OPTIONS) {
      const given = source(option.flag, option.env);
      if (given) limits[option.key] = integer(given, 1, option.max);
    }

    const rawKnobs = new Map<string, string[]>();
    const knobOrigins = new Map<string, string>();
    for (const option of KNOB_OPTIONS) {
      const given = source(option.flag, option.env);
      if (!given) continue;
      rawKnobs.set(option.param, [given.value]);
      knobOrigins.set(option.param, given.origin);
    }
    const knobs = applyKnobs(rawKnobs, GO_DEFAULT_KNOBS, limits);
    if (!knobs.ok) {
      const { parameter, expected, received } = knobs.error;
      const origin = knobOrigins.get(parameter) ?? `--${knobFlag(parameter)}`;
      throw new ConfigError(`${origin}: expected ${expected}, got ${JSON.stringify(received)}`);
    }

    const port = integerOr(source('port', 'PORT'), SERVER_DEFAULTS.port, 0, 65535);
    const host = source('host', 'HOST')?.value ?? SERVER_DEFAULTS.host;
    const pprofPortGiven = source('pprof-port', 'PPROF_PORT');
    const pprofHostGiven = source('pprof-host', 'PPROF_HOST');
    const pprofHost = pprofHostGiven?.value ?? SERVER_DEFAULTS.pprofHost;
    if (pprofHostGiven && !isLoopback(pprofHost) && values['pprof-allow-remote'] !== true) {
      throw new ConfigError(
        `${pprofHostGiven.origin}: expected a loopback address (profiles expose process internals), got ${JSON.stringify(pprofHost)}; add --pprof-allow-remote to override`,
      );
    }
    const workersGiven = source('workers', 'LAB_WORKERS');
    const workers = integerOr(workersGiven, SERVER_DEFAULTS.workers, 1, MAX_WORKERS);
    const pprofWanted = pprofPortGiven?.value !== 'off';
    // A profile is of one process; with several workers "the" diagnostics server would be a lottery.
    if (workers > 1 && pprofWanted && pprofPortGiven) {
      throw new ConfigError(
        `${pprofPortGiven.origin}: the diagnostics server profiles one process and is off with ${workersGiven?.origin ?? '--workers'} ${workers}; expected "off" or --workers 1, got ${JSON.stringify(pprofPortGiven.value)}`,
      );
    }
    const pprof =
      !pprofWanted || workers > 1 ? null : { host: pprofHost, port: integerOr(pprofPortGiven, SERVER_DEFAULTS.pprofPort, 0, 65535) };

    return {
      kind: 'config',
      config: {
        host,
        port,
        pprof,
        logLevel: oneOf(source('log-level', 'LOG_LEVEL'), LOG_LEVELS, SERVER_DEFAULTS.logLevel),
        metrics: onOff(source('metrics', 'LAB_METRICS'), SERVER_DEFAULTS.metrics),
        runtimeMetrics: onOff(source('runtime-metrics', 'LAB_RUNTIME_METRICS'), SERVER_DEFAULTS.runtimeMetrics),
        exitWithParent: onOff(source('exit-with-parent', 'LAB_EXIT_WITH_PARENT'), SERVER_DEFAULTS.exitWithParent),
        shutdownGraceMs: integerOr(source('shutdown-grace-ms', 'LAB_SHUTDOWN_GRACE_MS'), SERVER_DEFAULTS.shutdownGraceMs, 0, 600_000),
        workers,
        knobs: knobs.knobs,
        limits,
      },
    };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: 'error', message: error.message };
    throw error;
  }
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

class ConfigError extends Error {}

function integer(given: { value: string; origin: string }, min: number, max: number): number {
  const value = /^\d+$/.test(given.value) ? Number(given.value) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new ConfigError(`${given.origin}: expected an integer in [${min}, ${max}], got ${JSON.stringify(given.value)}`);
  }
  return value;
}

function integerOr(given: { value: string; origin: string } | undefined, fallback: number, min: number, max: number): number {
  return given ? integer(given, min, max) : fallback;
}

function oneOf<T extends string>(given: { value: string; origin: string } | undefined, allowed: readonly T[], fallback: T): T {
  if (!given) return fallback;
  if ((allowed as readonly string[]).includes(given.value)) return given.value as T;
  throw new ConfigError(`${given.origin}: expected one of ${allowed.join(', ')}, got ${JSON.stringify(given.value)}`);
}

function onOff(given: { value: string; origin: string } | undefined, fallback: boolean): boolean {
  return given ? oneOf(given, ['on', 'off'] as const, 'on') === 'on' : fallback;
}
