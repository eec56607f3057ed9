import { describe, expect, it } from 'vitest';
import { connectMkv } from '../../../../lambdas/audio/index.js';
import { KvsMediaError, splitFragments } from '../../../../lambdas/local/kinesisvideo/fragments.js';

describe('splitFragments', () => {
  it('finds each fragment of a Connect MKV with its number and cluster timecode, covering every byte', () => {
    const mkv = connectMkv({ contactId: 'c-1', fromCustomer: new Int16Array(8000 * 2.5).fill(3), startMs: 5000, firstFragmentNumber: 700n });
    const fragments = splitFragments(mkv);
    expect(fragments.map((f) => [f.number, f.timecodeMs])).toEqual([['700', 5000], ['701', 6000], ['702', 7000]]);
    expect(Buffer.concat(fragments.map((f) => f.bytes))).toEqual(Buffer.from(mkv));
    expect(splitFragments(fragments[1]!.bytes).map((f) => f.number)).toEqual(['701']);
  });

  it('does not mistake an EBML id inside PCM for a fragment', () => {
    // 0x1A45DFA3 as little-endian samples: the EBML header's id, inside a block payload.
    const fromCustomer = new Int16Array(8000).fill(0);
    fromCustomer.set([0x451a, -23584 /* 0xA3DF */], 100);
    expect(splitFragments(connectMkv({ contactId: 'c-1', fromCustomer }))).toHaveLength(1);
  });

  it('refuses bytes that are not KVS fragments', () => {
    expect(() => splitFragments(new Uint8Array([1, 2, 3]))).toThrow(KvsMediaError);
    expect(() => splitFragments(new Uint8Array(0))).toThrow(/no EBML header/);
    const mkv = connectMkv({ contactId: 'c-1', fromCustomer: new Int16Array(8000) });
    expect(() => splitFragments(mkv.subarray(0, mkv.length - 10))).toThrow(KvsMediaError);
  });
});
