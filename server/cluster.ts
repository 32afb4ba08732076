import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { AggregatorRegistry, type Registry, type RegistryContentType } from 'prom-client';
import { parsePrometheusText } from '../prometheus/parse-text.js';
import type { ServerConfig } from './config.js';
import type { BoundAddress } from './http-server.js';
import { snapshotFromMetrics } from './metrics/snapshot-from-metrics.js';
import { formatSnapshotTable } from './metrics/snapshot-table.js';

/**
 * Cluster mode (`--workers N`): the primary forks N copies of `main.js` that share the app port
 * (node:cluster hands connections out round-robin). Each worker keeps its own prom-client registry;
 * a GET /metrics on any worker asks the primary, which collects every worker's registry over IPC
 * (prom-client's AggregatorRegistry) and answers with the sum, so one scrape sees the whole lab.
 * Counters and histograms are summed; prom-client's runtime gauges use their own aggregators
 * (event-loop lag percentiles are averaged over workers, process_start_time_seconds is dropped).
 */

/** Worker → primary and primary → worker messages; prom-client's own messages share the channel. */
type ClusterMessage =
  | { type: 'metric-lab:ready'; app: BoundAddress }
  | { type: 'metric-lab:metrics-request'; requestId: number }
  | { type: 'metric-lab:metrics-response'; requestId: number; text: string }
  | { type: 'metric-lab:metrics-error'; requestId: number; error: string }
  | { type: 'metric-lab:drain' }
  | { type: 'metric-lab:force' };

function isClusterMessage(message: unknown): message is ClusterMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    typeof (message as { type?: unknown }).type === 'string' &&
    (message as { type: string }).type.startsWith('metric-lab:')
  );
}

/** How long a worker waits for the primary's aggregate (prom-client gives up on a silent worker after 5 s). */
const METRICS_TIMEOUT_MS = 10_000;
/** How long past the grace period the primary waits before killing workers that did not exit. */
const EXIT_MARGIN_MS = 3_000;

export interface ClusterWorkerLink {
  workerId: number;
  /** Lets the primary read this registry when it aggregates. */
  share(registry: Registry): void;
  /** Every worker's metrics, summed by the primary, as exposition text. */
  clusterMetrics(): Promise<string>;
  /** Tells the primary this worker accepts connections. */
  ready(app: BoundAddress): void;
  /** `drain` on the primary's shutdown (or when the primary is gone); `force` on its second signal. */
  onShutdownRequest(handlers: ShutdownHandlers): void;
}

export interface ShutdownHandlers {
  drain: () => void;
  force: () => void;
}

/** The worker side; call once, in a worker, before serving. */
export function joinCluster(): ClusterWorkerLink {
  const worker = cluster.worker;
  if (!cluster.isWorker || worker === undefined) throw new Error('joinCluster() called outside a cluster worker');
  // Constructing one installs prom-client's worker-side listener that answers the primary.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let nextRequestId = 0;
  // A drain can arrive before main() has its handlers (a replacement worker still starting).
  let drainRequested = false;
  let shutdown: ShutdownHandlers = {
    drain: () => {
      drainRequested = true;
    },
    force: () => {},
  };

  const settle = (requestId: number, outcome: { text: string } | { error: string }) => {
    const request = pending.get(requestId);
    if (request === undefined) return;
    pending.delete(requestId);
    clearTimeout(request.timer);
    if ('text' in outcome) request.resolve(outcome.text);
    else request.reject(new Error(`cluster metrics: ${outcome.error}`));
  };
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.type === 'metric-lab:metrics-response') settle(message.requestId, { text: message.text });
    else if (message.type === 'metric-lab:metrics-error') settle(message.requestId, { error: message.error });
    else if (message.type === 'metric-lab:drain') shutdown.drain();
    else if (message.type === 'metric-lab:force') shutdown.force();
  });
  // A primary that died cannot hand out connections any more; finish what is in flight and go.
  process.on('disconnect', () => {
    for (const requestId of [...pending.keys()]) settle(requestId, { error: 'the primary process is gone' });
    shutdown.drain();
  });

  return {
    workerId: worker.id,
    share(registry) {
      AggregatorRegistry.setRegistries([registry]);
    },
    clusterMetrics() {
      return new Promise((resolve, reject) => {
        const requestId = nextRequestId++;
        const timer = setTimeout(
          () => settle(requestId, { error: `no answer from the primary within ${METRICS_TIMEOUT_MS} ms` }),
          METRICS_TIMEOUT_MS,
        );
        pending.set(requestId, { resolve, reject, timer });
        send({ type: 'metric-lab:metrics-request', requestId }, (error) => settle(requestId, { error: error.message }));
      });
    },
    ready(app) {
      send({ type: 'metric-lab:ready', app }, () => {});
    },
    onShutdownRequest(handlers) {
      shutdown = handlers;
      if (drainRequested) handlers.drain();
    },
  };
}

function send(message: ClusterMessage, onError: (error: Error) => void): void {
  if (!process.connected || process.send === undefined) {
    onError(new Error('not connected to the primary process'));
    return;
  }
  process.send(message, undefined, {}, (error: Error | null) => {
    if (error) onError(error);
  });
}

interface WorkerState {
  worker: Worker;
  ready: boolean;
  exit: { code: number | null; signal: string | null } | null;
}

/**
 * The primary: forks the workers, answers their /metrics requests with the aggregate, logs the one
 * `listening` line tools wait for, replaces a worker that dies while serving, and on SIGTERM/SIGINT
 * drains every worker and exits 0 only if all of them finished gracefully.
 */
