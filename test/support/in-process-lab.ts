import { createApp, type AppOptions, type LabApp } from '../../server/app.js';
import { GO_TIMEOUTS, ManagedServer } from '../../server/http-server.js';

export interface RunningLab {
  lab: LabApp;
  baseUrl: string;
  close(): Promise<void>;
}

/** The real app on an ephemeral loopback port, in the test's process. */
export async function startInProcessLab(options: AppOptions = {}): Promise<RunningLab> {
  const lab = createApp({ runtimeMetrics: false, ...options });
  const server = new ManagedServer(lab.app, GO_TIMEOUTS, { onClientError: lab.countUnparsed });
  const address = await server.listen('127.0.0.1', 0);
  return { lab, baseUrl: address.url, close: () => server.drain() };
}
