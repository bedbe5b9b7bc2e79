#!/usr/bin/env node
// Architecture lint: keeps the package's boundaries true as the code grows.
//  1. Everything reachable from a browser-safe entry (src/index.ts, the root export, and the
//     sub-path entries in BROWSER_ENTRIES) must not import Node built-ins (`node:*`, `fs`,
//     `path`, …) nor touch Node globals (`process`, `Buffer`, `__dirname`, `require`), which
//     throw in a browser.
//  1b. The root entry is the small live core: its closure must not reach the parts that have
//     their own sub-path (recording formats, BLE, simulator, report, ml); see `npm run size`.
//  2. Only src/pipeline/ may import rxjs; only src/ml/ may import @tensorflow/*;
//     mathjs must stay out of src/math, src/fusion, src/samples (per-sample hot paths).
// Exits 1 with `file:line: message` for each violation.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const src = join(root, 'src');
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const importRe = /(?:^|\n)\s*(?:import|export)\s[^;'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function lineOf(text, index) {
  return text.slice(0, index).split('\n').length;
}

function resolveLocal(fromFile, spec) {
  const base = resolve(dirname(fromFile), spec);
  for (const cand of [base, `${base}.ts`, base.replace(/\.js$/, '.ts'), join(base, 'index.ts')]) {
    if (existsSync(cand) && statSync(cand).isFile()) return cand;
  }
  return null;
}

function importsOf(file) {
  const text = readFileSync(file, 'utf8');
  const out = [];
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    // `import type` never reaches the bundle.
    if (/^\s*(import|export)\s+type\s/.test(m[0].trimStart())) continue;
    out.push({ spec, line: lineOf(text, m.index + (m[0].startsWith('\n') ? 1 : 0)) });
  }
  return out;
}

const problems = [];
const rel = (f) => relative(root, f);

// Browser-safe entries: package.json "exports" minus ./node and ./ml/node (Node only) and ./ml
// (it imports node:fs lazily, for Node only; checked by its own tests), each with its source
// file from tsdown.config.ts.
const NOT_BROWSER = new Set(['./node', './ml/node', './ml']);
const pkgExports = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports;
const tsdownText = readFileSync(join(root, 'tsdown.config.ts'), 'utf8');
const BROWSER_ENTRIES = Object.entries(pkgExports)
  .filter(([sub]) => !NOT_BROWSER.has(sub))
  .map(([sub, e]) => {
    const name = e.import.replace(/^\.\/dist\/|\.js$/g, '');
    const file = tsdownText.match(new RegExp(`['"]?${name}['"]?\\s*:\\s*'src/([^']+)'`))?.[1];
    if (!file) problems.push(`package.json:1: exports["${sub}"] has no tsdown entry '${name}' in tsdown.config.ts`);
    return file;
  })
  .filter(Boolean);
// Directories the root closure must not reach (each is, or belongs to, a sub-path).
const NOT_IN_ROOT = /^src\/(io|sim|report|ml)\//;

/** Every local file reachable from `entry` by value imports. */
function closureOf(entry, onFile) {
  const seen = new Set();
  const stack = [entry];
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    onFile?.(file);
    for (const { spec } of importsOf(file)) {
      const target = spec.startsWith('.') ? resolveLocal(file, spec) : null;
      if (target) stack.push(target);
    }
  }
  return seen;
}

// 1b. the root stays the core
for (const file of closureOf(join(src, 'index.ts'))) {
  if (NOT_IN_ROOT.test(rel(file))) problems.push(`${rel(file)}:1: reachable from src/index.ts (the root entry), but it belongs to a sub-path entry (see the list in src/index.ts)`);
}

// 1. browser-safe closure of the browser entries
const seen = new Set();
const stack = BROWSER_ENTRIES.map((e) => join(src, e));
while (stack.length) {
  const file = stack.pop();
  if (seen.has(file)) continue;
  seen.add(file);
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((text, k) => {
    const code = text.replace(/\/\/.*$/, '');
    if (/^\s*(\*|\/\*)/.test(code)) return; // doc comment lines
    const m = code.match(/\b(process\.|Buffer\.|__dirname\b|__filename\b|require\()/);
    if (m) problems.push(`${rel(file)}:${k + 1}: '${m[1]}' is a Node global, but this file is reachable from a browser-safe entry (${BROWSER_ENTRIES.join(', ')})`);
  });
  for (const { spec, line } of importsOf(file)) {
    if (spec.startsWith('.')) {
      const target = resolveLocal(file, spec);
      if (target) stack.push(target);
      else problems.push(`${rel(file)}:${line}: cannot resolve '${spec}'`);
    } else if (builtins.has(spec)) {
      problems.push(`${rel(file)}:${line}: '${spec}' is a Node built-in, but this file is reachable from a browser-safe entry; move it behind src/node.ts`);
    }
  }
}

// 2. dependency placement, over every source file
import { readdirSync } from 'node:fs';
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? walk(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}
const rules = [
  { pkg: /^rxjs(\/|$)/, allowed: /^src\/pipeline\//, why: 'only src/pipeline/ may import rxjs' },
  { pkg: /^@tensorflow\//, allowed: /^src\/ml\//, why: 'only src/ml/ may import tfjs' },
  { pkg: /^mathjs(\/|$)/, allowed: /^src\/(?!math\/|fusion\/|samples\/)/, why: 'mathjs stays off the per-sample path (src/math, src/fusion, src/samples)' },
];
for (const file of walk(src)) {
  const r = rel(file);
  for (const { spec, line } of importsOf(file)) {
    for (const rule of rules) {
      if (rule.pkg.test(spec) && !rule.allowed.test(r)) problems.push(`${r}:${line}: '${spec}': ${rule.why}`);
    }
  }
}

if (problems.length) {
  for (const p of problems) console.error(p);
  console.error(`lint: ${problems.length} boundary problem(s)`);
  process.exit(1);
}
console.log(`lint: boundaries hold (${seen.size} files in the browser-safe closure of ${BROWSER_ENTRIES.length} entries)`);
