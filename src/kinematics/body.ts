/**
 * Body model, part 1: the segments and their ISB anatomical frames (Wu et al., J Biomech 35,
 * 2002 — lower limb, pelvis, spine; Wu et al., J Biomech 38, 2005 — upper limb).
 *
 * Every segment frame is right-handed with **x anterior, y superior (along the segment, from its
 * distal towards its proximal end), z to the subject's right**, with the subject standing in the
 * anatomical position (palms forward). kinemetry uses these same right-handed axes on BOTH sides
 * (left and right frames are parallel in neutral, as in `src/sim`); the left-side mirroring that
 * ISB asks for is applied to the joint angles instead (see `joints.ts`).
 *
 * A segment's orientation q_{G,seg} maps segment coordinates to global (ENU) coordinates; from a
 * sensor's q_{G,S} and its mount q_{seg,S} (sensor axes in the segment frame):
 * q_{G,seg} = q_{G,S} ⊗ q_{seg,S}*.
 */

export type SegmentName = 'pelvis' | 'thorax' | 'head' | 'upperArm' | 'forearm' | 'hand' | 'thigh' | 'shank' | 'foot';

export interface SegmentDef {
  readonly name: SegmentName;
  /** Whether the segment exists once per side (limbs) or once (midline). */
  readonly lateral: boolean;
  /** Anatomical landmarks ISB uses for the y (long) axis, informative. */
  readonly longAxis: string;
}

export const SEGMENTS: Readonly<Record<SegmentName, SegmentDef>> = {
  pelvis: { name: 'pelvis', lateral: false, longAxis: 'perpendicular to the ASIS–PSIS plane, superior' },
  thorax: { name: 'thorax', lateral: false, longAxis: 'midpoint T8/xiphoid → midpoint C7/incisura jugularis' },
  head: { name: 'head', lateral: false, longAxis: 'upward through the vertex, head upright' },
  upperArm: { name: 'upperArm', lateral: true, longAxis: 'elbow epicondyles midpoint → glenohumeral centre' },
  forearm: { name: 'forearm', lateral: true, longAxis: 'ulnar styloid → elbow epicondyles midpoint' },
  hand: { name: 'hand', lateral: true, longAxis: '3rd metacarpal head → wrist centre' },
  thigh: { name: 'thigh', lateral: true, longAxis: 'femoral condyles midpoint → hip centre' },
  shank: { name: 'shank', lateral: true, longAxis: 'malleoli midpoint → tibial plateau centre' },
  foot: { name: 'foot', lateral: true, longAxis: 'parallel to the shank y axis in neutral (ISB calcaneus frame)' },
};

export const SEGMENT_NAMES = Object.keys(SEGMENTS) as readonly SegmentName[];

export type Side = 'left' | 'right';
