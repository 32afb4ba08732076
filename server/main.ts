#!/usr/bin/env node
import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { createApp } from './app.js';
import { joinCluster, runClusterPrimary } from './cluster.js';
import { isLoopback, parseServerConfig, serverUsage, type ServerConfig } from './config.js';
import { DIAGNOSTICS_TIMEOUTS, createDiagnosticsApp } from './diagnostics/app.js';
import { GO_TIMEOUTS, ManagedServer, type BoundAddress } from './http-server.js';
import { createLogger } from './log.js';
import { formatSnapshotTable } from './metrics/snapshot-table.js';
import { shutdownServers } from './shutdown.js';
import { isEntryPoint, runCli, type Parsed } from '../lib/cli.js';
import { watchParent } from '../lib/parent-watch.js';

/** `npm start` flags and `LAB_*`/`PORT` variables (pure given the environment). */
export function parseLabArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Parsed<ServerConfig> {
  const parsed = parseServerConfig([...argv], env);
  return parsed.kind === 'config' ? { kind: 'ok', options: parsed.config } : parsed;
}

/** Starts the lab; resolves 0 once it listens (shutdown later exits 0 or 1), 1 when it cannot listen. */
export async function main(config: ServerConfig): Promise<number> {
  // An orphaned lab (its bench killed with -9) shuts down as on SIGTERM, whichever handler is set.
  if (config.exitWithParent && cluster.isPrimary) watchParent(() => process.kill(process.pid, 'SIGTERM'));
  if (config.workers > 1 && cluster.isPrimary) {
    runClusterPrimary(config, createLogger(config.logLevel));
    return 0;
  }
  // In cluster mode this is one worker: /metrics answers for all of them, the primary logs startup.
  const clusterLink = config.workers > 1 ? joinCluster() : null;
  const logger = clusterLink ? createLogger(config.logLevel).child({ worker: clusterLink.workerId }) : createLogger(config.logLevel);
  const lab = createApp({
    knobs: config.knobs,
    limits: config.limits,
    metrics: config.metrics,
    runtimeMetrics: config.runtimeMetrics,
    logger,
    ...(clusterLink ? { metricsText: () => clusterLink.clusterMetrics() } : {}),
  });
  clusterLink?.share(lab.registry);
  const appServer = new ManagedServer(lab.app, GO_TIMEOUTS, { onClientError: lab.countUnparsed });
  // Aborted on shutdown so a running 30 s profile ends early instead of holding up the drain.
  const stopCaptures = new AbortController();
  const diagnosticsServer = config.pprof
    ? new ManagedServer(
        createDiagnosticsApp({ logger, snapshot: lab.snapshot, hdrSnapshot: lab.hdrSnapshot, stopCaptures: stopCaptures.signal }),
        DIAGNOSTICS_TIMEOUTS,
      )
    : null;
  const servers = diagnosticsServer ? [appServer, diagnosticsServer] : [appServer];

  // The app port opens first: profilers such as 0x read "the first port the target opens".
  const appAddress = await listenOrExit(appServer, 'app', config.host, config.port, '--port');
  const pprofAddress =
    diagnosticsServer && config.pprof
      ? await listenOrExit(diagnosticsServer, 'diagnostics', config.pprof.host, config.pprof.port, '--pprof-port')
      : null;
  if (appAddress === null || (diagnosticsServer && pprofAddress === null)) {
    await Promise.all(servers.map((s) => s.drain()));
    // The IPC channel to the primary would keep a worker alive.
    if (clusterLink) process.exit(1);
    return 1;
  }
  if (clusterLink) clusterLink.ready(appAddress);
  else logStartup(logger, config, appAddress, pprofAddress);

  const logSnapshot = (reason: string) => {
    const snapshot = lab.snapshot();
    logger.info({ event: 'snapshot', reason, snapshot }, 'metrics.snapshot');
    process.stderr.write(`${formatSnapshotTable(snapshot)}\n`);
  };
  process.on('SIGUSR2', () => logSnapshot('SIGUSR2'));

  let forceNow: () => void = () => {};
  const secondSignal = new Promise<void>((resolve) => (forceNow = resolve));
  let shuttingDown = false;
  let signalsReceived = 0;
  const onSignal = async (signal: NodeJS.Signals, source: 'os' | 'primary' = 'os') => {
    if (source === 'os') signalsReceived++;
    if (shuttingDown) {
      // Only a second OS signal forces: in cluster mode one Ctrl+C reaches a worker twice, from
      // the terminal and as the primary's drain request.
      if (source === 'os' && signalsReceived > 1) {
        logger.warn({ event: 'shutdown_forced', signal }, 'second signal: closing all connections now');
        forceNow();
      }
      return;
    }
    shuttingDown = true;
    stopCaptures.abort();
    logger.info(
      { event: 'shutdown_started', signal, in_flight: appServer.inFlightRequests, grace_ms: config.shutdownGraceMs },
      'shutting down: finishing in-flight requests',
    );
    const result = await shutdownServers(servers, config.shutdownGraceMs, secondSignal);
    logSnapshot('shutdown');
    const fields = {
      event: 'shutdown_complete',
      outcome: result.outcome,
      forced_by: result.forcedBy,
      in_flight_at_start: result.inFlightAtStart,
      duration_ms: Math.round(result.durationMs),
    };
    if (result.outcome === 'graceful') logger.info(fields, 'shutdown complete');
    else if (result.forcedBy === 'second-signal')
      logger.error(fields, `a second signal cut the remaining connections after ${Math.round(result.durationMs)} ms`);
    else logger.error(fields, `graceful shutdown did not finish within ${config.shutdownGraceMs} ms; connections cut`);
    process.exit(result.outcome === 'graceful' ? 0 : 1);
  };
  process.on('SIGINT', (signal) => void onSignal(signal));
  process.on('SIGTERM', (signal) => void onSignal(signal));
  clusterLink?.onShutdownRequest({ drain: () => void onSignal('SIGTERM', 'primary'), force: () => forceNow() });
  return 0;
}

