// Issue #10 in the test suite: the root entry with every export kept stays ≤ 40 kB gzip
// (the same measurement as `npm run size`, which also reports the sub-paths and apps).
import { build } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const TARGET_GZ_BYTES = 40_000;

describe('root entry size', () => {
  it('import * from the root, minified and gzip -9, is at most 40 kB and has no tfjs', async () => {
    const r = await build({
      stdin: { contents: "export * from './src/index';", resolveDir: fileURLToPath(new URL('../..', import.meta.url)), loader: 'ts' },
      bundle: true, minify: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, metafile: true, logLevel: 'silent',
    });
    const gzBytes = gzipSync(r.outputFiles[0]!.contents, { level: 9 }).length;
    const inputs = Object.keys(Object.values(r.metafile.outputs)[0]!.inputs);
    expect(inputs.some((p) => p.includes('@tensorflow'))).toBe(false);
    expect(inputs.some((p) => /src\/(io|sim|report|ml)\//.test(p))).toBe(false);
    expect(gzBytes).toBeGreaterThan(10_000); // the core really is in the bundle
    expect(gzBytes).toBeLessThanOrEqual(TARGET_GZ_BYTES);
  });
});
