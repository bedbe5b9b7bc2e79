/**
 * The exercise recogniser: a small multilayer perceptron in @tensorflow/tfjs over engineered
 * window features (./features), its training loop and inference. Browser-safe: file loading
 * lives in `./files` (Node) and is imported only when a directory path is given.
 */
import * as tf from '@tensorflow/tfjs';
import type { SampleBlock } from '../samples/block';
import { FEATURE_LENGTH, axisAngleMatrix, featureMatrix, rotateResampled } from './features';
import type { FeatureMatrix, FeatureWindows } from './features';
import { resampleFeatures, windowLabels } from './windows';
import type { Resampled } from './windows';
import { setVote } from './setVote';
import type { SetVoteOptions } from './setVote';

export const IDLE = 'idle';

/** Silence tfjs's one-time console notices (e.g. the tfjs-node hint in Node): production mode. */
export function quietTfjs(): void {
  tf.env().set('PROD', true);
}

/** Resampling rate and window scales of a model's features. */
export interface FeatureSpec extends FeatureWindows {
  /** Resampling rate, Hz. */
  readonly rateHz: number;
}

export const DEFAULT_FEATURES: FeatureSpec = { rateHz: 25, shortS: 4, longS: 24, hopS: 1 };

/** What model.json carries besides the network (tfjs `userDefinedMetadata`). */
export interface ExerciseModelMeta {
  readonly kind: 'kinemetry-exercise';
  /** 2: an MLP over engineered features, standardised with `featureMean` / `featureStd`. */
  readonly version: 2;
  /** Output class names, in output order; `idle` is one of them. */
  readonly classes: readonly string[];
  readonly features: FeatureSpec;
  /** Training-set mean and standard deviation of each feature (the input standardisation). */
  readonly featureMean: readonly number[];
  readonly featureStd: readonly number[];
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
  /** Seed of weight initialisation, shuffling, validation split, dropout and augmentation. Default 1. */
  seed?: number;
  /** Class names in output order. Default: the labels' names sorted, `idle` last. */
  classes?: readonly string[];
  features?: FeatureSpec;
  /** Maximum epochs. Default 60. */
  epochs?: number;
  /** Early stopping: epochs without a validation-loss improvement before stopping. Default 8. */
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  /** Hidden layer widths. Default [64, 32]. */
  hiddenUnits?: readonly number[];
  /** Dropout before each hidden layer's output, 0–1. Default 0.2. */
  dropout?: number;
  /**
   * Dropout on the (standardised) input features, 0–1: a dropped feature reads as its training
   * mean, so the network cannot lean on one cue alone (e.g. a rotation axis that only holds for
   * the training subjects' straps) and must also learn the others (e.g. the radius). Default 0.
   */
  inputDropout?: number;
  /** `balanced` (default: inverse class frequency, mean 1), `none`, or explicit weights per class name. */
  classWeights?: 'balanced' | 'none' | Readonly<Record<string, number>>;
  /**
   * Mounting augmentation: each session is added this many more times, each copy rotated as a
   * whole (a strap put on differently) — about the sensor x axis by up to
   * {@link augmentLimbAxisDeg} and about a random axis by up to {@link augmentRotationDeg}.
   * Default 4; 0 off.
   */
  augmentCopies?: number;
  /**
   * Random rotation about the sensor x axis, deg: a strap-on sensor's x axis runs along the
   * limb (UCI PT: the Xsens x axis), the angle around the limb varies most. Default 45.
   */
  augmentLimbAxisDeg?: number;
  /**
   * Per-class override of {@link augmentLimbAxisDeg} (a session takes its exercise's value):
   * wider where the class is told apart by physics, not by how the strap sits (e.g. elbow vs
   * shoulder exercises, by the radius of rotation), narrower where the strap's roll carries the
   * posture (a supine vs a side-lying leg raise differ only in which way gravity crosses the leg).
   */
  augmentLimbAxisDegByClass?: Readonly<Record<string, number>>;
  /** Random rotation about a random axis, deg (tilt of the strap). Default 20. */
  augmentRotationDeg?: number;
  /** Validation: every `validationEvery`-th chunk of `validationChunkS` s of each session (not augmented). Default 5 / 20 s; 0 = no validation (no early stopping). */
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

/** The network: dense ReLU layers with dropout, then a dense classifier (logits). A few thousand parameters. */
export function buildNetwork(inputLength: number, classCount: number, seed = 1, hiddenUnits: readonly number[] = [64, 32], dropout = 0.2, inputDropout = 0): tf.LayersModel {
  let s = seed * 7919;
  const init = () => tf.initializers.glorotUniform({ seed: s++ });
  const net = tf.sequential();
  if (inputDropout > 0) net.add(tf.layers.dropout({ rate: inputDropout, seed: s++, inputShape: [inputLength] }));
  hiddenUnits.forEach((units, i) => {
    net.add(tf.layers.dense({ units, activation: 'relu', kernelInitializer: init(), ...(i === 0 && inputDropout <= 0 ? { inputShape: [inputLength] } : {}) }));
    if (dropout > 0) net.add(tf.layers.dropout({ rate: dropout, seed: s++ }));
  });
  net.add(tf.layers.dense({ units: classCount, kernelInitializer: init(), ...(hiddenUnits.length === 0 ? { inputShape: [inputLength] } : {}) })); // logits
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
export function sampleLabels(l: SessionLabels, r: Pick<Resampled, 'n' | 't0S' | 'rateHz'>, index: ReadonlyMap<string, number>): Int32Array {
  const idx = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`ml: label '${name}' is not one of the classes (${[...index.keys()].join(', ')})`);
    return i;
  };
  const { n, t0S, rateHz } = r;
  if (typeof l === 'string') return new Int32Array(n).fill(idx(l));
  const out = new Int32Array(n).fill(idx(l.default));
  for (const s of l.segments) {
    const a = Math.max(0, Math.ceil((s.startS - t0S) * rateHz)), b = Math.min(n, Math.ceil((s.endS - t0S) * rateHz));
    if (b > a) out.fill(idx(s.label), a, b);
  }
  return out;
}

