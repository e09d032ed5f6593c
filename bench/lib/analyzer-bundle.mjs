// Bundles the analyzer the way esbuild.mjs bundles the shipped CLI and server (CommonJS, node20,
// the web-tree-sitter CJS trick, the .wasm files beside the bundle), into a temp dir, and loads it.
// In-process timings then measure the code that ships rather than a TypeScript loader.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

const PUBLIC_ENTRY = `
export { analyzeSource, analyzeTree } from './server/analyzer/analyze';
export { createParser } from './server/analyzer/parser';
export { Edit } from 'web-tree-sitter';
export { DocumentStore } from './server/lsp/documents';
`;

// Internals, only for the time split (tree copy / model / rules). Optional: if they move, the
// benchmark still runs and reports the split as unavailable.
const PROFILE_ENTRY = `
export { copyTree } from './server/analyzer/syntax';
export { buildModel } from './server/analyzer/model/build';
export { Resolver } from './server/analyzer/model/resolve';
`;

export async function loadAnalyzer(repoRoot, outDir) {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  const esbuild = require('esbuild');
  const build = (contents, outfile) =>
    esbuild.build({
      stdin: { contents, resolveDir: repoRoot, sourcefile: 'bench-entry.ts', loader: 'ts' },
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      minify: false,
      sourcemap: false,
      logLevel: 'silent',
      logOverride: { 'require-resolve-not-external': 'silent' },
      outfile,
      plugins: [
        {
          name: 'web-tree-sitter-cjs',
          setup(b) {
            b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
          },
        },
      ],
    });

  fs.copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), path.join(outDir, 'web-tree-sitter.wasm'));
  fs.copyFileSync(require.resolve('tree-sitter-python/tree-sitter-python.wasm'), path.join(outDir, 'tree-sitter-python.wasm'));

  let profiling = true;
  const outfile = path.join(outDir, 'analyzer.cjs');
  try {
    await build(PUBLIC_ENTRY + PROFILE_ENTRY, outfile);
  } catch (err) {
    profiling = false;
    process.stderr.write(`[bench] profiling internals unavailable (${String(err.message ?? err).split('\n')[0]}); split not measured\n`);
    await build(PUBLIC_ENTRY, outfile);
  }
  const mod = createRequire(outfile)(outfile);
  const parser = await mod.createParser();
  return { ...mod, parser, profiling };
}
