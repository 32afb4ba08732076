import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface SpawnedLab {
  child: ChildProcess;
  appUrl: string;
  pprofUrl: string | null;
  /** Every stdout line seen so far (JSON logs). */
  logLines: string[];
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
// A test that fails before its cleanup must not leave a lab running.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts the compiled server as a real process on free loopback ports and waits for its startup line. */
export async function spawnLab(args: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<SpawnedLab> {
  const child = spawn(process.execPath, ['dist/server/main.js', '--port', '0', '--pprof-port', '0', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const logLines: string[] = [];
  const listening = new Promise<{ appUrl: string; pprofUrl: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lab did not start within 10 s; stderr: ${stderr}`)), 10_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logLines.push(line);
      const entry = JSON.parse(line) as { event?: string; app?: { url: string }; pprof?: { url: string } | null };
      if (entry.event === 'listening' && entry.app) {
        clearTimeout(timer);
        resolve({ appUrl: entry.app.url, pprofUrl: entry.pprof?.url ?? null });
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`lab exited with ${code} before listening; stderr: ${stderr}`));
    });
  });
  const { appUrl, pprofUrl } = await listening;
  return { child, appUrl, pprofUrl, logLines, stderr: () => stderr, exited };
}
