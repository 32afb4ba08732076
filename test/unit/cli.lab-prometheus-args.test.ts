import { describe, expect, it } from 'vitest';
import { DEFAULT_PROMETHEUS_PORT, parseWorkflowArgs } from '../../bench/observability/workflow-args.js';

describe('npm run lab:prometheus arguments', () => {
  it('keep their own flags and pass every other one to the lab untouched', () => {
    expect(parseWorkflowArgs([])).toEqual({ kind: 'ok', options: { prometheusPort: DEFAULT_PROMETHEUS_PORT, dataDir: null, labArgs: [] } });
    expect(parseWorkflowArgs(['--prometheus-port=0', '--data-dir', 'd', '--workers', '2'])).toEqual({
      kind: 'ok',
      options: { prometheusPort: 0, dataDir: 'd', labArgs: ['--workers', '2'] },
    });
    expect(parseWorkflowArgs(['--no-prometheus'])).toMatchObject({ kind: 'ok', options: { prometheusPort: null } });
    expect(parseWorkflowArgs(['--port', '8081', '-h'])).toEqual({ kind: 'help' });
  });

  it('name a bad value', () => {
    expect(parseWorkflowArgs(['--prometheus-port', '70000'])).toEqual({
      kind: 'error',
      message: '--prometheus-port: expected an integer in [0, 65535], got "70000"',
    });
    expect(parseWorkflowArgs(['--data-dir'])).toEqual({ kind: 'error', message: '--data-dir: expected a value, got nothing' });
    expect(parseWorkflowArgs(['--data-dir='])).toEqual({ kind: 'error', message: '--data-dir: expected a directory, got ""' });
  });
});
