/**
 * Live sensor → pipeline → live angle and rep events, in Node. The "sensor" is a FakeTransport
 * replaying a bundled Movesense capture (examples/captures/movesense-knee.txt: a shank sensor,
 * 5 knee flexions, the link lost for 1.2 s after rep 1), so this runs anywhere:
 *
 *   node --import tsx examples/live-node.ts
 *
 * With a real Movesense in Node, replace the transport by `nodeTransport()` from
 * 'kinemetry/node' (and drop `nowS`); in a browser by `browserTransport(navigator.bluetooth)`.
 * In an app, import from 'kinemetry' (and 'kinemetry/ble', '/formats', '/quality') instead of '../src/index' (and '../src/ble', …).
 */
import { readFileSync } from 'node:fs';
import { Subject, lastValueFrom, takeUntil, tap } from 'rxjs';
import { dominantRotation, fuseOrientation, record, segmentReps } from '../src/index';
import { FakeTransport, MovesenseDriver, fromSensor, parseBleCapture } from '../src/ble';
import { MemoryCsvSink } from '../src/formats';
import { scoreRepsLive } from '../src/quality';
import type { SensorEvent } from '../src/index';

export interface LiveNodeSummary {
  samples: number;
  reps: number;
  reconnects: number;
  gaps: number;
  recordedRows: number;
}

export async function liveNode(print: (line: string) => void = console.log): Promise<LiveNodeSummary> {
  const capture = parseBleCapture(readFileSync(new URL('./captures/movesense-knee.txt', import.meta.url), 'utf8'), 'movesense-knee.txt');
  const fake = new FakeTransport(capture);
  const driver = new MovesenseDriver({ sensorId: 'shank', placement: 'shank', resources: ['IMU6'], rateHz: 52 });
  const summary: LiveNodeSummary = { samples: 0, reps: 0, reconnects: 0, gaps: 0, recordedRows: 0 };
  const sink = new MemoryCsvSink(); // recording while streaming (IndexedDB-ready pieces)

  const onEvent = (e: Exclude<SensorEvent, { type: 'block' }>): void => {
    if (e.type === 'connected') {
      if (e.attempt > 0) summary.reconnects++;
      print(`${e.tS.toFixed(2).padStart(6)} s  connected${e.attempt > 0 ? ` again (attempt ${e.attempt})` : ''}`);
    } else if (e.type === 'disconnected') print(`${e.tS.toFixed(2).padStart(6)} s  link lost after ${e.samplesSoFar} samples`);
    else if (e.type === 'reconnecting') print(`          reconnecting in ${e.delayS} s (attempt ${e.attempt})`);
    else if (e.type === 'gap') {
      summary.gaps++;
      print(`${e.beforeS.toFixed(2).padStart(6)} s  gap of ${e.gapS.toFixed(2)} s in '${e.sensorId}' (marked on the next block)`);
    } else if (e.type === 'problem') print(`          problem: ${e.problem.kind}`);
  };

  const stopper = new Subject<void>();
  const blocks = fromSensor(fake, driver, { nowS: () => fake.nowS(), reconnect: { initialDelayS: 0.05, maxDelayS: 1, maxAttempts: 5 }, onEvent }).pipe(
    takeUntil(stopper), // unsubscribes the sensor (stop commands, disconnect) and completes the chain
    record(sink),
    tap((b) => (summary.samples += b.tS.length)),
  );
  let nextAngleS = 0;
  const done = lastValueFrom(
    blocks.pipe(
      fuseOrientation(),
      dominantRotation({ sensorId: 'shank' }),
      segmentReps(),
      scoreRepsLive(),
      tap((e) => {
        if (e.type === 'angles') {
          // A live angle readout, twice a second.
          for (let i = 0; i < e.chunk.tS.length; i++) {
            const t = e.chunk.tS[i]!;
            if (t >= nextAngleS && Number.isFinite(e.chunk.angleDeg[i]!)) {
              print(`${t.toFixed(2).padStart(6)} s  angle ${e.chunk.angleDeg[i]!.toFixed(0).padStart(4)}°`);
              nextAngleS = t + 0.5;
            }
          }
        } else if (e.type === 'rep' && !e.rep.partial) {
          summary.reps++;
          print(`${e.rep.endS.toFixed(2).padStart(6)} s  REP ${summary.reps}: ROM ${e.rep.romDeg.toFixed(0)}°, ${(e.rep.endS - e.rep.startS).toFixed(1)} s`);
        } else if (e.type === 'scored') {
          print(`          score ${e.scored.score.toFixed(0)}${e.scored.flags.length ? ` (${e.scored.flags.join(', ')})` : ''}`);
        }
      }),
    ),
    { defaultValue: undefined },
  );
  // The fake has replayed everything: stop the stream (stop commands, disconnect), which completes the chain.
  await fake.whenDone();
  await new Promise((r) => setTimeout(r, 10));
  stopper.next();
  await done;
  summary.recordedRows = sink.text('shank').split('\n').filter((l) => /^[0-9]/.test(l)).length;
  print(`done: ${summary.samples} samples, ${summary.reps} reps, ${summary.reconnects} reconnect(s), ${summary.gaps} gap(s) marked, ${summary.recordedRows} rows recorded`);
  return summary;
}

if (import.meta.url === `file://${process.argv[1]}`) void liveNode();
