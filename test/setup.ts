/**
 * Property tests run with a fixed seed so that `npm test` gives the same verdict on every
 * machine and every run (CI must not flake). To explore new inputs, run
 * `FC_SEED=random npm test` (or a number); a failure prints its seed and path to replay.
 */
import fc from 'fast-check';

const env = process.env.FC_SEED;
if (env !== 'random') fc.configureGlobal({ seed: env === undefined ? 20261123 : Number(env) });
