import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommand, usage } from '../../bench/bin/metric-lab.js';

describe('metric-lab subcommands', () => {
  it('route bench, baseline and report with their arguments', () => {
    expect(parseCommand(['bench', '--scenario', 'x'])).toEqual({ kind: 'ok', options: { command: 'bench', args: ['--scenario', 'x'] } });
    expect(parseCommand(['baseline', '--reason', 'r'])).toEqual({ kind: 'ok', options: { command: 'baseline', args: ['--reason', 'r'] } });
    expect(parseCommand(['report'])).toEqual({ kind: 'ok', options: { command: 'report', args: [] } });
  });

  it('give help for nothing or --help, and one line for an unknown command', () => {
    expect(parseCommand([])).toEqual({ kind: 'help' });
    expect(parseCommand(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommand(['toString'])).toEqual({
      kind: 'error',
      message: 'unknown command "toString": expected one of bench, baseline, report',
    });
  });

  it('list every command in the help text', () => {
    for (const name of Object.keys(COMMANDS)) expect(usage()).toContain(`  ${name} `);
  });
});
