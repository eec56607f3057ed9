import { describe, expect, it } from 'vitest';
import { CONNECT_SAMPLE_RATE_HZ, MalformedAudioError, Pcm16Assembler, connectMkv, readMkv, type MkvEvent } from '../../../lambdas/audio/index.js';

/** Yields `bytes` in chunks of `size`, as a network stream would. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function events(bytes: Uint8Array, size = 4096): Promise<MkvEvent[]> {
  const out: MkvEvent[] = [];
  for await (const event of readMkv(chunked(bytes, size))) out.push(event);
  return out;
}

/** The samples of one track, reassembled from its blocks. */
function trackPcm(all: readonly MkvEvent[], track: string): Int16Array {
  const assembler = new Pcm16Assembler();
  const parts = all.flatMap((e) => (e.kind === 'block' && e.track === track ? [assembler.push(e.payload)] : []));
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const ramp = (n: number, step: number): Int16Array => Int16Array.from({ length: n }, (_, i) => ((i * step) % 65536) - 32768);

describe('readMkv on Connect-style streams', () => {
  const fromCustomer = ramp(CONNECT_SAMPLE_RATE_HZ * 2.5, 7);
  const toCustomer = ramp(CONNECT_SAMPLE_RATE_HZ * 2.5, 3);
  const mkv = connectMkv({ contactId: 'contact-1', fromCustomer, toCustomer, startMs: 1_700_000_000_000, firstFragmentNumber: 100n });

  it('gives back each track byte for byte, whatever the chunk size', async () => {
    for (const size of [7, 333, 65536]) {
      const all = await events(mkv, size);
      expect(trackPcm(all, 'AUDIO_FROM_CUSTOMER')).toEqual(fromCustomer);
      expect(trackPcm(all, 'AUDIO_TO_CUSTOMER')).toEqual(toCustomer);
    }
  });

  it('reports one document per fragment with its fragment number and contact tags', async () => {
    const all = await events(mkv);
    expect(all.filter((e) => e.kind === 'document')).toHaveLength(3);
    const tags = all.flatMap((e) => (e.kind === 'tag' ? [`${e.name}=${e.value}`] : []));
    expect(tags.filter((t) => t.startsWith('AWS_KINESISVIDEO_FRAGMENT_NUMBER='))).toEqual([
      'AWS_KINESISVIDEO_FRAGMENT_NUMBER=100',
      'AWS_KINESISVIDEO_FRAGMENT_NUMBER=101',
      'AWS_KINESISVIDEO_FRAGMENT_NUMBER=102',
    ]);
    expect(tags.filter((t) => t === 'ContactId=contact-1')).toHaveLength(3);
    expect(tags).toContain('MimeType=audio/L16;rate=8000;channels=1;');
  });

  it('times blocks from the cluster timecode', async () => {
    const blocks = (await events(mkv)).filter((e) => e.kind === 'block' && e.track === 'AUDIO_FROM_CUSTOMER');
    expect(blocks[0]).toMatchObject({ timecodeMs: 1_700_000_000_000 });
    expect(blocks.at(-1)).toMatchObject({ timecodeMs: 1_700_000_002_000 + 480 });
  });

  it('keeps two contacts of a reused stream apart by their tags', async () => {
    const second = connectMkv({ contactId: 'contact-2', fromCustomer: ramp(8000, 5) });
    const both = new Uint8Array([...mkv, ...second]);
    const contacts = (await events(both)).flatMap((e) => (e.kind === 'tag' && e.name === 'ContactId' ? [e.value] : []));
    expect(contacts).toEqual(['contact-1', 'contact-1', 'contact-1', 'contact-2']);
  });
});

describe('readMkv on bad input', () => {
  it('refuses bytes that are not Matroska', async () => {
    await expect(events(new TextEncoder().encode('RIFF....WAVEfmt '))).rejects.toThrow(MalformedAudioError);
    await expect(events(new Uint8Array(64))).rejects.toThrow(/Malformed MKV/);
  });

  it('refuses an element whose size would have it buffer without bound', async () => {
    const mkv = connectMkv({ contactId: 'c', fromCustomer: ramp(800, 1) });
    const headerLength = 5 + (mkv[4]! & 0x7f);
    // After the EBML header, a SimpleBlock whose 4-byte size field claims 64 MiB.
    const hostile = new Uint8Array([...mkv.subarray(0, headerLength), 0xa3, 0x13, 0xff, 0xff, 0xff, ...new Uint8Array(2 << 20)]);
    await expect(events(hostile, 65536)).rejects.toThrow(/more than 1048576 bytes/);
  });

  it('refuses an empty stream', async () => {
    await expect(events(new Uint8Array(0))).rejects.toThrow(/no EBML header/);
  });
});

describe('Pcm16Assembler', () => {
  it('carries an odd byte over to the next payload', () => {
    const assembler = new Pcm16Assembler();
    expect([...assembler.push(Uint8Array.of(0x01, 0x00, 0xff))]).toEqual([1]);
    expect([...assembler.push(Uint8Array.of(0x7f, 0x02, 0x00))]).toEqual([0x7fff, 2]);
  });
});
