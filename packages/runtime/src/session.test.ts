import { defaultModelPath } from '@asrq/fixtures';
import { describe, expect, it } from 'vitest';
import { openSession, resolveSessionSettings, sessionOptions } from './session.js';

describe('session settings', () => {
  it('default to one thread, spinning threads and the static loop split', () => {
    expect(resolveSessionSettings()).toEqual({
      threads: 1,
      interOpThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      spinning: true,
      dynamicBlockBase: 0,
    });
  });

  it('pass spinning and dynamic_block_base to onnxruntime as its session config keys', () => {
    expect(sessionOptions({ threads: 2, spinning: false, dynamicBlockBase: 4 })).toMatchObject({
      intraOpNumThreads: 2,
      extra: { session: { intra_op: { allow_spinning: '0' }, dynamic_block_base: '4' } },
    });
    expect(sessionOptions().extra).toEqual({ session: { intra_op: { allow_spinning: '1' }, dynamic_block_base: '0' } });
  });

  it('open a session that onnxruntime-node accepts with every setting changed', async () => {
    const { session, settings } = await openSession(defaultModelPath, {
      threads: 2,
      spinning: false,
      dynamicBlockBase: 4,
      graphOptimizationLevel: 'basic',
    });
    expect(settings).toMatchObject({ threads: 2, spinning: false, dynamicBlockBase: 4 });
    expect(session.inputNames.length).toBeGreaterThan(0);
    await session.release();
  });
});