/** A random mounting rotation: about x by up to `limbDeg`, then about a random axis by up to `anyDeg`. */
function randomMount(rand: () => number, limbDeg: number, anyDeg: number): Float64Array {
  const a = axisAngleMatrix(1, 0, 0, (rand() * 2 - 1) * limbDeg * (Math.PI / 180));
  let ux = rand() * 2 - 1, uy = rand() * 2 - 1, uz = rand() * 2 - 1;
  const norm = Math.hypot(ux, uy, uz) || 1;
  ux /= norm; uy /= norm; uz /= norm;
  const b = axisAngleMatrix(ux, uy, uz, (rand() * 2 - 1) * anyDeg * (Math.PI / 180));
  const m = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) m[3 * i + j] = b[3 * i]! * a[j]! + b[3 * i + 1]! * a[3 + j]! + b[3 * i + 2]! * a[6 + j]!;
  return m;
}

/** A block's feature vectors under a model's feature spec. */
export function blockFeatures(block: SampleBlock, spec: FeatureSpec = DEFAULT_FEATURES): FeatureMatrix & { resampled: Resampled } {
  const resampled = resampleFeatures(block, spec.rateHz);
  return { ...featureMatrix(resampled, spec), resampled };
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
  const everyVal = options.validationEvery ?? 5;
  const chunkS = options.validationChunkS ?? 20;
  const copies = options.augmentCopies ?? 4;
  const limbDeg = options.augmentLimbAxisDeg ?? 45, anyDeg = options.augmentRotationDeg ?? 20;
  const rand = rng(seed);
  const valOffset = everyVal > 0 ? Math.floor(rand() * everyVal) : 0;
  const isVal = (c: number) => everyVal > 0 && c % everyVal === valOffset;

  // Feature rows and labels; validation = whole time chunks of the unrotated sessions.
  const trX: number[][] = [], trY: number[] = [], vaX: number[][] = [], vaY: number[] = [];
  const F = FEATURE_LENGTH;
  for (let i = 0; i < sessions.length; i++) {
    const r0 = resampleFeatures(sessions[i]!, features.rateHz);
    const y = windowLabels(featureMatrix(r0, features), sampleLabels(labels[i]!, r0, index), C);
    for (let copy = 0; copy <= copies; copy++) {
      const own = labelNames(labels[i]!).find((l) => l !== IDLE);
      const limb = (own !== undefined ? options.augmentLimbAxisDegByClass?.[own] : undefined) ?? limbDeg;
      const r = copy === 0 ? r0 : rotateResampled(r0, randomMount(rand, limb, anyDeg));
      const m = featureMatrix(r, features);
      for (let k = 0; k < m.count; k++) {
        const rel0 = m.startS[k]! - r.t0S, rel1 = rel0 + features.shortS;
        const v0 = isVal(Math.floor(rel0 / chunkS)), v1 = isVal(Math.floor(rel1 / chunkS));
        const row = Array.from(m.x.subarray(k * F, (k + 1) * F));
        if (v0 && v1) { if (copy === 0) { vaX.push(row); vaY.push(y[k]!); } }
        else if (!v0 && !v1) { trX.push(row); trY.push(y[k]!); }
      }
    }
  }
  const nTr = trX.length, nVa = vaX.length;
  if (nTr === 0) throw new Error('ml: no training windows (recordings too short?)');

  // Standardisation from the training rows.
  const mean = new Array<number>(F).fill(0), std = new Array<number>(F).fill(0);
  for (const row of trX) for (let f = 0; f < F; f++) mean[f]! += row[f]! / nTr;
  for (const row of trX) for (let f = 0; f < F; f++) std[f]! += (row[f]! - mean[f]!) ** 2 / nTr;
  for (let f = 0; f < F; f++) std[f] = Math.sqrt(std[f]!) || 1;
  const standardise = (rows: readonly number[][]): Float32Array => {
    const out = new Float32Array(rows.length * F);
    rows.forEach((row, k) => { for (let f = 0; f < F; f++) out[k * F + f] = (row[f]! - mean[f]!) / std[f]!; });
    return out;
  };
  const trAll = standardise(trX);

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

  const net = buildNetwork(F, C, seed, options.hiddenUnits ?? [64, 32], options.dropout ?? 0.2, options.inputDropout ?? 0);
  const optimizer = tf.train.adam(options.learningRate ?? 0.003);
  const batchSize = options.batchSize ?? 128;
  const epochs = options.epochs ?? 60;
  const patience = options.patience ?? 8;

  const vaTensorX = nVa > 0 ? tf.tensor2d(standardise(vaX), [nVa, F]) : undefined;
  const vaTensorY = nVa > 0 ? tf.oneHot(tf.tensor1d(vaY, 'int32'), C) : undefined;
  const cwT = tf.tensor1d(cw);

  const history: EpochLog[] = [];
  let best = Infinity, bestEpoch = 0, bestWeights: tf.Tensor[] | undefined, since = 0;
  const order = Array.from({ length: nTr }, (_, i) => i);
  const xb = new Float32Array(batchSize * F);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    for (let i = nTr - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (let b0 = 0; b0 < nTr; b0 += batchSize) {
      const ids = order.slice(b0, b0 + batchSize);
      ids.forEach((id, k) => xb.set(trAll.subarray(id * F, (id + 1) * F), k * F));
      const yb = ids.map((id) => trY[id]!);
      const loss = tf.tidy(() => {
        const x = tf.tensor2d(xb.subarray(0, ids.length * F), [ids.length, F]);
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
        const logits = net.predict(vaTensorX, { batchSize: 1024 }) as tf.Tensor2D;
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
  const meta: ExerciseModelMeta = { kind: 'kinemetry-exercise', version: 2, classes, features, featureMean: mean.map(round6), featureStd: std.map(round6), ...(options.notes ? { notes: options.notes } : {}) };
  return { model: { net, meta }, history, bestEpoch, trainWindows: nTr, validationWindows: nVa };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

export interface ExerciseSegment {
  readonly startS: number;
  readonly endS: number;
  readonly exercise: string;
  readonly confidence: number;
}

export interface Classification {
  /** The exercise of most set windows (sets voted one class each); null when no window is in a set. */
  readonly exercise: string | null;
  /** Mean probability of `exercise` (idle left out, renormalised) over the windows of its sets. */
  readonly confidence: number;
  /** Runs of windows with the same class (idle included), after the set vote (./setVote). */
  readonly segments: readonly ExerciseSegment[];
  /** Class index (into the model's classes) per feature window, after the set vote. */
  readonly windowClasses: Int32Array;
  /** Windows classified, and how many of them were not idle. */
  readonly windows: number;
  readonly activeWindows: number;
}

/** Class probabilities per feature window, row-major count × classes. */
export function windowProbabilities(model: ExerciseModel, m: Pick<FeatureMatrix, 'x' | 'count'>): Float32Array {
  if (m.count === 0) return new Float32Array(0);
  const { featureMean: mean, featureStd: std } = model.meta;
  const F = FEATURE_LENGTH;
  const x = new Float32Array(m.count * F);
  for (let k = 0; k < m.count; k++) for (let f = 0; f < F; f++) x[k * F + f] = (m.x[k * F + f]! - mean[f]!) / std[f]!;
  return tf.tidy(() => tf.softmax(model.net.predict(tf.tensor2d(x, [m.count, F]), { batchSize: 1024 }) as tf.Tensor2D)).dataSync() as Float32Array;
}

/** Classify a recording (one sensor, accelerometer + gyroscope, any rate). */
export function classifyRecording(model: ExerciseModel, block: SampleBlock, vote: SetVoteOptions = {}): Classification {
  const { classes, features } = model.meta;
  const C = classes.length;
  const idle = classes.indexOf(IDLE);
  const w = blockFeatures(block, features);
  const p = windowProbabilities(model, w);
  const { classes: cls, sets } = setVote(p, w.count, C, idle, vote);
  // Dominant exercise: the class of most set windows, each set weighted by its length × mean score.
  const score = new Float64Array(C);
  let active = 0;
  for (const s of sets) {
    score[s.cls]! += s.score * (s.end - s.start);
    active += s.end - s.start;
  }
  let ex = -1;
  for (let c = 0; c < C; c++) if (c !== idle && score[c]! > 0 && (ex < 0 || score[c]! > score[ex]!)) ex = c;
  const segments: ExerciseSegment[] = [];
  const half = features.hopS / 2;
  const t0 = block.tS[0] ?? 0, tEnd = block.tS[block.tS.length - 1] ?? 0;
  const centre = (j: number) => w.startS[j]! + features.shortS / 2;
  let k0 = 0;
  for (let k = 1; k <= w.count; k++) {
    if (k < w.count && cls[k] === cls[k0]) continue;
    const c = cls[k0]!;
    let conf = 0;
    for (let j = k0; j < k; j++) conf += p[j * C + c]!;
    segments.push({
      startS: round3(k0 === 0 ? t0 : centre(k0) - half),
      endS: round3(k === w.count ? tEnd : centre(k - 1) + half),
      exercise: classes[c]!,
      confidence: round3(conf / (k - k0)),
    });
    k0 = k;
  }
  let conf = 0;
  if (ex >= 0) {
    let n = 0;
    for (const s of sets) if (s.cls === ex) { conf += s.score * (s.end - s.start); n += s.end - s.start; }
    conf /= n;
  }
  return { exercise: ex >= 0 ? classes[ex]! : null, confidence: round3(conf), segments, windowClasses: cls, windows: w.count, activeWindows: active };
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
  if (m.version !== 2 || !Array.isArray(m.featureMean) || m.featureMean.length !== FEATURE_LENGTH || !Array.isArray(m.featureStd) || m.featureStd.length !== FEATURE_LENGTH) {
    throw new Error(`${where}: exercise model version ${String(m.version)} with ${m.featureMean?.length ?? 0} features; this kinemetry reads version 2 with ${FEATURE_LENGTH}`);
  }
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

/**
 * The model as a classifier for the pipeline's `labelExercise` operator (which takes it by
 * injection, so the pipeline never imports tfjs): the recording's dominant exercise and confidence.
 */
export function exerciseClassifier(model: ExerciseModel): { classify(block: SampleBlock): { exercise: string | null; confidence: number } } {
  return {
    classify(block) {
      const c = classifyRecording(model, block);
      return { exercise: c.exercise, confidence: c.confidence };
    },
  };
}
