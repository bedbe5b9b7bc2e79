/**
 * The live pipeline called directly on the core stages, no rxjs: per sensor a `Vqf`
 * (`updateBlock`), per joint a `JointAngleStage` over the two sensors' quaternions at the same
 * sample index, and a `RepSegmenter` on the joint's first angle. The inputs are simulated
 * sensors on one clock (as after `alignBlocks`), so pairing by index is exact; the rxjs
 * `jointAngles` operator instead pairs streams by time (SLERP), which is part of what its
 * overhead figure measures. Shared by the throughput, rxjs-overhead and latency benches.
 */
import type * as Kinemetry from '../src/index';
import type { InertialBlock, Rep, SampleBlock } from '../src/index';
import lib from './lib';

const DEG = 180 / Math.PI;

export interface CoreJoint {
  readonly joint: Kinemetry.JointName;
  /** Indices into the sensor list. */
  readonly proximal: number;
  readonly distal: number;
  readonly qSegProximal: ArrayLike<number>;
  readonly qSegDistal: ArrayLike<number>;
}

export interface CorePipelineOptions {
  /** Fusion parameters (VQF defaults: 9D when the blocks carry a magnetometer). */
  vqf?: Partial<Kinemetry.VqfParams>;
  uncertainty?: 'bound' | 'sigma';
  /** Largest block the pipeline will see (samples): scratch is sized once. */
  maxBlock: number;
}

export class CorePipeline {
  private readonly filters: Kinemetry.Vqf[];
  private readonly stages: Kinemetry.JointAngleStage[];
  private readonly segmenters: Kinemetry.RepSegmenter[];
  private readonly quats: Float64Array[];
  private readonly qp = new Float64Array(4);
  private readonly qd = new Float64Array(4);
  private readonly out = new Float64Array(3);
  /** Joint angles (deg, DoF 0) of the last block, per joint. */
  readonly angleDeg: Float64Array[];
  reps = 0;
  /** Called for every rep as it is emitted (latency measurement). */
  onRep: ((rep: Rep, joint: number) => void) | undefined;

  constructor(sensorCount: number, rateHz: number, private readonly joints: readonly CoreJoint[], options: CorePipelineOptions) {
    this.filters = Array.from({ length: sensorCount }, () => new lib.Vqf(options.vqf ?? {}, { rateHz }));
    this.stages = joints.map(
      (j) => new lib.JointAngleStage({ joint: j.joint, proximal: { qSegSensor: j.qSegProximal }, distal: { qSegSensor: j.qSegDistal }, uncertainty: options.uncertainty ?? 'bound' }),
    );
    this.segmenters = joints.map(() => new lib.RepSegmenter());
    this.quats = Array.from({ length: sensorCount }, () => new Float64Array(4 * options.maxBlock));
    this.angleDeg = joints.map(() => new Float64Array(options.maxBlock));
  }

  /** One block per sensor, same sample times (one BLE notification each). */
  push(blocks: readonly SampleBlock[]): void {
    const n = blocks[0]!.tS.length;
    for (let s = 0; s < this.filters.length; s++) this.filters[s]!.updateBlock(blocks[s] as InertialBlock, this.quats[s]!);
    const tS = blocks[0]!.tS;
    for (let j = 0; j < this.joints.length; j++) {
      const joint = this.joints[j]!;
      const qP = this.quats[joint.proximal]!, qD = this.quats[joint.distal]!;
      const stage = this.stages[j]!, seg = this.segmenters[j]!, angles = this.angleDeg[j]!;
      for (let i = 0; i < n; i++) {
        lib.quat.readAt(this.qp, qP, i);
        lib.quat.readAt(this.qd, qD, i);
        stage.update(this.qp, this.qd, this.out);
        const a = this.out[0]! * DEG;
        angles[i] = a;
        const rep = seg.push(tS[i]!, a);
        if (rep) {
          this.reps++;
          this.onRep?.(rep, j);
        }
      }
    }
  }

  finish(): void {
    for (let j = 0; j < this.segmenters.length; j++) {
      const rep = this.segmenters[j]!.finish();
      if (rep) {
        this.reps++;
        this.onRep?.(rep, j);
      }
    }
  }
}
