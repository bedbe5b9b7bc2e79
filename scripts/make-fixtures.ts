/**
 * Regenerates the simulated sessions in fixtures/ (`npm run fixtures`). Deterministic: the
 * same code and seeds give byte-identical files, which test/fixtures.test.ts checks.
 *
 * Each session directory holds one canonical CSV per sensor (what a reader sees) and a
 * `truth/` folder (what really happened): true joint angles, true sensor orientations, the
 * reps, and the scenario parameters. Values are printed at a fixed resolution well below
 * each channel's simulated quantisation step (see DIGITS) so the files stay small.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixtureSessions, fixtureFiles } from './fixture-sessions';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

for (const session of buildFixtureSessions()) {
  const dir = join(root, session.name);
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(fixtureFiles(session))) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  process.stdout.write(`fixtures/${session.name}: ${session.description}\n`);
}
