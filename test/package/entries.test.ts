// The public entries agree with each other and with the build: package.json "exports", the
// tsdown entries and the source files name the same set; every runtime name has exactly one
// browser-safe home; nothing a stage barrel exports is left without a public entry.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import config from '../../tsdown.config';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, { types: string; import: string }>;
  files: string[];
};

// Browser-safe entries whose names are merged flat (bench/lib.ts, kinemetry/node): one home each.
const FLAT = {
  '.': () => import('../../src/index'),
  './ble': () => import('../../src/ble'),
  './formats': () => import('../../src/formats'),
  './quality': () => import('../../src/quality'),
  './calibration': () => import('../../src/calibration'),
  './offline': () => import('../../src/offline'),
} as const;
const NAMESPACED = {
  './sim': () => import('../../src/sim/index'),
  './report': () => import('../../src/report/index'),
} as const;

describe('package entries', () => {
  it('package.json exports, tsdown entries and dist file names match one to one', () => {
    const entry = (config as { entry: Record<string, string> }).entry;
    const fromExports = Object.entries(pkg.exports).map(([sub, e]) => {
      const name = e.import.match(/^\.\/dist\/(.+)\.js$/)?.[1];
      expect(name, `exports["${sub}"].import`).toBeDefined();
      expect(e.types, `exports["${sub}"].types`).toBe(`./dist/${name}.d.ts`);
      expect(entry[name!], `tsdown entry for ${sub}`).toBeDefined();
      return name!;
    });
    // cli is built for bin/kinemetry.js, not exported.
    expect(new Set([...fromExports, 'cli'])).toEqual(new Set(Object.keys(entry)));
    expect(pkg.files).toContain('dist');
  });

  it('each runtime name is exported by exactly one of the flat browser entries', async () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [sub, load] of Object.entries(FLAT)) {
      for (const name of Object.keys(await load())) {
        const other = seen.get(name);
        if (other !== undefined) clashes.push(`${name}: ${other} and ${sub}`);
        seen.set(name, sub);
      }
    }
    expect(clashes).toEqual([]);
    expect(seen.size).toBeGreaterThan(300); // 385 runtime names when written
  });

  it('every runtime export of the stage barrels is reachable from a public entry', async () => {
    const reachable = new Set<unknown>();
    for (const load of [...Object.values(FLAT), ...Object.values(NAMESPACED)]) {
      for (const v of Object.values(await load())) reachable.add(v);
    }
    const barrels = {
      'fusion/index': await import('../../src/fusion/index'),
      'kinematics/index': await import('../../src/kinematics/index'),
      'reps/index': await import('../../src/reps/index'),
      'quality/index': await import('../../src/quality/index'),
      'pipeline/index': await import('../../src/pipeline/index'),
      'io/ble/index': await import('../../src/io/ble/index'),
    };
    const lost: string[] = [];
    for (const [barrel, mod] of Object.entries(barrels)) {
      for (const [name, value] of Object.entries(mod)) if (!reachable.has(value)) lost.push(`src/${barrel}: ${name}`);
    }
    expect(lost).toEqual([]);
  });

  it('kinemetry/node re-exports the core and the flat sub-paths, and sim/report as namespaces', async () => {
    const node = (await import('../../src/node')) as Record<string, unknown>;
    for (const [sub, load] of Object.entries(FLAT)) {
      const missing = Object.entries(await load()).filter(([name, v]) => node[name] !== v).map(([name]) => name);
      expect(missing, `names of ${sub} missing from kinemetry/node`).toEqual([]);
    }
    expect((node.sim as Record<string, unknown>).simulate).toBe((await NAMESPACED['./sim']()).simulate);
    expect((node.report as Record<string, unknown>).renderReportHtml).toBe((await NAMESPACED['./report']()).renderReportHtml);
  });
});
