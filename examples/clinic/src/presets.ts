/**
 * Motion presets of the clinic page: which segment carries the sensor, how to place it and
 * position the patient, the calibration the measurement needs and the AAOS norm (norms.ts).
 * Single-sensor presets are inclinometer measurements in a vertical plane; the two-sensor knee
 * measures the joint angle between thigh and shank (knee2.ts).
 */
import { normalRomDeg } from '../../../src/index';
import type { InclinometerMotion, RomMotion } from '../../../src/index';

export interface MotionPreset {
  readonly id: string;
  readonly label: string;
  /** AAOS norm key (src/kinematics/norms.ts). */
  readonly normMotion: RomMotion;
  /** Plane and sign of the inclinometer measurement (src/kinematics/inclinometer.ts). */
  readonly inclinometer: InclinometerMotion;
  readonly segment: string;
  readonly placement: string;
  readonly positioning: string;
  readonly calibration: string;
  /** Bilateral motions are measured left and right. */
  readonly sided: boolean;
  /** Sensors used: 1 (inclinometer on `segment`) or 2 (proximal + distal, joint angle; KneeMeter). Default 1. */
  readonly sensors?: 1 | 2;
}

const STILL = 'Static zero: hold the neutral pose still for 1 s at the start (the page waits for it).';

export const PRESETS: readonly MotionPreset[] = [
  {
    id: 'shoulder-flexion', label: 'Shoulder flexion', normMotion: 'shoulder-flexion', inclinometer: 'shoulder-flexion', segment: 'upper arm',
    placement: 'Sensor on the lateral upper arm, midway between shoulder and elbow, strap snug, sensor face pointing outwards.',
    positioning: 'Standing or sitting upright, arm hanging at the side, palm facing the body; raise the arm forwards in the sagittal plane, elbow straight.',
    calibration: STILL, sided: true,
  },
  {
    id: 'shoulder-abduction', label: 'Shoulder abduction', normMotion: 'shoulder-abduction', inclinometer: 'shoulder-abduction', segment: 'upper arm',
    placement: 'Sensor on the lateral upper arm, midway between shoulder and elbow, sensor face pointing outwards.',
    positioning: 'Standing upright, arm hanging at the side, palm forwards; raise the arm sideways in the frontal plane, no trunk lean.',
    calibration: STILL, sided: true,
  },
  {
    id: 'elbow-flexion', label: 'Elbow flexion', normMotion: 'elbow-flexion', inclinometer: 'shoulder-flexion', segment: 'forearm',
    placement: 'Sensor on the dorsal forearm just below the elbow, face pointing outwards.',
    positioning: 'Standing or sitting, upper arm vertical against the trunk (keep it still), forearm hanging, palm forwards; bend the elbow fully.',
    calibration: STILL, sided: true,
  },
  {
    id: 'hip-flexion', label: 'Hip flexion', normMotion: 'hip-flexion', inclinometer: 'hip-flexion', segment: 'thigh',
    placement: 'Sensor on the lateral thigh, midway between hip and knee.',
    positioning: 'Standing, holding a support, pelvis level; lift the knee forwards (knee bent), no pelvic tilt.',
    calibration: STILL, sided: true,
  },
  {
    id: 'knee-flexion', label: 'Knee flexion', normMotion: 'knee-flexion', inclinometer: 'knee-flexion', segment: 'shank',
    placement: 'Sensor on the lateral shank, a hand width below the knee.',
    positioning: 'Standing, holding a support, thigh vertical (keep it still); bend the knee, heel towards the buttock.',
    calibration: STILL, sided: true,
  },
  {
    id: 'knee-flexion-2s', label: 'Knee flexion, two sensors', normMotion: 'knee-flexion', inclinometer: 'knee-flexion', segment: 'thigh + shank', sensors: 2,
    placement: 'Thigh sensor (connected first) on the lateral thigh, midway between hip and knee; shank sensor (connected second) on the lateral shank, a hand width below the knee. Orientation on the skin does not matter.',
    positioning: 'Standing, holding a support; bend the knee, heel towards the buttock. The thigh may move: the angle is between the two segments.',
    calibration: 'Functional: stand straight and still for 1 s (neutral pose), then bend the knee fully and straighten it: the knee axis is found from that movement. The first bend already counts as a trial.',
    sided: true,
  },
  {
    id: 'cervical-flexion', label: 'Cervical flexion', normMotion: 'cervical-flexion', inclinometer: 'cervical-flexion', segment: 'head',
    placement: 'Sensor on the side of the head above the ear (headband).',
    positioning: 'Sitting upright, back supported, looking straight ahead; bring the chin to the chest, no trunk flexion.',
    calibration: STILL, sided: false,
  },
];

export function presetById(id: string): MotionPreset {
  const p = PRESETS.find((x) => x.id === id);
  if (!p) throw new Error(`unknown preset '${id}'`);
  return p;
}

export function normOf(p: MotionPreset): number {
  return normalRomDeg(p.normMotion);
}

/**
 * Minimal detectable change used for the history flag, deg: the minimum significant difference
 * of an inclinometer, 6° (Hancock et al. 2018, via /work/shared/reference/methods.md; long-arm
 * goniometer 10°). A change between two sessions larger than this is flagged.
 */
export const MDC_DEG = 6;
export const MDC_SOURCE = 'Hancock et al. 2018: minimum significant difference of an inclinometer, 6°';
