/**
 * The analysis behind `kinemetry reps` and `kinemetry analyze`: recording → movement signal
 * (a joint angle with --joint/--proximal/--distal, else one sensor's automatic dominant
 * rotation) → reps (offline segmenter) → quality (metrics, template verdict, score, flags) →
 * session summary → the report model. One function so both commands see the same reps.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readSession } from '../io/node/session';
import type { RecordingSession, SessionRecording } from '../io/node/session';
import { jointDef } from '../kinematics/joints';
import { ROM_MOTIONS } from '../kinematics/norms';
import { romSummary } from '../kinematics/romSummary';
import type { RomSummary } from '../kinematics/romSummary';
import { QualityInputError } from '../quality/errors';
import { scoreReps } from '../quality/score';
import { summariseSession, type SessionPlan } from '../quality/session';
import { buildTemplate } from '../quality/template';
import type { LabelledRep, RepTemplate } from '../quality/template';
import type { ScoredRep, SessionSummary } from '../quality/types';
import { decimateMinMax } from '../report/model';
import type { AnalysisReport, ReportSensor, SetExercise } from '../report/model';
import { countRepsOffline } from '../reps/offline';
import { dominantRotationSignal } from '../reps/dominantRotation';
import { requireInertial } from '../samples/block';
import { loadCliModel } from './classify';
import type { MovementSignal, Rep } from '../reps/rep';
import type { SampleBlock } from '../samples/block';
import { estimateRateHz } from '../samples/rate';
import { JOINT_OPTIONS, computeJointAngles, parseJointOptions } from './angles';
import type { JointOptions } from './angles';
import { UsageError, readerOptions } from './command';
import type { CommandContext, CommonOptions, OptionSpec } from './command';
import { JointDataError } from './errors';
import { joinBlocks, readSensorBlocks } from './jointCalibration';
import { VERSION } from './version';


/**
 * Below this share of a sensor's rotation about its principal axis the motion is not a
 * single-axis exercise (UCI PT exercises: 0.62–0.99; free multi-axis motion: 0.42–0.51).
 */
const MIN_AXIS_SHARE = 0.55;
/** Points of the signal kept for the report's plot (min/max per bucket, so peaks survive). */
const PLOT_POINTS = 2400;

/** Options shared by `reps` and `analyze`. */
export const ANALYSIS_OPTIONS: OptionSpec = {
  ...JOINT_OPTIONS,
  template: { type: 'string' },
  'template-reps': { type: 'string' },
  plan: { type: 'string' },
  'plan-reps': { type: 'string' },
};

export const ANALYSIS_OPTIONS_HELP: readonly (readonly [string, string])[] = [
  ['--joint NAME', 'analyse a joint angle (with --proximal and --distal), as `kinemetry angles`; its first angle (e.g. flexion)'],
  ['--proximal SENSOR', 'sensor on the proximal segment'],
  ['--distal SENSOR', 'sensor on the distal segment'],
  ['--side left|right', 'body side of a limb joint (default right)'],
  ['--calibrate HOW', 'joint calibration: functional (default) or static:<t0>-<t1>'],
  ['--mag', 'use the magnetometers for a joint angle (default 6D)'],
  ['--template FILE', "a therapist's supervised recording, same sensor(s) and placement"],
  ['--template-reps CSV', 'its labelled reps: header startS,endS,label (s from its start; labels e.g. correct, too-fast, too-low)'],
  ['--plan NxS', 'the prescribed programme, N reps per set × S sets (e.g. 10x3): pacing flag (far over / under the plan) and set count'],
  ['--plan-reps N', 'the prescribed reps in all (instead of --plan)'],
];

/** `--plan 10x3` / `--plan-reps 30` → the session plan; UsageError on a malformed value. */
export function parsePlan(values: Readonly<Record<string, unknown>>): SessionPlan | undefined {
  const plan = values.plan as string | undefined, total = values['plan-reps'] as string | undefined;
  if (plan !== undefined && total !== undefined) throw new UsageError('--plan and --plan-reps are alternatives: give one (e.g. --plan 10x3, or --plan-reps 30)');
  const count = (v: string, what: string): number => {
    if (!/^\d+$/.test(v.trim()) || !(Number(v) > 0)) throw new UsageError(`${what} must be a whole number > 0, got '${v}'`);
    return Number(v);
  };
  if (plan !== undefined) {
    const m = /^\s*(\d+)\s*[x×*]\s*(\d+)\s*$/i.exec(plan);
    if (!m) throw new UsageError(`--plan takes <reps per set>x<sets>, e.g. 10x3; got '${plan}'`);
    return { repsPerSet: count(m[1]!, '--plan reps per set'), sets: count(m[2]!, '--plan sets') };
  }
  if (total !== undefined) return { totalReps: count(total, '--plan-reps') };
  return undefined;
}

