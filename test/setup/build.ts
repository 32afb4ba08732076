import { execFileSync } from 'node:child_process';

/** Integration tests run the real, compiled server and CLIs; compile them once up front. */
export default function setup(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
