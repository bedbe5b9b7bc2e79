/**
 * The exercise recogniser: a compact 1-D CNN in @tensorflow/tfjs (pure-JS CPU backend in
 * Node; any backend in a browser), its training loop and inference. Browser-safe: file
 * loading lives in `./files` (Node) and is imported only when a directory path is given.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleBlock } from '../samples/block';
import { DEFAULT_FEATURES, FEATURE_CHANNELS, blockWindows, windowLabels } from './windows';
import type { FeatureSpec, Windows } from './windows';

export const IDLE = 'idle';

/** Silence tfjs's one-time console notices (e.g. the tfjs-node hint in Node): production mode. */
export function quietTfjs(): void {
  tf.env().set('PROD', true);
}

/** What model.json carries besides the network (tfjs `userDefinedMetadata`). */
export interface ExerciseModelMeta {
  readonly kind: 'kinemetry-exercise';
  readonly version: 1;
  /** Output class names, in output order; `idle` is one of them. */
  readonly classes: readonly string[];
  readonly features: FeatureSpec;
  /** Free text: training data, placement, … */
  readonly notes?: string;
}

export interface ExerciseModel {
  readonly net: tf.LayersModel;
  readonly meta: ExerciseModelMeta;
}

/** A session's ground truth: one class for the whole recording, or time segments over a default. */
export type SessionLabels = string | { readonly default: string; readonly segments: readonly { readonly startS: number; readonly endS: number; readonly label: string }[] };

export interface TrainOptions {
  /** Seed of weight initialisation, shuffling, validation split and augmentation. Default 1. */
  seed?: number;
  /** Class names in output order. Default: the labels' names sorted, `idle` last. */
  classes?: readonly string[];
  features?: FeatureSpec;
  /** Maximum epochs. Default 40. */
  epochs?: number;
  /** Early stopping: epochs without a validation-loss improvement before stopping. Default 6. */
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  /** Hop between training windows, s (denser than inference). Default features.hopS / 2. */
  trainHopS?: number;
  /** `balanced` (default: inverse class frequency, mean 1), `none`, or explicit weights per class name. */
  classWeights?: 'balanced' | 'none' | Readonly<Record<string, number>>;
  /** Random sensor-frame rotation (random axis) of the acc/gyro channels per training window, deg (mounting variation). Default 10; 0 off. */
  augmentRotationDeg?: number;
  /**
   * Random rotation about the sensor x axis per training window, deg: a strap-on sensor's x
   * axis runs along the limb (UCI PT: the Xsens x axis), the angle around the limb varies most.
   * Default 40; 0 off.
   */
  augmentLimbAxisDeg?: number;
  /** Validation: every `validationEvery`-th chunk of `validationChunkS` s of each session. Default 5 / 20 s; 0 = no validation (no early stopping). */
  validationEvery?: number;
  validationChunkS?: number;
  notes?: string;
  onEpoch?: (e: EpochLog) => void;
}

export interface EpochLog {
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss: number | undefined;
  readonly valAccuracy: number | undefined;
}

export interface TrainResult {
  readonly model: ExerciseModel;
  readonly history: readonly EpochLog[];
  /** The epoch whose weights were kept (best validation loss; last when no validation). */
  readonly bestEpoch: number;
  readonly trainWindows: number;
  readonly validationWindows: number;
}

/** mulberry32: small, seedable, deterministic. */
function rng(seed: number): () => number {
  let a = seed >>> 0 || 0x9e3779b9;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The network: a strided 1-D CNN whose convolutions have kernel = stride (5, 2, 2 samples), so
 * each is a reshape (time patches) followed by a dense layer over the patch — the same maths as
 * conv1d with non-overlapping kernels, but a matrix product in tfjs, whose pure-JS conv1d
 * gradient is ~15× slower. Then global average pooling over time and a dense classifier
 * (logits). ~6 k parameters. `steps` must be a multiple of 20.
 */
export function buildNetwork(steps: number, classCount: number, seed = 1): tf.LayersModel {
  if (steps % 20 !== 0) throw new Error(`ml: the window must hold a multiple of 20 samples, got ${steps} (windowS × rateHz)`);
  let s = seed * 7919;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const net = tf.sequential();
  net.add(tf.layers.reshape({ inputShape: [steps, FEATURE_CHANNELS], targetShape: [steps / 5, 5 * FEATURE_CHANNELS] }));
  net.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init() }));
  net.add(tf.layers.reshape({ targetShape: [steps / 10, 64] }));
  net.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init() }));
  net.add(tf.layers.reshape({ targetShape: [steps / 20, 64] }));
  net.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init() }));
  net.add(tf.layers.globalAveragePooling1d({}));
  net.add(tf.layers.dense({ units: 32, activation: 'relu', kernelInitializer: init() }));
  net.add(tf.layers.dense({ units: classCount, kernelInitializer: init() })); // logits
  return net;
}

