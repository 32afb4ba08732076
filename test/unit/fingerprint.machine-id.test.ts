import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineIdentity } from '../../bench/results/fingerprint.js';

describe('machineIdentity', () => {
  it('is METRIC_LAB_MACHINE_ID when set, so identical runners can share baselines', () => {
    expect(machineIdentity({ METRIC_LAB_MACHINE_ID: ' ci-large-x64 ' }, 'aaaa')).toBe('ci-large-x64');
  });

  it('is otherwise the host name and boot id: clones of one VM image share a host name', () => {
    expect(machineIdentity({}, '7aea40b8-b3bb-4338-a9cb-a11d403bcbc0')).toBe(`${hostname()} boot 7aea40b8`);
    expect(machineIdentity({ METRIC_LAB_MACHINE_ID: '  ' }, '7aea40b8-b3bb')).toBe(`${hostname()} boot 7aea40b8`);
  });

  it('is the host name alone where there is no boot id (not Linux)', () => {
    expect(machineIdentity({}, null)).toBe(hostname());
  });
});