/** How the movement signal is obtained. */
type SignalSpec = { kind: 'joint'; joint: JointOptions } | { kind: 'sensor'; sensor: string | undefined };

export interface Analysis {
  /** The full-rate signal the reps were found on. */
  readonly signal: MovementSignal;
  readonly reps: readonly Rep[];
  readonly scored: readonly ScoredRep[];
  readonly session: SessionSummary;
  readonly report: AnalysisReport;
}

function signalSpec(values: CommandContext['values'], common: CommonOptions): SignalSpec {
  const jointGiven = ['joint', 'proximal', 'distal'].some((k) => values[k] !== undefined);
  if (!jointGiven) {
    for (const k of ['side', 'calibrate', 'mag']) if (values[k] !== undefined) throw new UsageError(`--${k} goes with --joint, --proximal and --distal`);
    return { kind: 'sensor', sensor: common.sensor };
  }
  if (common.sensor !== undefined) throw new UsageError('--sensor picks one sensor; a joint angle takes --proximal and --distal instead');
  return { kind: 'joint', joint: parseJointOptions(values) };
}

/** Angular activity of a sensor: RMS of |ω| about its median (bias) — the moving sensor has the most. */
function gyroActivity(b: SampleBlock): number {
  const g = b.gyrRadS;
  if (!g) return -1;
  const n = b.tS.length;
  const mag: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = Math.hypot(g[3 * i]!, g[3 * i + 1]!, g[3 * i + 2]!);
    if (Number.isFinite(v)) mag.push(v);
  }
  if (mag.length === 0) return -1;
  const med = [...mag].sort((a, b) => a - b)[mag.length >> 1]!;
  return Math.sqrt(mag.reduce((s, v) => s + (v - med) ** 2, 0) / mag.length);
}

interface SourceSignal {
  signal: MovementSignal;
  sensors: ReportSensor[];
  recordings: SessionRecording[];
  rom?: RomSummary;
  notes: string[];
  /** The sensor analysed (single-sensor mode). */
  sensor?: string;
  /** How many sensors the session has (not only those used). */
  sessionSensorCount: number;
  /** Single-sensor mode: the sensor has no dominant rotation axis (see MIN_AXIS_SHARE). */
  multiAxis?: boolean;
  /** Single-sensor mode: the analysed sensor's samples (for the exercise recogniser). */
  block?: SampleBlock;
}

function reportSensor(rec: SessionRecording, b: { tS: ArrayLike<number> }): ReportSensor {
  return { name: rec.sensorId, samples: b.tS.length, rateHz: b.tS.length > 1 ? estimateRateHz(b.tS) : rec.info.rateHz ?? NaN, ...(rec.info.device ? { device: rec.info.device } : {}) };
}

/**
 * The movement signal of a session. `pickSensor` resolves which sensor to use when none was
 * named (the template must use the session's choice, not its own).
 */
