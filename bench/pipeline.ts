/**
 * Throughput of the foundation stages on realistic data. Per-call figures are for a whole
 * job (one session, one file), so ns/call ÷ samples gives ns per sample.
 */
import { readFileSync } from 'node:fs';
import type { BenchCase } from './harness';
// Data generation (not measured) from the sources; the measured API from the built package.
import { concatBlocks } from '../src/samples/block';
import { kneeFlexionScenario, simulate } from '../src/sim/index';
import lib from './lib';

const { parseCanonicalCsv, canonicalCsvText, alignBlocks, validateBlock } = lib;

export function pipelineCases(): BenchCase[] {
  const knee = kneeFlexionScenario({ noise: 'consumer', softTissue: true });
  const sim = simulate(knee, { durationS: 60, rateHz: 100 });
  const thigh = concatBlocks(sim.blocks.thigh!).block;
  const shank = concatBlocks(sim.blocks.shank!).block;
  const csvText = readFileSync(new URL('../fixtures/knee-flexion/thigh.csv', import.meta.url), 'utf8');
  const fullPrecisionText = canonicalCsvText([thigh]);
  return [
    {
      name: 'sim: 60 s knee session, 2 sensors, consumer noise + wobble (6000 samples each)',
      iterations: 5,
      ours: (i) => void simulate(knee, { durationS: 60, rateHz: 100, seed: i }),
    },
    {
      name: 'io: parse canonical CSV, fixture thigh.csv (5436 rows, 10 columns)',
      iterations: 20,
      ours: () => void parseCanonicalCsv(csvText),
      // Same text, no unit handling, no error positions, no validation: the floor for JS CSV.
      peer: {
        name: 'naive split + Number',
        run: () => {
          const lines = csvText.split('\n');
          let s = 0;
          for (const line of lines) {
            if (line === '' || line[0] === '#' || line[0] === 't') continue;
            const cells = line.split(',');
            for (let k = 0; k < cells.length; k++) s += Number(cells[k]);
          }
          if (Number.isNaN(s)) throw new Error('unreachable');
        },
      },
    },
    {
      name: 'io: write canonical CSV, 6000 samples at full (round-trip) precision',
      iterations: 10,
      ours: () => void canonicalCsvText([thigh]),
    },
    {
      name: 'io: parse canonical CSV, 6000 samples at full (round-trip) precision',
      iterations: 10,
      ours: () => void parseCanonicalCsv(fullPrecisionText),
    },
    {
      name: 'samples: validate 6000 samples',
      iterations: 200,
      ours: () => void validateBlock(thigh, { nominalRateHz: 100 }),
    },
    {
      name: 'samples: align thigh + shank onto a 100 Hz grid (60 s)',
      iterations: 50,
      ours: () => void alignBlocks([thigh, shank], { rateHz: 100 }),
    },
  ];
}
