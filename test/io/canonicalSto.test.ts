import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalCsv } from '../../src/io/canonicalCsv';
import { canonicalCsvText } from '../../src/io/canonicalCsvWriter';
import { parseSto } from '../../src/io/sto';
import { stoText } from '../../src/io/stoWriter';
import { concatBlocks, createBlock } from '../../src/samples/block';
import type { SampleBlock } from '../../src/samples/block';

/** Orientation-only sensors on one clock (what fusion writes and OpenSim reads), any doubles. */
const session = fc
  .record({
    ids: fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => s !== 'time'), { minLength: 1, maxLength: 3 }),
    n: fc.integer({ min: 1, max: 25 }),
    rateHz: fc.double({ min: 1, max: 1000, noNaN: true }),
  })
  .chain(({ ids, n, rateHz }) =>
    fc.record({
      t: fc.float64Array({ minLength: n, maxLength: n }),
      quats: fc.array(fc.float64Array({ minLength: 4 * n, maxLength: 4 * n }), { minLength: ids.length, maxLength: ids.length }),
    }).map(({ t, quats }) =>
      ids.map((id, k) => {
        const b = createBlock({ sensorId: id, rateHz }, n, { inertial: false, quat: true });
        b.tS.set(t);
        b.quat!.set(quats[k]!);
        return b;
      }),
    ),
  );

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]) || (Number.isNaN(x) && Number.isNaN(b[i]!)));
}

describe('canonical CSV ↔ OpenSim .sto', () => {
  it('canonical → .sto → canonical keeps every value bit for bit, the sensor names and the rate', () => {
    fc.assert(
      fc.property(session, (blocks) => {
        // Each sensor through its canonical CSV first, as `kinemetry convert` would read it.
        const fromCsv: SampleBlock[] = blocks.map((b) => concatBlocks(parseCanonicalCsv(canonicalCsvText([b]), { file: `${b.info.sensorId}.csv` })).block);
        const sto = stoText(fromCsv);
        const back = parseSto(sto, { file: 'x.sto', blockSize: 7 });
        for (const b of fromCsv) {
          const got = concatBlocks(back.filter((x) => x.info.sensorId === b.info.sensorId)).block;
          expect(got.info.rateHz).toBe(b.info.rateHz);
          expect(got.accMS2).toBeUndefined();
          expect(sameBits(got.tS, b.tS)).toBe(true);
          expect(sameBits(got.quat!, b.quat!)).toBe(true);
          // And back to canonical CSV: the same rows.
          const again = canonicalCsvText([{ ...got, info: b.info }]);
          expect(again).toBe(canonicalCsvText([b]));
        }
      }),
      { numRuns: 200 },
    );
  });
});
