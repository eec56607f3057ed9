import { describe, expect, it } from 'vitest';
import { connectMkv } from '../../../lambdas/audio/index.js';
import { CallerAudioReader } from '../../../lambdas/connect/caller-audio.js';

async function* chunked(bytes: Uint8Array, size = 5000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const tone = (seconds: number, value: number): Int16Array => new Int16Array(8000 * seconds).fill(value);

async function readAll(reader: CallerAudioReader, bytes: Uint8Array): Promise<{ samples: number[]; fragments: (string | undefined)[] }> {
  const samples: number[] = [];
  const fragments: (string | undefined)[] = [];
  for await (const chunk of reader.read(chunked(bytes))) {
    samples.push(...chunk.samples);
    fragments.push(chunk.fragmentNumber);
  }
  return { samples, fragments };
}

describe('CallerAudioReader', () => {
  it('reads the caller track only, through the end of the stream', async () => {
    const mkv = connectMkv({ contactId: 'contact-a', fromCustomer: tone(3, 100), toCustomer: tone(3, -5), firstFragmentNumber: 10n });
    const reader = new CallerAudioReader('contact-a');
    const { samples, fragments } = await readAll(reader, mkv);
    expect(samples).toHaveLength(24000);
    expect(new Set(samples)).toEqual(new Set([100]));
    expect(new Set(fragments)).toEqual(new Set(['10', '11', '12']));
    expect(reader.end).toBe('end-of-stream');
    expect(reader.lastFragmentNumber).toBe('12');
  });

  it('stops at the first fragment of the next contact on a reused stream, taking none of its audio', async () => {
    const first = connectMkv({ contactId: 'contact-a', fromCustomer: tone(2, 100), firstFragmentNumber: 10n });
    const next = connectMkv({ contactId: 'contact-b', fromCustomer: tone(2, 999), firstFragmentNumber: 12n });
    const reader = new CallerAudioReader('contact-a');
    const { samples } = await readAll(reader, new Uint8Array([...first, ...next]));
    expect(samples).toHaveLength(16000);
    expect(samples).not.toContain(999);
    expect(reader.end).toBe('other-contact');
    expect(reader.lastFragmentNumber).toBe('11');
  });

  it('reads nothing of a stream that belongs to another contact', async () => {
    const reader = new CallerAudioReader('contact-a');
    const { samples } = await readAll(reader, connectMkv({ contactId: 'contact-z', fromCustomer: tone(1, 7) }));
    expect(samples).toEqual([]);
    expect(reader.end).toBe('other-contact');
  });

  it('drops a last fragment cut off before it names its contact', async () => {
    const mkv = connectMkv({ contactId: 'contact-a', fromCustomer: tone(2, 100) });
    const cut = mkv.subarray(0, mkv.length - 300); // the second fragment loses its trailing contact tags
    const reader = new CallerAudioReader('contact-a');
    const { samples } = await readAll(reader, cut);
    expect(samples).toHaveLength(8000);
  });
});