function labelNames(l: SessionLabels): string[] {
  return typeof l === 'string' ? [l] : [l.default, ...l.segments.map((s) => s.label)];
}

function defaultClasses(labels: readonly SessionLabels[]): string[] {
  const names = [...new Set(labels.flatMap(labelNames))].filter((n) => n !== IDLE).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return [...names, IDLE];
}

/** Per-sample label indices over a session's resampled series. */
function sampleLabels(l: SessionLabels, n: number, t0S: number, rateHz: number, index: ReadonlyMap<string, number>): Int32Array {
  const idx = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`ml: label '${name}' is not one of the classes (${[...index.keys()].join(', ')})`);
    return i;
  };
  if (typeof l === 'string') return new Int32Array(n).fill(idx(l));
  const out = new Int32Array(n).fill(idx(l.default));
  for (const s of l.segments) {
    const a = Math.max(0, Math.ceil((s.startS - t0S) * rateHz)), b = Math.min(n, Math.ceil((s.endS - t0S) * rateHz));
    if (b > a) out.fill(idx(s.label), a, b);
  }
  return out;
}

/**
 * Rotate each window's acc and gyro triples by one random rotation (in place): about a random
 * axis by up to `maxDeg`, or (`axisX`) about the sensor x axis by up to `maxDeg`.
 */
function augmentRotation(x: Float32Array, count: number, steps: number, maxDeg: number, rand: () => number, axisX = false): void {
  for (let w = 0; w < count; w++) {
    // Random axis, random angle in [-maxDeg, maxDeg].
    let ux = axisX ? 1 : rand() * 2 - 1, uy = axisX ? 0 : rand() * 2 - 1, uz = axisX ? 0 : rand() * 2 - 1;
    const norm = Math.hypot(ux, uy, uz) || 1;
    ux /= norm; uy /= norm; uz /= norm;
    const th = (rand() * 2 - 1) * maxDeg * (Math.PI / 180);
    const c = Math.cos(th), s = Math.sin(th), C = 1 - c;
    const r00 = c + ux * ux * C, r01 = ux * uy * C - uz * s, r02 = ux * uz * C + uy * s;
    const r10 = uy * ux * C + uz * s, r11 = c + uy * uy * C, r12 = uy * uz * C - ux * s;
    const r20 = uz * ux * C - uy * s, r21 = uz * uy * C + ux * s, r22 = c + uz * uz * C;
    for (let k = 0; k < steps; k++) {
      const o = (w * steps + k) * FEATURE_CHANNELS;
      for (const b of [o, o + 3]) {
        const a0 = x[b]!, a1 = x[b + 1]!, a2 = x[b + 2]!;
        x[b] = r00 * a0 + r01 * a1 + r02 * a2;
        x[b + 1] = r10 * a0 + r11 * a1 + r12 * a2;
        x[b + 2] = r20 * a0 + r21 * a1 + r22 * a2;
      }
    }
  }
}

/**
 * Train an exercise model on labelled sessions (one SampleBlock with accelerometer + gyroscope
 * per session, `labels[i]` its ground truth). Deterministic for a given seed (CPU backend).
 */