export function runClusterPrimary(config: ServerConfig, logger: Logger): void {
  const aggregator = new AggregatorRegistry();
  const workers = new Map<number, WorkerState>();
  let listening = false;
  let shuttingDown = false;
  let startupFailed = false;

  const fork = () => {
    const worker = cluster.fork();
    workers.set(worker.id, { worker, ready: false, exit: null });
    return worker;
  };
  const live = () => [...workers.values()].filter((w) => w.exit === null);
  const tell = (message: ClusterMessage) => {
    for (const { worker } of live()) if (worker.isConnected()) worker.send(message);
  };

  cluster.on('message', (worker, message: unknown) => {
    if (!isClusterMessage(message)) return;
    if (message.type === 'metric-lab:metrics-request') {
      const { requestId } = message;
      const reply = (answer: ClusterMessage) => {
        if (worker.isConnected()) worker.send(answer);
      };
      aggregator.clusterMetrics().then(
        (text) => reply({ type: 'metric-lab:metrics-response', requestId, text }),
        (error: Error) => reply({ type: 'metric-lab:metrics-error', requestId, error: error.message }),
      );
    } else if (message.type === 'metric-lab:ready') {
      const state = workers.get(worker.id);
      if (state === undefined) return;
      state.ready = true;
      if (listening) {
        logger.info(
          { event: 'worker_started', worker: worker.id, pid: worker.process.pid },
          `worker ${worker.id} started as a replacement`,
        );
      } else if (live().every((w) => w.ready)) {
        listening = true;
        logListening(logger, config, message.app, live());
      }
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const state = workers.get(worker.id);
    if (state === undefined) return;
    state.exit = { code, signal };
    if (!shuttingDown) {
      if (!state.ready) {
        // It could not start (port in use, ...); its own error line is on stderr already.
        startupFailed = true;
        beginShutdown('startup_failed');
      } else {
        logger.error(
          { event: 'worker_exited', worker: worker.id, code, signal },
          `worker ${worker.id} exited unexpectedly; starting a replacement`,
        );
        fork();
      }
    } else if (live().length === 0) {
      finish();
    }
  });

  let startedAtMs = 0;
  let draining: WorkerState[] = [];
  let killTimer: NodeJS.Timeout | undefined;
  const beginShutdown = (reason: NodeJS.Signals | 'startup_failed') => {
    shuttingDown = true;
    startedAtMs = performance.now();
    draining = live();
    tell({ type: 'metric-lab:drain' });
    killTimer = setTimeout(() => {
      logger.error({ event: 'shutdown_timeout' }, 'workers did not exit in time; killing them');
      for (const { worker } of live()) worker.process.kill('SIGKILL');
    }, config.shutdownGraceMs + EXIT_MARGIN_MS);
    if (reason !== 'startup_failed') {
      logger.info(
        { event: 'shutdown_started', signal: reason, workers: draining.length, grace_ms: config.shutdownGraceMs },
        'shutting down: draining every worker',
      );
    }
    if (draining.length === 0) finish();
  };
  const finish = () => {
    clearTimeout(killTimer);
    if (startupFailed) process.exit(1);
    const exits = draining.map((w) => ({ worker: w.worker.id, code: w.exit?.code ?? null, signal: w.exit?.signal ?? null }));
    const graceful = exits.every((e) => e.code === 0);
    const fields = {
      event: 'shutdown_complete',
      outcome: graceful ? 'graceful' : 'forced',
      workers: exits,
      duration_ms: Math.round(performance.now() - startedAtMs),
    };
    if (graceful) logger.info(fields, 'shutdown complete: every worker drained');
    else logger.error(fields, 'shutdown complete, but not every worker finished gracefully');
    process.exit(graceful ? 0 : 1);
  };

  const onSignal = (signal: NodeJS.Signals) => {
    if (!shuttingDown) {
      beginShutdown(signal);
      return;
    }
    logger.warn({ event: 'shutdown_forced', signal }, 'second signal: workers close all connections now');
    tell({ type: 'metric-lab:force' });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGUSR2', () => void logAggregateSnapshot(aggregator, logger));

  for (let i = 0; i < config.workers; i++) fork();
}

function logListening(baseLogger: Logger, config: ServerConfig, app: BoundAddress, workers: readonly WorkerState[]): void {
  // Tools wait for this line, so it is written at any level but silent (as in single-process mode).
  const logger = baseLogger.isLevelEnabled('info') || config.logLevel === 'silent' ? baseLogger : baseLogger.child({}, { level: 'info' });
  logger.info(
    {
      event: 'listening',
      app,
      pprof: null,
      workers: workers.map((w) => ({ worker: w.worker.id, pid: w.worker.process.pid })),
      metrics: config.metrics,
      runtime_metrics: config.runtimeMetrics,
      knobs: config.knobs,
      limits: config.limits,
      node: process.version,
    },
    `metric-lab listening on ${app.url} with ${workers.length} workers; /metrics sums every worker; diagnostics server off in cluster mode`,
  );
}

/** SIGUSR2 on the primary: Go's LogSnapshot table over all workers, from the aggregated buckets. */
async function logAggregateSnapshot(aggregator: AggregatorRegistry<RegistryContentType>, logger: Logger): Promise<void> {
  try {
    const parsed = parsePrometheusText(await aggregator.clusterMetrics());
    if (!parsed.ok) throw new Error(`aggregated metrics line ${parsed.error.line}: ${parsed.error.message}`);
    const result = snapshotFromMetrics(parsed.families);
    if (!result.ok) throw new Error(result.error);
    logger.info({ event: 'snapshot', reason: 'SIGUSR2', snapshot: result.snapshot }, 'metrics.snapshot (all workers)');
    process.stderr.write(`${formatSnapshotTable(result.snapshot)}\n`);
  } catch (error) {
    logger.error({ event: 'snapshot_failed', err: error }, 'could not collect the workers’ metrics');
  }
}
