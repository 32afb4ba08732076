import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineIdentity } from '../bench/fingerprint.js';

describe('machineIdentity', () => {
  it('is METRIC_LAB_MACHINE_ID when set, so identical runners can share baselines', () => {
    expect(machineIdentity({ METRIC_LAB_MACHINE_ID: ' ci-large-x64 ' })).toBe('ci-large-x64');
  });

  it('falls back to the host name when the variable is unset or blank', () => {
    expect(machineIdentity({})).toBe(hostname());
    expect(machineIdentity({ METRIC_LAB_MACHINE_ID: '  ' })).toBe(hostname());
  });
});
