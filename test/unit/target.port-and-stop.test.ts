import { describe, expect, it } from 'vitest';
import { withPort } from '../../bench/target/command-target.js';
import { stoppedBy } from '../../bench/target/target-process.js';

describe('a command target: its port and its stop', () => {
  it('{port} becomes the port wherever it appears, and nothing else changes', () => {
    expect(withPort('--listen=127.0.0.1:{port}', 4321)).toBe('--listen=127.0.0.1:4321');
    expect(withPort('{port}{port}', 7)).toBe('77');
    expect(withPort('{ports} {Port}', 7)).toBe('{ports} {Port}');
  });

  it('an orderly stop is exit 0, death by the stop signal, or 128 + its number; anything else is not', () => {
    expect(stoppedBy('SIGTERM', { code: 0, signal: null })).toBe(true);
    expect(stoppedBy('SIGTERM', { code: null, signal: 'SIGTERM' })).toBe(true);
    expect(stoppedBy('SIGTERM', { code: 143, signal: null })).toBe(true);
    expect(stoppedBy('SIGINT', { code: 130, signal: null })).toBe(true);
    expect(stoppedBy('SIGTERM', { code: null, signal: 'SIGKILL' })).toBe(false);
    expect(stoppedBy('SIGTERM', { code: 1, signal: null })).toBe(false);
  });
});