export async function trainExerciseModel(sessions: readonly SampleBlock[], labels: readonly SessionLabels[], options: TrainOptions = {}): Promise<TrainResult> {
  if (sessions.length !== labels.length) throw new Error(`ml: ${sessions.length} sessions but ${labels.length} labels`);
  if (sessions.length === 0) throw new Error('ml: no sessions to train on');
  const seed = options.seed ?? 1;
  const features = options.features ?? DEFAULT_FEATURES;
  const classes = [...(options.classes ?? defaultClasses(labels))];
  const index = new Map(classes.map((c, i) => [c, i]));
  const C = classes.length;
  const trainSpec: FeatureSpec = { ...features, hopS: options.trainHopS ?? features.hopS / 2 };
  const everyVal = options.validationEvery ?? 5;
  const chunkS = options.validationChunkS ?? 20;
  const rand = rng(seed);
  const valOffset = everyVal > 0 ? Math.floor(rand() * everyVal) : 0;

  // Windows and labels, split into training and validation by time chunks.
  const trX: Float32Array[] = [], trY: number[] = [], vaX: Float32Array[] = [], vaY: number[] = [];
  let steps = 0;
  for (let i = 0; i < sessions.length; i++) {
    const w: Windows & { resampled: { n: number; t0S: number; rateHz: number } } = blockWindows(sessions[i]!, trainSpec);
    steps = w.steps;
    const y = windowLabels(w, sampleLabels(labels[i]!, w.resampled.n, w.resampled.t0S, w.resampled.rateHz, index), C);
    const size = w.steps * FEATURE_CHANNELS;
    for (let k = 0; k < w.count; k++) {
      const rel0 = w.startS[k]! - w.resampled.t0S, rel1 = rel0 + features.windowS;
      const c0 = Math.floor(rel0 / chunkS), c1 = Math.floor(rel1 / chunkS);
      const isVal = (c: number) => everyVal > 0 && c % everyVal === valOffset;
      const row = w.x.subarray(k * size, (k + 1) * size);
      if (isVal(c0) && isVal(c1)) { vaX.push(row); vaY.push(y[k]!); }
      else if (!isVal(c0) && !isVal(c1)) { trX.push(row); trY.push(y[k]!); }
    }
  }
  const nTr = trX.length, nVa = vaX.length;
  if (nTr === 0) throw new Error('ml: no training windows (recordings shorter than a window?)');
  const size = steps * FEATURE_CHANNELS;

  // Class weights.
  const counts = new Float64Array(C);
  for (const y of trY) counts[y]!++;
  const cw = new Float32Array(C).fill(1);
  const cwOpt = options.classWeights ?? 'balanced';
  if (cwOpt === 'balanced') {
    const present = counts.filter((c) => c > 0).length;
    for (let c = 0; c < C; c++) cw[c] = counts[c]! > 0 ? nTr / (present * counts[c]!) : 0;
  } else if (cwOpt !== 'none') {
    for (let c = 0; c < C; c++) cw[c] = cwOpt[classes[c]!] ?? 1;
  }

  const net = buildNetwork(steps, C, seed);
  const optimizer = tf.train.adam(options.learningRate ?? 0.003);
  const batchSize = options.batchSize ?? 64;
  const epochs = options.epochs ?? 40;
  const patience = options.patience ?? 6;
  const rotDeg = options.augmentRotationDeg ?? 10;
  const limbDeg = options.augmentLimbAxisDeg ?? 40;

  const vaTensorX = nVa > 0 ? tf.tensor3d(concatRows(vaX, size), [nVa, steps, FEATURE_CHANNELS]) : undefined;
  const vaTensorY = nVa > 0 ? tf.oneHot(tf.tensor1d(vaY, 'int32'), C) : undefined;
  const cwT = tf.tensor1d(cw);

  const history: EpochLog[] = [];
  let best = Infinity, bestEpoch = 0, bestWeights: tf.Tensor[] | undefined, since = 0;
  const order = Array.from({ length: nTr }, (_, i) => i);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = nTr - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (let b0 = 0; b0 < nTr; b0 += batchSize) {
      const ids = order.slice(b0, b0 + batchSize);
      const xb = new Float32Array(ids.length * size);
      ids.forEach((id, k) => xb.set(trX[id]!, k * size));
      if (limbDeg > 0) augmentRotation(xb, ids.length, steps, limbDeg, rand, true);
      if (rotDeg > 0) augmentRotation(xb, ids.length, steps, rotDeg, rand);
      const yb = ids.map((id) => trY[id]!);
      const loss = tf.tidy(() => {
        const x = tf.tensor3d(xb, [ids.length, steps, FEATURE_CHANNELS]);
        const yi = tf.tensor1d(yb, 'int32');
        const y = tf.oneHot(yi, C);
        const w = tf.gather(cwT, yi);
        return optimizer.minimize(() => {
          const logits = net.apply(x, { training: true }) as tf.Tensor2D;
          return tf.div(tf.sum(tf.mul(tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.NONE), w)), tf.sum(w)) as tf.Scalar;
        }, true) as tf.Scalar;
      });
      lossSum += (await loss.data())[0]! * ids.length;
      loss.dispose();
    }
    let valLoss: number | undefined, valAccuracy: number | undefined;
    if (vaTensorX && vaTensorY) {
      const [l, a] = tf.tidy(() => {
        const logits = net.predict(vaTensorX, { batchSize: 256 }) as tf.Tensor2D;
        return [tf.losses.softmaxCrossEntropy(vaTensorY, logits), tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(vaTensorY, 1)), 'float32'))];
      });
      valLoss = (await l!.data())[0]!;
      valAccuracy = (await a!.data())[0]!;
      l!.dispose();
      a!.dispose();
    }
    const log: EpochLog = { epoch, loss: lossSum / nTr, valLoss, valAccuracy };
    history.push(log);
    options.onEpoch?.(log);
    const monitor = valLoss ?? log.loss;
    if (monitor < best - 1e-4) {
      best = monitor;
      bestEpoch = epoch;
      since = 0;
      bestWeights?.forEach((t) => t.dispose());
      bestWeights = net.getWeights().map((t) => t.clone());
    } else if (valLoss !== undefined && ++since >= patience) {
      break;
    }
  }
  if (bestWeights) {
    net.setWeights(bestWeights);
    bestWeights.forEach((t) => t.dispose());
  }
  vaTensorX?.dispose();
  vaTensorY?.dispose();
  cwT.dispose();
  optimizer.dispose();
  const meta: ExerciseModelMeta = { kind: 'kinemetry-exercise', version: 1, classes, features, ...(options.notes ? { notes: options.notes } : {}) };
  return { model: { net, meta }, history, bestEpoch, trainWindows: nTr, validationWindows: nVa };
}

