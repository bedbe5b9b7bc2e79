import { defineConfig } from 'tsdown';

export default defineConfig({
  // ml (tfjs) has its own entries so the core bundle never pulls tfjs in.
  entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts', ml: 'src/ml/index.ts', 'ml-node': 'src/ml/node.ts' },
  format: 'esm',
  platform: 'neutral',
  // Node built-ins are only reached from the node and cli entries; they stay imports.
  external: [/^node:/],
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
});