async function sourceSignal(path: string, session: RecordingSession, spec: SignalSpec, pickSensor?: string): Promise<SourceSignal> {
  const recs = session.recordings;
  if (recs.length === 0) throw new JointDataError(`${path}: no recordings found`);
  if (spec.kind === 'joint') {
    const j = spec.joint;
    const jr = await computeJointAngles(path, recs, j);
    const n = jr.al.tS.length;
    const R = 180 / Math.PI;
    const angleDeg = new Float64Array(n);
    for (let i = 0; i < n; i++) angleDeg[i] = jr.rowOk[i] ? jr.anglesRad[3 * i]! * R : NaN;
    const dofName = jr.isHinge ? 'angle' : jointDef(jr.joint).dofs[0]!.name;
    const name = jr.isHinge ? 'hinge angle' : `${jr.joint} ${dofName}`;
    const signal: MovementSignal = { tS: jr.al.tS, angleDeg, name };
    const tV: number[] = [], aV: number[] = [], uV: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!jr.rowOk[i]) continue;
      tV.push(jr.al.tS[i]!);
      aV.push(angleDeg[i]!);
      uV.push(jr.uncRad[3 * i]! * R);
    }
    const motion = `${jr.joint}-${dofName}`;
    const withNorm = !jr.isHinge && (ROM_MOTIONS as readonly string[]).includes(motion);
    const notes = jr.cal.quality !== 'good' ? [`joint calibration ${jr.cal.quality}: ${jr.cal.reasons.join('; ')}`] : [];
    const used = recs.filter((r) => r.sensorId === j.proximal || r.sensorId === j.distal);
    return {
      signal, recordings: used, notes, sessionSensorCount: recs.length,
      sensors: used.map((r) => reportSensor(r, jr.al.bySensorId[r.sensorId]!.block)),
      ...(aV.length > 0 ? { rom: romSummary(tV, aV, uV, withNorm ? { motion } : {}) } : {}),
    };
  }
  const notes: string[] = [];
  let sensor = spec.sensor ?? pickSensor;
  let block: SampleBlock | undefined;
  if (sensor === undefined && recs.length === 1) sensor = recs[0]!.sensorId;
  if (sensor === undefined) {
    // Several sensors and none named: the one that moves most carries the exercise.
    let best = -Infinity;
    for (const r of recs) {
      let blocks: SampleBlock[];
      try {
        blocks = await readSensorBlocks(recs, r.sensorId, path);
      } catch {
        continue; // e.g. an orientation-only sensor: not usable here
      }
      const b = joinBlocks(blocks);
      const a = gyroActivity(b);
      if (a > best) [best, sensor, block] = [a, r.sensorId, b];
    }
    if (sensor === undefined) throw new JointDataError(`${path}: no sensor has an accelerometer and a gyroscope`);
    notes.push(`${recs.length} sensors (${recs.map((r) => r.sensorId).join(', ')}): analysed '${sensor}', the one that moves most; choose with --sensor, or give --joint/--proximal/--distal for a joint angle`);
  }
  block ??= joinBlocks(await readSensorBlocks(recs, sensor, path));
  if (block.tS.length < 10) throw new JointDataError(`${path}: sensor '${sensor}' has only ${block.tS.length} samples`);
  const signal = dominantRotationSignal(requireInertial(block, 'reps'));
  const multiAxis = signal.axisShare < MIN_AXIS_SHARE;
  if (multiAxis) {
    notes.push(
      `'${sensor}' has no dominant rotation axis (${(100 * signal.axisShare).toFixed(0)} % of its rotation about the main axis, below ${(100 * MIN_AXIS_SHARE).toFixed(0)} %): ` +
        'this is not a single-axis exercise, so the automatic signal and its rep count are unreliable (reps flagged multi-axis); give --joint/--proximal/--distal for a joint angle',
    );
  }
  const rec = recs.find((r) => r.sensorId === sensor)!;
  return { signal, sensors: [reportSensor(rec, block)], recordings: [rec], notes, sensor, sessionSensorCount: recs.length, multiAxis, block };
}


/** Parse a `startS,endS,label` CSV (header required; `,` `;` or tab; `#` comments). */
export function parseTemplateReps(text: string, file: string): LabelledRep[] {
  const lines = text.split(/\r?\n/);
  let header: string[] | undefined;
  let sep = ',';
  const idx = { startS: -1, endS: -1, label: -1 };
  const out: LabelledRep[] = [];
  const unquote = (s: string): string => s.trim().replace(/^"(.*)"$/, '$1').trim();
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k]!;
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    if (!header) {
      sep = line.includes('\t') ? '\t' : line.includes(';') && !line.includes(',') ? ';' : ',';
      header = line.split(sep).map(unquote);
      for (const key of ['startS', 'endS', 'label'] as const) idx[key] = header.findIndex((h) => h.toLowerCase() === key.toLowerCase());
      const missing = (['startS', 'endS', 'label'] as const).filter((key) => idx[key] < 0);
      if (missing.length) throw new JointDataError(`${file}:${k + 1}: the header needs columns startS,endS,label (missing ${missing.join(', ')}; got '${header.join(sep)}')`);
      continue;
    }
    const cells = line.split(sep).map(unquote);
    const startS = Number(cells[idx.startS]), endS = Number(cells[idx.endS]);
    const label = cells[idx.label] ?? '';
    if (cells[idx.startS] === '' || !Number.isFinite(startS) || cells[idx.endS] === '' || !Number.isFinite(endS)) throw new JointDataError(`${file}:${k + 1}: startS and endS must be numbers (seconds), got '${cells[idx.startS] ?? ''}', '${cells[idx.endS] ?? ''}'`);
    if (!(endS > startS)) throw new JointDataError(`${file}:${k + 1}: endS (${endS}) must be after startS (${startS})`);
    if (label === '') throw new JointDataError(`${file}:${k + 1}: the rep has no label (e.g. correct, too-fast, too-low)`);
    out.push({ startS, endS, label });
  }
  if (!header) throw new JointDataError(`${file}: empty; expected a header startS,endS,label and one line per template rep`);
  if (out.length === 0) throw new JointDataError(`${file}: the template has no reps (only a header); give one line per supervised rep: startS,endS,label`);
  return out;
}

