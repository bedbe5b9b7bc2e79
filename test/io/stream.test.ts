import { describe, expect, it } from 'vitest';
import { canonicalCsvFormat, detectFormat, getFormat, isRecordingFileName } from '../../src/io/formats';
import { UnknownFormatError } from '../../src/io/errors';
import { streamBlocks } from '../../src/io/stream';
import type { SampleBlock } from '../../src/samples/block';

const TEXT = `# sensor: wrist\nt,ax,ay,az,gx,gy,gz\n${Array.from({ length: 50 }, (_, i) => `${i / 50},${i},0,9.81,0,0,0`).join('\n')}\n`;

async function collect(it: AsyncIterable<SampleBlock>): Promise<SampleBlock[]> {
  const out: SampleBlock[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('streaming sources (browser-safe)', () => {
  it('reads a WHATWG ReadableStream of bytes, as File.stream() gives in a browser', async () => {
    const blob = new Blob([TEXT]);
    const blocks = await collect(streamBlocks(canonicalCsvFormat.createParser({ file: 'wrist.csv', blockSize: 16 }), blob.stream()));
    expect(blocks.map((b) => b.tS.length)).toEqual([16, 16, 16, 2]);
    expect(blocks[0]!.info.sensorId).toBe('wrist');
    expect(blocks[3]!.accMS2![3]).toBe(49);
  });

  it('reads sync and async iterables of strings', async () => {
    const parts = [TEXT.slice(0, 33), TEXT.slice(33, 34), TEXT.slice(34)];
    async function* gen() {
      yield* parts;
    }
    const a = await collect(streamBlocks(canonicalCsvFormat.createParser(), parts));
    const b = await collect(streamBlocks(canonicalCsvFormat.createParser(), gen()));
    expect(a.reduce((n, x) => n + x.tS.length, 0)).toBe(50);
    expect(b.reduce((n, x) => n + x.tS.length, 0)).toBe(50);
  });

  it('detects the canonical format and looks formats up by name', () => {
    expect(canonicalCsvFormat.sniff(TEXT)).toBe(true);
    expect(canonicalCsvFormat.sniff('\uFEFF# x: 1\n"T[ms]";"AX [g]";ay;az;"GX";gy;gz\n')).toBe(true);
    expect(canonicalCsvFormat.sniff('time,accX,accY\n')).toBe(false);
    expect(detectFormat('anything').name).toBe('canonical');
    expect(getFormat('Canonical')).toBe(canonicalCsvFormat);
    expect(() => getFormat('nosuchformat')).toThrow(UnknownFormatError);
    expect(isRecordingFileName('thigh.CSV')).toBe(true);
    expect(isRecordingFileName('notes.md')).toBe(false);
  });
});
