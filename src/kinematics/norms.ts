/**
 * Normal active range of motion (degrees) and percent of normal.
 *
 * Source: American Academy of Orthopaedic Surgeons, "Joint Motion: Method of Measuring and
 * Recording", AAOS, Chicago 1965 (reprinted in Greene & Heckman, "The Clinical Measurement of
 * Joint Motion", AAOS 1994). The upper-limb values were checked against the AAOS column of
 * Norkin & White, "Measurement of Joint Motion: A Guide to Goniometry", Table A.1 (shoulder
 * flexion 180, extension 60, abduction 180, medial rotation 70, lateral rotation 90; elbow
 * flexion 150; pronation 80, supination 80; wrist flexion 80, extension 70, radial deviation 20,
 * ulnar deviation 30). Lower-limb and cervical values are the AAOS figures as listed in the
 * project's methods notes (hip flexion 120, extension 30, abduction 45, rotations 45; knee
 * flexion 135; ankle dorsiflexion 20, plantarflexion 50; cervical flexion 45, extension 45,
 * lateral flexion 45, rotation 60), not re-checked against a scanned primary table here.
 * Norms vary with age and sex (Boone & Azen 1979; Soucie et al. 2011): percent of an AAOS
 * norm is a screening figure, not a diagnosis.
 */
import { AngleInputError, UnknownBodyPartError } from './angleErrors';

export const AAOS_NORMAL_ROM_DEG = {
  'shoulder-flexion': 180,
  'shoulder-extension': 60,
  'shoulder-abduction': 180,
  'shoulder-internal-rotation': 70,
  'shoulder-external-rotation': 90,
  'elbow-flexion': 150,
  'forearm-pronation': 80,
  'forearm-supination': 80,
  'wrist-flexion': 80,
  'wrist-extension': 70,
  'wrist-radial-deviation': 20,
  'wrist-ulnar-deviation': 30,
  'hip-flexion': 120,
  'hip-extension': 30,
  'hip-abduction': 45,
  'hip-internal-rotation': 45,
  'hip-external-rotation': 45,
  'knee-flexion': 135,
  'ankle-dorsiflexion': 20,
  'ankle-plantarflexion': 50,
  'cervical-flexion': 45,
  'cervical-extension': 45,
  'cervical-lateral-flexion': 45,
  'cervical-rotation': 60,
} as const;

export type RomMotion = keyof typeof AAOS_NORMAL_ROM_DEG;

export const ROM_MOTIONS = Object.keys(AAOS_NORMAL_ROM_DEG) as readonly RomMotion[];

/** AAOS normal value (deg) of a motion; throws {@link UnknownBodyPartError} for an unknown one. */
export function normalRomDeg(motion: string): number {
  if (!Object.hasOwn(AAOS_NORMAL_ROM_DEG, motion)) throw new UnknownBodyPartError('motion', motion, ROM_MOTIONS);
  return AAOS_NORMAL_ROM_DEG[motion as RomMotion];
}

/** 100 · measured / normal. `measuredDeg` must be finite (an excursion ≥ 0 from neutral). */
export function percentOfNormal(motion: string, measuredDeg: number): number {
  if (!Number.isFinite(measuredDeg)) throw new AngleInputError(`measuredDeg must be finite, got ${measuredDeg}`);
  return (100 * measuredDeg) / normalRomDeg(motion);
}