/** A QualityInputError as an exit-1 line naming the file it is about. */
function qualityError(where: string, e: unknown): never {
  if (e instanceof QualityInputError) throw new JointDataError(`${where}: ${e.message}`);
  throw e;
}

async function loadTemplate(ctx: CommandContext, spec: SignalSpec, session: SourceSignal): Promise<{ template: RepTemplate; labelled: LabelledRep[]; path: string } | undefined> {
  const path = ctx.values.template as string | undefined;
  const repsPath = ctx.values['template-reps'] as string | undefined;
  if (path === undefined && repsPath === undefined) return undefined;
  if (path === undefined || repsPath === undefined) throw new UsageError('--template and --template-reps go together (the recording and its labelled reps)');
  const labelled = parseTemplateReps(await readFile(repsPath, 'utf8'), repsPath);
  const tSession = await readSession(path, readerOptions(ctx.common));
  const trecs = tSession.recordings;
  const names = (rs: readonly SessionRecording[]): string => rs.map((r) => r.sensorId).join(', ');
  let tspec = spec;
  if (spec.kind === 'joint') {
    for (const s of [spec.joint.proximal, spec.joint.distal]) {
      if (!trecs.some((r) => r.sensorId === s)) throw new JointDataError(`template ${path}: no sensor '${s}' (sensors: ${names(trecs)}): the template must be recorded with the session's sensors`);
    }
  } else {
    const sensor = session.sensor!;
    // One sensor on each side is the same sensor even when the files are named differently.
    const same = trecs.find((r) => r.sensorId === sensor) ?? (trecs.length === 1 && session.sessionSensorCount === 1 ? trecs[0] : undefined);
    if (!same) throw new JointDataError(`template ${path}: no sensor '${sensor}' (sensors: ${names(trecs)}): the template must be recorded with the session's sensor`);
    tspec = { kind: 'sensor', sensor: same.sensorId };
  }
  const t = await sourceSignal(path, tSession, tspec);
  const [t0, t1] = [t.signal.tS[0]!, t.signal.tS[t.signal.tS.length - 1]!];
  labelled.forEach((r, i) => {
    if (r.startS < t0 - 1e-9 || r.endS > t1 + 1e-9) throw new JointDataError(`${repsPath}: template rep ${i + 1} (${r.startS}–${r.endS} s) lies outside the template recording (${t0.toFixed(2)}–${t1.toFixed(2)} s)`);
  });
  // The same movement on both: the signal is named after the session's so the template fits it.
  const tSignal: MovementSignal = { ...t.signal, name: session.signal.name };
  try {
    return { template: buildTemplate(tSignal, labelled), labelled, path };
  } catch (e) {
    return qualityError(`template ${path}`, e);
  }
}

function exerciseOf(recs: readonly SessionRecording[]): string | undefined {
  for (const r of recs) {
    const e = r.info.extra?.['exercise'];
    if (e && e.trim()) return e.trim();
  }
  return undefined;
}

/**
 * Each set's exercise by the learned recogniser (kinemetry/ml, imported only here): the whole
 * sensor recording is classified once (so every window has its context), then each set takes
 * the non-idle class whose segments overlap it longest, with their overlap-weighted confidence.
 */
