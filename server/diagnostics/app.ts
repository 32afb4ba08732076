import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { formatSnapshotTable } from '../metrics/snapshot-table.js';
import type { MetricsSnapshot } from '../metrics/section-stats.js';

export interface DiagnosticsOptions {
  logger: Logger;
  snapshot: () => MetricsSnapshot;
}

/** The diagnostics server's routes: Go's /debug/pprof/* for a live Node process. */
export function createDiagnosticsApp(options: DiagnosticsOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.get('/debug/pprof/cmdline', (_req, res) => {
    // Go separates arguments with NUL bytes.
    res.type('text/plain').send([process.execPath, ...process.execArgv, ...process.argv.slice(1)].join('\0'));
  });
  app.get('/debug/snapshot', (req, res) => {
    const snapshot = options.snapshot();
    if (req.query.format === 'json') res.json(snapshot);
    else res.type('text/plain').send(`${formatSnapshotTable(snapshot)}\n`);
  });
  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no diagnostics endpoint ${req.path}; see /debug/pprof/` });
  });
  return app;
}
