/**
 * MAT-file as a recording format (`--format mat`): one IMU per file, variables named as in
 * the BROAD benchmark (see {@link MAT_IMU_VARIABLES}). Unlike the text formats this parser
 * buffers the whole file and emits every block at `finish()`: a compressed element is one zlib
 * stream and must be complete before its variable exists (BROAD trials are ~4 MB). The header
 * is checked as soon as its 128 bytes arrive, so a non-MAT input fails at once.
 *
 * Binary input has no lines: `header.line` is 0, `lineOfSample` is undefined, and errors name
 * a byte offset (`file: byte N: …`). Reference data in the file (BROAD's optical `opt_quat`)
 * is not put in the block's `quat` channel — that channel means sensor output; read it with
 * `readBroadTrial`.
 */
import type { SampleBlock, SensorInfo } from '../samples/block';
import { broadSensorInfo } from './broad';
import { sensorIdFromFileName } from './canonicalCsv';
import type { ChunkParser, ChunkParserOptions, RecordingFormat, RecordingHeader } from './format';
import { readMat, readMatHeader } from './mat';
import { MAT_HEADER_BYTES, MI, miValueBytes } from './matConstants';
import { MatFormatError } from './matError';
import { matImu } from './matImu';

const DEFAULT_BLOCK_SIZE = 1024;
/** Files larger than this are refused rather than buffered. */
export const MAX_MAT_FILE_BYTES = 1 << 30;

export class MatChunkParser implements ChunkParser {
  private readonly file: string | undefined;
  private readonly sensorId: string;
  private readonly blockSize: number;
  private readonly rateHz: number | undefined;
  private buf = new Uint8Array(1 << 16);
  private length = 0;
  private headerChecked = false;
  private littleEndian = true;
  /** Offset of the next top-level element tag to check (see checkTags). */
  private nextTag = MAT_HEADER_BYTES;
  private finished = false;
  private headerInfo: RecordingHeader | undefined;
  private emitted = 0;

  constructor(options: ChunkParserOptions = {}) {
    this.file = options.file;
    this.sensorId = options.defaultSensorId ?? (options.file !== undefined ? sensorIdFromFileName(options.file) : undefined) ?? 'sensor';
    const size = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`blockSize must be a positive integer, got ${size}`);
    this.blockSize = size;
    this.rateHz = options.rateHz;
  }

  get header(): RecordingHeader | undefined {
    return this.headerInfo;
  }

  get samples(): number {
    return this.emitted;
  }

  /** Always undefined: a binary file has no lines. */
  lineOfSample(_index: number): number | undefined {
    return undefined;
  }

  push(chunk: string | Uint8Array): SampleBlock[] {
    if (this.finished) throw new Error('MatChunkParser: push after finish');
    if (typeof chunk === 'string') {
      throw new MatFormatError('a MAT-file is binary: it must be read as bytes, not as decoded text', this.file, this.length);
    }
    if (this.length + chunk.length > MAX_MAT_FILE_BYTES) {
      throw new MatFormatError(`file larger than ${MAX_MAT_FILE_BYTES} bytes: the .mat reader holds the whole file in memory`, this.file, this.length);
    }
    if (this.length + chunk.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + chunk.length));
      next.set(this.buf.subarray(0, this.length));
      this.buf = next;
    }
    this.buf.set(chunk, this.length);
    this.length += chunk.length;
    if (!this.headerChecked && this.length >= MAT_HEADER_BYTES) {
      this.littleEndian = readMatHeader(this.buf.subarray(0, MAT_HEADER_BYTES), this.file).littleEndian;
      this.headerChecked = true;
    }
    if (this.headerChecked) this.checkTags();
    return [];
  }

  /**
   * Check each top-level element's tag as soon as its 8 bytes arrive, so that a damaged body
   * (or random bytes after a valid header) fails at once instead of after the whole file has
   * been buffered. Only what a tag alone decides is checked, with the messages `readMat`
   * gives; everything else is left to the full read at `finish`.
   */
  private checkTags(): void {
    const view = new DataView(this.buf.buffer, this.buf.byteOffset, this.length);
    while (this.nextTag + 8 <= this.length) {
      const off = this.nextTag;
      const word = view.getUint32(off, this.littleEndian);
      const small = word >>> 16 !== 0;
      const type = small ? word & 0xffff : word;
      const size = small ? word >>> 16 : view.getUint32(off + 4, this.littleEndian);
      if (small && size > 4) throw new MatFormatError(`data element: small data element claims ${size} bytes (at most 4)`, this.file, off);
      if (type !== MI.MATRIX && type !== MI.COMPRESSED && type !== MI.UTF8 && miValueBytes(type) === 0) {
        throw new MatFormatError(`unknown data element type ${type}`, this.file, off);
      }
      if (off + 8 + size > MAX_MAT_FILE_BYTES) {
        throw new MatFormatError(`data element of ${size} bytes: larger than the ${MAX_MAT_FILE_BYTES} bytes the .mat reader holds in memory`, this.file, off);
      }
      // As readMat walks them: compressed elements are not padded, the others to 8 bytes.
      this.nextTag = small ? off + 8 : off + 8 + (type === MI.COMPRESSED ? size : size + ((8 - (size % 8)) % 8));
    }
  }

  finish(): SampleBlock[] {
    if (this.finished) throw new Error('MatChunkParser: finish called twice');
    this.finished = true;
    const bytes = this.buf.subarray(0, this.length);
    this.buf = new Uint8Array(0);
    if (bytes.length === 0) throw new MatFormatError('empty file', this.file);
    const mat = readMat(bytes, this.file);
    const imu = matImu(mat, this.file, this.rateHz);
    const { device, trial } = broadSensorInfo(mat);
    const info: { -readonly [K in keyof SensorInfo]: SensorInfo[K] } = { sensorId: this.sensorId, rateHz: imu.rateHz };
    if (device) info.device = device;
    if (trial) info.extra = { trial };
    this.headerInfo = { sensors: [{ info, channels: imu.channels }], line: 0 };

    const out: SampleBlock[] = [];
    for (let s = 0; s < imu.n; s += this.blockSize) {
      const e = Math.min(imu.n, s + this.blockSize);
      const tS = new Float64Array(e - s);
      for (let i = s; i < e; i++) tS[i - s] = i / imu.rateHz;
      const block: { info: SensorInfo; tS: Float64Array; accMS2: Float64Array; gyrRadS: Float64Array; magUT?: Float64Array } = {
        info,
        tS,
        accMS2: imu.accMS2.subarray(3 * s, 3 * e),
        gyrRadS: imu.gyrRadS.subarray(3 * s, 3 * e),
      };
      if (imu.magUT) block.magUT = imu.magUT.subarray(3 * s, 3 * e);
      out.push(block);
    }
    this.emitted = imu.n;
    return out;
  }
}

export const matFormat: RecordingFormat = {
  name: 'mat',
  description: 'MATLAB v5 MAT-file (compressed or not) with imu_acc, imu_gyr[, imu_mag] and sampling_rate, as in the BROAD benchmark',
  extensions: ['.mat'],
  sniff(head: string): boolean {
    // The 116-byte text header; v7.3 (HDF5) too, so that its parser can say it is unsupported.
    return /^MATLAB [0-9.]+ MAT-file/.test(head);
  },
  createParser: (options) => new MatChunkParser(options),
};
