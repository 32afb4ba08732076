/**
 * The process a command target runs under: started by the bench as the leader of its own process
 * group, it starts the target's command in that group and
 * - outlives any stop signal the bench sends the group, then exits the way the command did (so the
 *   bench sees the command's exit);
 * - kills the whole group when the bench disappears (`kill -9` included), as the lab does with
 *   LAB_EXIT_WITH_PARENT: no service is left listening after the bench is gone.
 * argv[2]: the command as a JSON array. Its output goes straight to the bench's pipes.
 */
import { spawn } from 'node:child_process';
import { watchParent } from '../../lib/parent-watch.js';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'];

const [command, ...args] = JSON.parse(process.argv[2] ?? '[]') as string[];
if (command === undefined) {
  process.stderr.write('metric-lab target guardian: no command given\n');
  process.exit(2);
}
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of STOP_SIGNALS) process.on(signal, () => {});
watchParent(() => {
  try {
    process.kill(-process.pid, 'SIGKILL');
  } catch {
    process.exit(1);
  }
}, 100);
child.once('error', (error) => {
  process.stderr.write(`metric-lab: cannot start ${JSON.stringify(command)}: ${error.message}\n`);
  process.exit(127);
});
child.once('exit', (code, signal) => {
  if (signal === null) process.exit(code ?? 1);
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
});
