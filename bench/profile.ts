/** `node --cpu-prof --cpu-prof-dir=.tmp/prof --import tsx bench/profile.ts`: the 2-sensor core pipeline in a loop, for a CPU profile. */
import { CorePipeline } from './corePipeline';
import { kneeSession, RATE_HZ } from './sessions';

const s = kneeSession(2, 120);
const joints = [{ joint: 'knee' as const, proximal: 0, distal: 1, qSegProximal: s.mounts[0]!, qSegDistal: s.mounts[1]! }];
const t0 = Date.now();
let runs = 0;
while (Date.now() - t0 < Number(process.argv[2] ?? 8000)) {
  const p = new CorePipeline(2, RATE_HZ, joints, { maxBlock: 64 });
  for (let b = 0; b < s.sensors[0]!.length; b++) p.push([s.sensors[0]![b]!, s.sensors[1]![b]!]);
  p.finish();
  runs++;
}
console.log(`${runs} runs`);
