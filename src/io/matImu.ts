/**
 * The IMU in a MAT-file: which variables hold accelerometer, gyroscope and magnetometer
 * samples and the sampling rate, checked and converted to SampleBlock layout (row-major xyz).
 * The names are those of the BROAD benchmark (`imu_acc` m/s², `imu_gyr` rad/s, `imu_mag` µT,
 * `sampling_rate` Hz), the one .mat layout kinemetry knows; other files get an error listing
 * what they hold. (A `--columns`-style variable map could extend this to other layouts.)
 */
import type { ChannelDescription } from './format';
import { describeMatVariables, matRowMajor } from './mat';
import type { MatArray, MatFile } from './mat';
import { MatFormatError } from './matError';
import { internalUnit } from '../samples/units';

/** Variable names of the IMU channels and the rate. */
export const MAT_IMU_VARIABLES = {
  acc: 'imu_acc',
  gyr: 'imu_gyr',
  mag: 'imu_mag',
  rate: 'sampling_rate',
} as const;

export interface MatImu {
  /** Samples. */
  readonly n: number;
  readonly rateHz: number;
  /** m/s², xyz interleaved, 3n. */
  readonly accMS2: Float64Array;
  /** rad/s, 3n. */
  readonly gyrRadS: Float64Array;
  /** µT, 3n, when the file has a magnetometer. */
  readonly magUT?: Float64Array;
  /** The channels as stored: time derived from the rate, then acc, gyr[, mag]. */
  readonly channels: readonly ChannelDescription[];
}

/** MATLAB's notation for the three columns of a variable: `imu_acc(:,1)` …. */
function columnsOf(name: string): string[] {
  return [1, 2, 3].map((j) => `${name}(:,${j})`);
}

function expected(): string {
  const v = MAT_IMU_VARIABLES;
  return `${v.acc} (N×3, m/s²) and ${v.gyr} (N×3, rad/s), optionally ${v.mag} (N×3, µT) and ${v.rate} (Hz)`;
}

/**
 * An N×k variable (rows are samples) as row-major values; a k×N one (N ≠ k) is read
 * transposed. Throws MatFormatError for other shapes or non-real data.
 */
export function matSamples(mat: MatFile, a: MatArray, k: number, file: string | undefined): { n: number; values: Float64Array } {
  const [r, c] = a.dims as [number, number];
  const shape = `${a.dims.join('×')} ${a.complex ? 'complex ' : ''}${a.className}`;
  if (a.complex || a.className === 'char' || a.dims.length !== 2 || (c !== k && r !== k)) {
    throw new MatFormatError(`'${a.name}' is ${shape}, expected N×${k} real numbers (variables: ${describeMatVariables(mat)})`, file, a.byteOffset);
  }
  if (c === k) return { n: r, values: matRowMajor(a) };
  // k×N: column-major storage already holds each sample's k values together.
  return { n: c, values: a.data.slice() };
}

/**
 * The IMU variables of `mat`. `rateHz` is used only when the file has no `sampling_rate`.
 * Throws MatFormatError naming what is missing or malformed and listing the file's variables.
 */
export function matImu(mat: MatFile, file?: string, rateHz?: number): MatImu {
  const v = MAT_IMU_VARIABLES;
  const acc = mat.get(v.acc);
  const gyr = mat.get(v.gyr);
  if (!acc || !gyr) {
    throw new MatFormatError(
      `no IMU variables: expected ${expected()}; found ${describeMatVariables(mat)} (other .mat layouts need a variable map, not supported yet)`,
      file,
    );
  }
  const a = matSamples(mat, acc, 3, file);
  const g = matSamples(mat, gyr, 3, file);
  const magVar = mat.get(v.mag);
  const m = magVar ? matSamples(mat, magVar, 3, file) : undefined;
  for (const [name, x] of [[v.gyr, g], [v.mag, m]] as const) {
    if (x && x.n !== a.n) throw new MatFormatError(`'${name}' has ${x.n} samples but '${v.acc}' has ${a.n}`, file);
  }
  if (a.n === 0) throw new MatFormatError(`'${v.acc}' holds no samples`, file, acc.byteOffset);

  let rate = rateHz;
  const rateVar = mat.get(v.rate);
  if (rateVar) {
    if (rateVar.complex || rateVar.className === 'char' || rateVar.data.length !== 1) {
      throw new MatFormatError(`'${v.rate}' is ${rateVar.dims.join('×')} ${rateVar.className}, expected one number (Hz)`, file, rateVar.byteOffset);
    }
    rate = rateVar.data[0]!;
  }
  if (rate === undefined) throw new MatFormatError(`no '${v.rate}' variable and no rate given (the time of each sample is index / rate)`, file);
  if (!(rate > 0) || !Number.isFinite(rate)) {
    throw new MatFormatError(`sampling rate ${rate} Hz is not a positive number`, file, rateVar?.byteOffset);
  }

  const channels: ChannelDescription[] = [
    { channel: 'tS', columns: [rateVar ? `index/${v.rate}` : 'index/rate'], unit: internalUnit('time') },
    { channel: 'acc', columns: columnsOf(v.acc), unit: internalUnit('acceleration') },
    { channel: 'gyr', columns: columnsOf(v.gyr), unit: internalUnit('angular-rate') },
  ];
  if (m) channels.push({ channel: 'mag', columns: columnsOf(v.mag), unit: internalUnit('magnetic-field') });
  const out: { -readonly [K in keyof MatImu]: MatImu[K] } = { n: a.n, rateHz: rate, accMS2: a.values, gyrRadS: g.values, channels };
  if (m) out.magUT = m.values;
  return out;
}