async function listenOrExit(server: ManagedServer, role: string, host: string, port: number, flag: string): Promise<BoundAddress | null> {
  try {
    return await server.listen(host, port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'EADDRINUSE'
        ? `address already in use (choose another with ${flag}, or ${flag} 0 for a free port)`
        : code === 'EACCES'
          ? 'permission denied'
          : code === 'EADDRNOTAVAIL'
            ? 'no such local address'
            : (error as Error).message;
    process.stderr.write(`metric-lab: cannot listen for the ${role} server on ${host}:${port}: ${why}\n`);
    return null;
  }
}

function logStartup(baseLogger: Logger, config: ServerConfig, app: BoundAddress, pprof: BoundAddress | null): void {
  // Tools wait for this line, so it is written at any level but silent.
  const logger = baseLogger.isLevelEnabled('info') || config.logLevel === 'silent' ? baseLogger : baseLogger.child({}, { level: 'info' });
  logger.info(
    {
      event: 'listening',
      app,
      pprof,
      metrics: config.metrics,
      runtime_metrics: config.runtimeMetrics,
      knobs: config.knobs,
      limits: config.limits,
      node: process.version,
    },
    `metric-lab listening on ${app.url}${pprof ? `; diagnostics on ${pprof.url}/debug/pprof/` : ''}`,
  );
  if (pprof && config.pprof && !isLoopback(config.pprof.host)) {
    logger.warn(
      { event: 'pprof_exposed', host: config.pprof.host },
      `diagnostics server listens on ${pprof.url}, beyond loopback: anyone who can reach it can read profiles, heap snapshots and the command line`,
    );
  }
  if (pprof) {
    logger.info(`profile: go tool pprof -top ${pprof.url}/debug/pprof/profile?seconds=10`);
    logger.info(`trace:   curl -o trace.json '${pprof.url}/debug/pprof/trace?seconds=5' (open in ui.perfetto.dev)`);
  }
}

if (isEntryPoint(import.meta.url)) process.exitCode = await runCli({ tool: 'metric-lab', usage: serverUsage, parse: parseLabArgs, main });