export async function recogniseSets(block: SampleBlock, sets: SessionSummary['sets'], modelDir: string): Promise<{ setExercises: SetExercise[]; exercise: string | null; confidence: number }> {
  const { ml, model } = await loadCliModel(modelDir);
  try {
    const c = ml.classifyRecording(model, block);
    const setExercises = sets.map((set) => {
      const overlap = new Map<string, { s: number; conf: number }>();
      for (const g of c.segments) {
        if (g.exercise === ml.IDLE) continue;
        const o = Math.min(set.endS, g.endS) - Math.max(set.startS, g.startS);
        if (!(o > 0)) continue;
        const v = overlap.get(g.exercise) ?? { s: 0, conf: 0 };
        overlap.set(g.exercise, { s: v.s + o, conf: v.conf + o * g.confidence });
      }
      let best: string | null = null, bestS = 0, conf = 0;
      for (const [k, v] of overlap) if (v.s > bestS) [best, bestS, conf] = [k, v.s, v.conf / v.s];
      return { set: set.set, exercise: best, confidence: Math.round(conf * 1000) / 1000 };
    });
    return { setExercises, exercise: c.exercise, confidence: c.confidence };
  } finally {
    model.net.dispose();
  }
}

export interface AnalyseOptions {
  /** Label each set with the learned recogniser when the recording names no exercise (analyze). */
  readonly labelSets?: { readonly modelDir: string };
}

/** Run the whole analysis for `reps`/`analyze` (one recording or session positional). */
export async function analyse(ctx: CommandContext, options: AnalyseOptions = {}): Promise<Analysis> {
  const { common, positionals } = ctx;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no recording given (a file, or a session directory)' : `one recording at a time, got ${positionals.length}`);
  const path = positionals[0]!;
  const spec = signalSpec(ctx.values, common);
  const plan = parsePlan(ctx.values);
  const session = await readSession(path, readerOptions(common));
  const src = await sourceSignal(path, session, spec);
  const tpl = await loadTemplate(ctx, spec, src);
  const { signal } = src;
  const { reps } = countRepsOffline(signal);
  let scored: ScoredRep[];
  try {
    scored = scoreReps(signal, reps, tpl ? { template: tpl.template } : {});
  } catch (e) {
    return qualityError(path, e);
  }
  if (src.multiAxis) {
    scored = scored.map((r) => ({ ...r, flags: [...r.flags, 'multi-axis'] }));
  }
  const summary = summariseSession(scored, plan ? { plan } : {});
  const notes = [...src.notes];
  if (reps.length === 0) notes.push(`no repetitions found in '${signal.name}' (no movement, or none that returns to rest)`);
  const n = signal.tS.length;
  const plot = decimateMinMax(signal.tS, signal.angleDeg, PLOT_POINTS);
  const exercise = exerciseOf(src.recordings);
  let setExercises: SetExercise[] | undefined;
  if (!exercise && options.labelSets) {
    if (!src.block) notes.push('exercise recognition needs one sensor (not a joint angle): sets not labelled');
    else if (summary.sets.length > 0) {
      const r = await recogniseSets(src.block, summary.sets, options.labelSets.modelDir);
      setExercises = r.setExercises;
      notes.push(`no exercise given: sets labelled by the recogniser (${options.labelSets.modelDir}); the recording as a whole: ${r.exercise ?? 'idle'}${r.exercise ? ` (confidence ${r.confidence.toFixed(2)})` : ''}`);
    }
  }
  const report: AnalysisReport = {
    title: `${exercise ? capitalise(exercise.split(/[,(]/)[0]!.trim()) : 'Exercise'} — ${basename(path)}`,
    generator: `kinemetry ${VERSION}`,
    recording: { source: path, sensors: src.sensors, startS: signal.tS[0] ?? 0, endS: signal.tS[n - 1] ?? 0 },
    ...(exercise ? { exercise } : {}),
    signal: { name: signal.name, tS: plot.tS, angleDeg: plot.angleDeg, sourceSamples: n },
    reps: scored,
    session: summary,
    ...(src.rom ? { rom: src.rom } : {}),
    ...(tpl ? { template: { source: tpl.path, reps: tpl.labelled } } : {}),
    ...(setExercises ? { setExercises } : {}),
    notes,
  };
  return { signal, reps, scored, session: summary, report };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
