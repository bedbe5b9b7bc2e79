/**
 * `kinemetry info <recording…>`: what is in a recording or session, and whether it is fit to
 * use — per sensor: metadata, samples, rates, time span, channels and units, gaps, saturation
 * and data problems, with file lines. Streams every file once through the validator
 * (bounded memory, any length).
 */
import { readSessions } from '../io/node/session';
import type { ReadSessionOptions } from '../io/node/session';
import { BlockValidator } from '../samples/validate';
import type { ValidationOptions } from '../samples/validate';
import { UnknownUnitError, parseUnit } from '../samples/units';
import type { Quantity } from '../samples/units';
import { UsageError, readerOptions } from './command';
import type { Command, CommandContext } from './command';
import { EXIT_OK } from './errors';
import { formatInfoText, summarise } from './infoReport';
import { createProgress } from './progress';
import type { InfoJson, InfoSensor } from './infoReport';
import { writeOutput } from './output';
import { VERSION } from './version';

/** `16g`, `2000 deg/s`, `4900uT`; a bare number is in the internal unit. */
export function parseRange(option: string, text: string, quantity: Quantity): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+))?\s*(.*)$/.exec(text);
  if (!m) throw new UsageError(`--${option} must be a positive number with a unit, e.g. 16g, got '${text}'`);
  const value = Number(m[1]! + (m[2] !== undefined ? `e${m[2]}` : ''));
  let factor = 1;
  if (m[3] !== '') {
    try {
      factor = parseUnit(m[3]!, quantity).toInternal;
    } catch (e) {
      if (e instanceof UnknownUnitError) throw new UsageError(`--${option}: ${e.message}`);
      throw e;
    }
  }
  const v = value * factor;
  if (!(v > 0) || !Number.isFinite(v)) throw new UsageError(`--${option} must be positive, got '${text}'`);
  return v;
}

function positiveNumber(option: string, text: string | undefined, fallback: number, integer = false): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${option} must be a positive ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return v;
}

async function run(ctx: CommandContext): Promise<number> {
  const { common, values, positionals } = ctx;
  if (positionals.length === 0) throw new UsageError('no recording given (a file, or a session directory)');
  const base: ValidationOptions = { gapFactor: positiveNumber('gap-factor', values['gap-factor'] as string | undefined, 1.5) };
  const ranges: ValidationOptions = {};
  if (values['acc-range'] !== undefined) ranges.accRangeMS2 = parseRange('acc-range', values['acc-range'] as string, 'acceleration');
  if (values['gyr-range'] !== undefined) ranges.gyrRangeRadS = parseRange('gyr-range', values['gyr-range'] as string, 'angular-rate');
  if (values['mag-range'] !== undefined) ranges.magRangeUT = parseRange('mag-range', values['mag-range'] as string, 'magnetic-field');
  const maxItems = positiveNumber('max-items', values['max-items'] as string | undefined, 5, true);

  // All paths as one session, so that files reached twice (a MetaMotion board's streams named
  // one by one) are read once; the same sensor name in different files is listed twice.
  let onBytes = (_n: number): void => {};
  const session = await readSessions(positionals, {
    duplicateSensors: 'keep',
    onBytes: (n) => onBytes(n),
    ...readerOptions(common),
  } satisfies ReadSessionOptions);
  const seen = session.recordings.map((r) => r.sensorId);
  const recordings = session.recordings.filter((rec) => common.sensor === undefined || rec.sensorId === common.sensor);
  if (recordings.length === 0) {
    throw new UsageError(`no sensor '${common.sensor}' in ${positionals.join(', ')} (sensors: ${[...new Set(seen)].join(', ')})`);
  }
  // Each recording is streamed once (a file holding several sensors, once per sensor).
  let totalBytes = 0;
  for (const rec of recordings) for (const p of rec.file.paths) totalBytes += session.fileBytes.get(p) ?? 0;
  const progress = createProgress(ctx.io, totalBytes, 'reading');
  onBytes = (n) => progress.add(n);

  const sensors: InfoSensor[] = [];
  try {
    for (const rec of recordings) await summariseOne(rec);
  } finally {
    progress.done();
  }
  async function summariseOne(rec: (typeof recordings)[number]): Promise<void> {
    const validator = new BlockValidator({ ...base, ...ranges, maxProblems: Math.max(100, maxItems) });
    for await (const block of rec.blocks()) validator.push(block);
    sensors.push(
      summarise({
        file: rec.file.path,
        format: rec.file.format?.name ?? 'unknown',
        info: rec.info,
        channels: rec.channels,
        report: validator.report(),
        saturationChecked: {
          acc: ranges.accRangeMS2 !== undefined,
          gyr: ranges.gyrRangeRadS !== undefined,
          mag: ranges.magRangeUT !== undefined && rec.channels.some((c) => c.channel === 'mag'),
        },
        lineOfSample: (i) => rec.file.lineOfSample(i),
        maxItems,
      }),
    );
  }

  const text = common.json
    ? `${JSON.stringify({ kinemetry: VERSION, sensors } satisfies InfoJson, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`
    : formatInfoText(sensors);
  await writeOutput(common.out, ctx.io, text);
  return EXIT_OK;
}

export const infoCommand: Command = {
  name: 'info',
  summary: 'what is in a recording or session, and is it fit to use (rates, gaps, problems)',
  usage: 'info [options] <recording…>',
  description: `
Summarise recordings: a file, several files, or a session directory (one file per sensor).
For each sensor: metadata, samples, nominal and measured rate, time span, channels and their
units, gaps (with the dropped-sample estimate), saturation, and data problems (NaN, time
going backwards or repeating, …) with the file line of each. Values are read exactly as
stored (nothing is sorted, dropped or filled in), which is why time going backwards is a
problem reported here rather than an error; MetaMotion streams are the exception, as merging
them needs increasing timestamps. Every file is streamed once, so any length works. Exit 0
when the files could be read, even if problems were found (see the verdict line, or "ok" in
--json); 1 when a file cannot be parsed (one line: file:line: what is wrong; a .mat file
names a byte offset instead of a line).`,
  options: {
    'acc-range': { type: 'string' },
    'gyr-range': { type: 'string' },
    'mag-range': { type: 'string' },
    'gap-factor': { type: 'string' },
    'max-items': { type: 'string' },
  },
  optionsHelp: [
    ['--acc-range VALUE', 'accelerometer full scale, e.g. 16g, to count saturated samples'],
    ['--gyr-range VALUE', 'gyroscope full scale, e.g. 2000deg/s'],
    ['--mag-range VALUE', 'magnetometer full scale, e.g. 4900uT'],
    ['--gap-factor X', 'an interval longer than X periods is a gap (default 1.5)'],
    ['--max-items N', 'gaps and problems listed one by one per sensor (default 5)'],
  ],
  run,
};