function concatRows(rows: readonly Float32Array[], size: number): Float32Array {
  const out = new Float32Array(rows.length * size);
  rows.forEach((r, k) => out.set(r, k * size));
  return out;
}

export interface ExerciseSegment {
  readonly startS: number;
  readonly endS: number;
  readonly exercise: string;
  readonly confidence: number;
}

export interface Classification {
  /** The dominant exercise over the windows not classified idle; null when every window is idle. */
  readonly exercise: string | null;
  /** Mean probability of `exercise` (among the non-idle classes) over the non-idle windows. */
  readonly confidence: number;
  /** Runs of windows with the same class (idle included), smoothed over 3 windows. */
  readonly segments: readonly ExerciseSegment[];
  /** Windows classified, and how many of them were not idle. */
  readonly windows: number;
  readonly activeWindows: number;
}

/** Class probabilities per window, row-major count × classes. */
export function windowProbabilities(model: ExerciseModel, w: Windows): Float32Array {
  if (w.count === 0) return new Float32Array(0);
  return tf.tidy(() => {
    const x = tf.tensor3d(w.x, [w.count, w.steps, FEATURE_CHANNELS]);
    return tf.softmax(model.net.predict(x, { batchSize: 512 }) as tf.Tensor2D);
  }).dataSync() as Float32Array;
}

