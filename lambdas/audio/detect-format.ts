/** Containers `decodeAudio` decodes. */
export type ContainerFormat = 'wav' | 'flac' | 'ogg';

/** Containers that are recognised only to be refused by name. */
const KNOWN_UNSUPPORTED: ReadonlyArray<{ readonly name: string; readonly matches: (b: Uint8Array) => boolean }> = [
  { name: 'MP3', matches: (b) => ascii(b, 0, 'ID3') || (b[0] === 0xff && ((b[1] ?? 0) & 0xe0) === 0xe0) },
  { name: 'AIFF', matches: (b) => ascii(b, 0, 'FORM') && (ascii(b, 8, 'AIFF') || ascii(b, 8, 'AIFC')) },
  { name: 'Matroska/WebM', matches: (b) => b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3 },
  { name: 'MP4/M4A', matches: (b) => ascii(b, 4, 'ftyp') },
  { name: 'AMR', matches: (b) => ascii(b, 0, '#!AMR') },
  { name: 'Sun/NeXT audio (.au)', matches: (b) => ascii(b, 0, '.snd') },
  { name: 'Core Audio (CAF)', matches: (b) => ascii(b, 0, 'caff') },
  { name: 'Wave64', matches: (b) => ascii(b, 0, 'riff') && b[4] === 0x2e && b[5] === 0x91 },
];

/**
 * Identifies a container by its magic bytes (never by file name).
 * @returns the container, or `undefined` when the bytes start like none Timbre decodes.
 */
export function detectContainer(bytes: Uint8Array): ContainerFormat | undefined {
  const riff = ascii(bytes, 0, 'RIFF') || ascii(bytes, 0, 'RIFX') || ascii(bytes, 0, 'RF64');
  // A RIFF file too short to say "WAVE" is taken as a cut WAV, so it is refused as truncated.
  if (riff && (ascii(bytes, 8, 'WAVE') || bytes.byteLength < 12)) return 'wav';
  if (ascii(bytes, 0, 'fLaC')) return 'flac';
  if (ascii(bytes, 0, 'OggS')) return 'ogg';
  return undefined;
}

/** Names a container Timbre recognises but does not decode (e.g. `MP3`), for the refusal message. */
export function nameUnsupportedContainer(bytes: Uint8Array): string | undefined {
  return KNOWN_UNSUPPORTED.find((format) => format.matches(bytes))?.name;
}

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
  if (bytes.byteLength < at + text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
