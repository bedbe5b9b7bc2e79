/**
 * An accelerometer-only block (Polar H10) at the fusion boundary: every entry point refuses
 * it with the typed error that names the sensor kind, and the rxjs operator passes it on
 * (other sensors in the stream are still fused) while saying so once per sensor.
 */
import { describe, expect, it } from 'vitest';
import { from, lastValueFrom, toArray } from 'rxjs';
import { Vqf } from '../../src/fusion/vqf';
import { MadgwickFilter } from '../../src/fusion/madgwick';
import { estimateOrientationOffline } from '../../src/fusion/offline';
import { fuseOrientation } from '../../src/pipeline/fuseOrientation';
import { blockFromArrays } from '../../src/samples/construct';
import { ACC_ONLY_HINT, MissingChannelError, type InertialBlock, type SampleBlock } from '../../src/samples/block';

const tS = [0, 0.005, 0.01];
const chest = blockFromArrays({ sensorId: 'chest', rateHz: 200 }, { tS, accMS2: tS.map(() => [0, 0, 9.81]) });
const thigh = blockFromArrays({ sensorId: 'thigh', rateHz: 200 }, { tS, accMS2: tS.map(() => [0, 0, 9.81]), gyrRadS: tS.map(() => [0, 0, 0]) });

function refusal(fn: () => unknown): MissingChannelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MissingChannelError);
    return e as MissingChannelError;
  }
  throw new Error('expected a MissingChannelError');
}

describe('fusion refuses accelerometer-only blocks with the H10 hint', () => {
  it.each([
    ['Vqf.updateBlock', () => new Vqf().updateBlock(chest as unknown as InertialBlock, new Float64Array(12))],
    ['madgwick.updateBlock', () => new MadgwickFilter().updateBlock(chest as unknown as InertialBlock, new Float64Array(12))],
    ['estimateOrientationOffline', () => estimateOrientationOffline(chest as unknown as InertialBlock)],
  ])('%s', (stage, fn) => {
    const e = refusal(fn);
    expect(e.channel).toBe('gyr');
    expect(e.sensorId).toBe('chest');
    expect(e.hint).toBe(ACC_ONLY_HINT);
    expect(e.message).toContain(stage);
    expect(e.message).toContain('Polar H10');
  });

  it('fuseOrientation: passes the chest blocks on unfused, fuses the thigh, reports the chest once', async () => {
    const heard: [string, MissingChannelError][] = [];
    const out = await lastValueFrom(
      from<SampleBlock[]>([chest, thigh, chest, thigh]).pipe(fuseOrientation({ onUnfused: (id, e) => heard.push([id, e]) }), toArray()),
    );
    expect(out.map((b) => [b.info.sensorId, b.quat !== undefined])).toEqual([['chest', false], ['thigh', true], ['chest', false], ['thigh', true]]);
    expect(out[0]).toBe(chest);
    expect(heard.map(([id, e]) => [id, e.channel, e.hint])).toEqual([['chest', 'gyr', ACC_ONLY_HINT]]);
  });
});