/** Classify a recording (one sensor, accelerometer + gyroscope, any rate). */
export function classifyRecording(model: ExerciseModel, block: SampleBlock): Classification {
  const { classes, features } = model.meta;
  const C = classes.length;
  const idle = classes.indexOf(IDLE);
  const w = blockWindows(block, features);
  const p = windowProbabilities(model, w);
  const pred = new Int32Array(w.count);
  for (let k = 0; k < w.count; k++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (p[k * C + c]! > p[k * C + best]!) best = c;
    pred[k] = best;
  }
  // Dominant exercise: summed non-idle-renormalised probabilities over the non-idle windows.
  const score = new Float64Array(C);
  let active = 0;
  for (let k = 0; k < w.count; k++) {
    if (pred[k] === idle) continue;
    active++;
    const rest = 1 - (idle >= 0 ? p[k * C + idle]! : 0);
    for (let c = 0; c < C; c++) if (c !== idle) score[c]! += p[k * C + c]! / (rest || 1);
  }
  let ex = -1;
  for (let c = 0; c < C; c++) if (c !== idle && active > 0 && (ex < 0 || score[c]! > score[ex]!)) ex = c;
  // Segments: 3-window majority smoothing, then runs.
  const smooth = Int32Array.from(pred);
  for (let k = 1; k + 1 < w.count; k++) if (pred[k - 1] === pred[k + 1] && pred[k] !== pred[k - 1]) smooth[k] = pred[k - 1]!;
  const segments: ExerciseSegment[] = [];
  const half = features.hopS / 2;
  const t0 = block.tS[0] ?? 0, tEnd = block.tS[block.tS.length - 1] ?? 0;
  let k0 = 0;
  for (let k = 1; k <= w.count; k++) {
    if (k < w.count && smooth[k] === smooth[k0]) continue;
    const c = smooth[k0]!;
    let conf = 0;
    for (let j = k0; j < k; j++) conf += p[j * C + c]!;
    const centre = (j: number) => w.startS[j]! + features.windowS / 2;
    segments.push({
      startS: round3(k0 === 0 ? t0 : centre(k0) - half),
      endS: round3(k === w.count ? tEnd : centre(k - 1) + half),
      exercise: classes[c]!,
      confidence: round3(conf / (k - k0)),
    });
    k0 = k;
  }
  return { exercise: ex >= 0 ? classes[ex]! : null, confidence: ex >= 0 ? round3(score[ex]! / active) : 0, segments, windows: w.count, activeWindows: active };
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** The model as tfjs artifacts: `modelJson` (model.json contents, weights in `weights.bin`) and the weight bytes. */
export interface ExerciseModelFiles {
  readonly modelJson: Record<string, unknown>;
  readonly weights: ArrayBuffer;
}

export const WEIGHTS_FILE = 'weights.bin';

export async function exerciseModelFiles(model: ExerciseModel): Promise<ExerciseModelFiles> {
  let out: ExerciseModelFiles | undefined;
  await model.net.save(
    tf.io.withSaveHandler(async (a) => {
      const data = a.weightData;
      const weights = data instanceof ArrayBuffer ? data : tf.io.concatenateArrayBuffers(data as ArrayBuffer[]);
      out = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
          convertedBy: null,
          modelTopology: a.modelTopology,
          weightsManifest: [{ paths: [WEIGHTS_FILE], weights: a.weightSpecs }],
          userDefinedMetadata: model.meta,
        },
        weights,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: 'JSON' } };
    }),
  );
  return out!;
}

function checkMeta(meta: unknown, where: string): ExerciseModelMeta {
  const m = meta as Partial<ExerciseModelMeta> | undefined;
  if (!m || m.kind !== 'kinemetry-exercise' || !Array.isArray(m.classes) || !m.features) throw new Error(`${where}: not a kinemetry exercise model (no userDefinedMetadata.kind 'kinemetry-exercise')`);
  return m as ExerciseModelMeta;
}

/** A model from its files in memory (model.json contents + weights.bin bytes). */
export async function exerciseModelFromFiles(files: ExerciseModelFiles, where = 'model'): Promise<ExerciseModel> {
  const j = files.modelJson as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: unknown };
  const meta = checkMeta(j.userDefinedMetadata, where);
  const weightSpecs = j.weightsManifest.flatMap((g) => g.weights);
  const net = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: j.modelTopology, weightSpecs, weightData: files.weights }));
  return { net, meta };
}

/**
 * Load a model: from a URL of its model.json (browser or Node with fetch), from its files in
 * memory, or (Node) from a directory holding model.json + weights.bin.
 */
export async function loadExerciseModel(source: string | URL | ExerciseModelFiles): Promise<ExerciseModel> {
  if (typeof source === 'object' && !(source instanceof URL)) return exerciseModelFromFiles(source);
  const s = String(source);
  if (/^(https?|blob|data):/i.test(s)) {
    const net = await tf.loadLayersModel(s);
    return { net, meta: checkMeta(net.getUserDefinedMetadata?.() ?? (net as unknown as { userDefinedMetadata?: unknown }).userDefinedMetadata, s) };
  }
  const { readExerciseModelDir } = await import('./files');
  return exerciseModelFromFiles(await readExerciseModelDir(s), s);
}
