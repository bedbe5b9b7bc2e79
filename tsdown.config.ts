import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/main.ts' },
  format: 'esm',
  platform: 'neutral',
  // Node built-ins are only reached from the node and cli entries; they stay imports.
  external: [/^node:/],
  target: 'es2022',
  dts: true,
  clean: true,
  sourcemap: true,
});
