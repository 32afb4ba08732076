import { describe, expect, it } from 'vitest';
import { hottestFunctions, tallyStacks } from '../../bench/profile/stack-tally.js';
import { visibleZeroXFrame, zeroXStacks, type ZeroXNode } from '../../bench/profile/zero-x-tree.js';

const ROOT = '/work/main';

// Shaped like 0x's stacks.<pid>.json: the idle loop sits in C++ (hidden by 0x's default view),
// and JS frames sit under native entry points.
const tree: ZeroXNode = {
  name: 'all stacks',
  value: 1000,
  top: 0,
  children: [
    { name: 'epoll_pwait@@GLIBC_2.6 [CPP]', value: 600, top: 600 },
    { name: 'compileForInternalLoader node:internal/bootstrap/realm:383:27 [INIT]', value: 20, top: 20 },
    {
      name: 'node::InternalCallbackScope::Close [CPP]',
      value: 380,
      top: 0,
      children: [
        {
          name: 'runWork file:///work/main/dist/server/work/handler.js:104:23',
          value: 380,
          top: 10,
          children: [
            { name: '*simulateLoop file:///work/main/dist/server/work/checksum.js:34:29', value: 300, top: 300 },
            { name: 'v8::internal::Runtime_StackGuard [CPP]', value: 30, top: 30 },
            { name: '(anonymous) /work/main/node_modules/prom-client/lib/histogram.js:232:9', value: 40, top: 40 },
          ],
        },
      ],
    },
  ],
};

describe("0x's call tree as the flamegraph shows it", () => {
  it('keeps app and dependency frames and hides C++, start-up and node-internal ones', () => {
    expect(visibleZeroXFrame('*simulateLoop file:///work/main/dist/server/work/checksum.js:34:29', [ROOT])).toEqual({
      functionName: 'simulateLoop',
      location: 'dist/server/work/checksum.js',
    });
    expect(visibleZeroXFrame('(anonymous) /work/main/node_modules/prom-client/lib/histogram.js:232:9', [ROOT])).toEqual({
      functionName: '(anonymous)',
      location: 'node_modules/prom-client/lib/histogram.js:232',
    });
    for (const hidden of [
      'epoll_pwait@@GLIBC_2.6 [CPP]',
      'foo node:internal/timers:1:2',
      'bar file:///x.js:1:2 [INIT]',
      '/usr/lib/libc.so.6 [SHARED_LIB]',
    ]) {
      expect(visibleZeroXFrame(hidden, [ROOT]), hidden).toBeNull();
    }
  });

  it("gives a hidden frame's samples to the visible frame below it and drops stacks with none", () => {
    const tally = tallyStacks(zeroXStacks(tree, [ROOT]), 0);
    // 380 samples under runWork are visible; the idle loop and start-up are not.
    expect(tally.busySamples).toBe(380);
    const runWork = tally.functions.get('runWork dist/server/work/handler.js');
    expect(runWork).toMatchObject({ selfSamples: 40, totalSamples: 380 }); // its own 10 + the hidden StackGuard's 30
    const [widest] = hottestFunctions(tally, 1);
    expect(widest).toEqual({
      functionName: 'simulateLoop',
      location: 'dist/server/work/checksum.js',
      selfShare: 300 / 380,
      totalShare: 300 / 380,
    });
  });
});
