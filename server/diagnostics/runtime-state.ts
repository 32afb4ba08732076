/**
 * `/debug/pprof/goroutine` for Node: there are no goroutines, but the same question — "what is
 * this process waiting on?" — is answered by the event loop's active resources and libuv handles.
 * Node runs one JS stack at a time, so the only JS stack is the one taking the dump.
 */

export interface LibuvHandle {
  type: string;
  isActive: boolean;
  isReferenced: boolean;
  /** A short human description: endpoints for sockets, due time for timers, fd for files. */
  detail: string;
}

export interface RuntimeState {
  pid: number;
  nodeVersion: string;
  uptimeSeconds: number;
  /** `process.getActiveResourcesInfo()` counted by type: what keeps the event loop alive. */
  activeResources: Record<string, number>;
  handles: LibuvHandle[];
  workerThreads: number;
  javascriptStack: string[];
}

interface ReportHandle {
  type?: string;
  is_active?: boolean;
  is_referenced?: boolean;
  fd?: number;
  localEndpoint?: Endpoint | null;
  remoteEndpoint?: Endpoint | null;
  firesInMsFromNow?: number;
  repeat?: number;
  signum?: number;
  filename?: string;
}
interface Endpoint {
  host?: string;
  ip4?: string;
  ip6?: string;
  port?: number;
}
interface Report {
  libuv?: ReportHandle[];
  javascriptStack?: { stack?: string[] };
  workers?: unknown[];
}

/** Reads the state through `process.report` (no environment variables leave the process). */
export function collectRuntimeState(): RuntimeState {
  // excludeNetwork (Node >= 20.13, missing from @types/node 20) skips a reverse DNS lookup per socket.
  const reporter = process.report as NodeJS.ProcessReport & { excludeNetwork?: boolean };
  const previous = reporter.excludeNetwork;
  reporter.excludeNetwork = true;
  let report: Report;
  try {
    report = reporter.getReport() as Report;
  } finally {
    reporter.excludeNetwork = previous ?? false;
  }
  const activeResources: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) activeResources[name] = (activeResources[name] ?? 0) + 1;
  return {
    pid: process.pid,
    nodeVersion: process.version,
    uptimeSeconds: process.uptime(),
    activeResources,
    handles: (report.libuv ?? []).filter((h) => h.type !== 'loop').map(toHandle),
    workerThreads: report.workers?.length ?? 0,
    javascriptStack: report.javascriptStack?.stack ?? [],
  };
}

function toHandle(handle: ReportHandle): LibuvHandle {
  const parts: string[] = [];
  const local = endpoint(handle.localEndpoint);
  const remote = endpoint(handle.remoteEndpoint);
  if (local) parts.push(remote ? `${local} -> ${remote}` : `listening on ${local}`);
  if (handle.firesInMsFromNow !== undefined)
    parts.push(`fires in ${handle.firesInMsFromNow} ms${handle.repeat ? `, repeats every ${handle.repeat} ms` : ''}`);
  if (handle.signum !== undefined) parts.push(`signal ${handle.signum}`);
  if (handle.filename) parts.push(handle.filename);
  if (handle.fd !== undefined && handle.fd >= 0) parts.push(`fd ${handle.fd}`);
  return {
    type: handle.type ?? 'unknown',
    isActive: handle.is_active ?? false,
    isReferenced: handle.is_referenced ?? false,
    detail: parts.join(', '),
  };
}

function endpoint(e: Endpoint | null | undefined): string | null {
  if (!e) return null;
  const host = e.ip4 ?? (e.ip6 ? `[${e.ip6}]` : e.host);
  return host === undefined ? null : `${host}:${e.port ?? '?'}`;
}

/** Go's `debug=1` goroutine dump, in spirit: counts first, then one line per item. */
export function formatRuntimeState(state: RuntimeState): string {
  const resources = Object.entries(state.activeResources).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = resources.reduce((sum, [, count]) => sum + count, 0);
  const active = state.handles.filter((h) => h.isActive).length;
  const referenced = state.handles.filter((h) => h.isReferenced).length;
  const typeWidth = Math.max(4, ...state.handles.map((h) => h.type.length));
  return [
    `node runtime state: pid ${state.pid}, node ${state.nodeVersion}, up ${state.uptimeSeconds.toFixed(1)} s, worker threads ${state.workerThreads}`,
    '',
    `active resources (what keeps the event loop alive; Node's nearest thing to goroutines): total ${total}`,
    ...resources.map(([name, count]) => `${String(count).padStart(7)} ${name}`),
    '',
    `libuv handles: total ${state.handles.length} (${active} active, ${referenced} referenced)`,
    ...state.handles.map((h) =>
      `  ${h.type.padEnd(typeWidth)} ${h.isActive ? 'active  ' : 'inactive'} ${h.isReferenced ? 'ref  ' : 'unref'} ${h.detail}`.trimEnd(),
    ),
    '',
    'JS stack (the only one: Node runs one JS stack at a time, and this is the dump being taken)',
    ...state.javascriptStack.map((frame) => `  ${frame}`),
    '',
  ].join('\n');
}
