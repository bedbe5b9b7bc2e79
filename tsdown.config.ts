import { defineConfig } from 'tsdown';

// One entry per package.json "exports" sub-path. The root (`index`) is the live core; the
// occasional or heavy parts are their own entries so `import * from 'kinemetry'` stays small
// (`npm run size`), and ml (tfjs) is separate so the core never pulls tfjs in. Code shared by
// several entries goes to shared chunks, so a class is the same object whichever entry it is
// reached from.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    ble: 'src/ble.ts',
    formats: 'src/formats.ts',
    quality: 'src/quality.ts',
    calibration: 'src/calibration.ts',
    offline: 'src/offline.ts',
    sim: 'src/sim/index.ts',
    report: 'src/report/index.ts',
    node: 'src/node.ts',
    cli: 'src/cli/main.ts',
    ml: 'src/ml/index.ts',
    'ml-node': 'src/ml/node.ts',
  },
  format: 'esm',
  platform: 'neutral',
  // Node built-ins are only reached from the node and cli entries; they stay imports.
  external: [/^node:/],
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
});
