#!/usr/bin/env node
// Thin launcher: the CLI lives in src/cli and is built to dist/cli.js (`npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(built))) {
  process.stderr.write('kinemetry: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const { main, exitQuietlyOnClosedStdout } = await import(built.href);
exitQuietlyOnClosedStdout();
process.exitCode = await main(process.argv.slice(2));
