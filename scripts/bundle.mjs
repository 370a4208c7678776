// Bundles the client and the server (which is also the CLI) into dist/ with esbuild.
// Type-checking is `tsc -b`'s job; esbuild only transpiles and links.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // jsonc-parser's UMD build hides its requires from bundlers; its ESM build does not.
  mainFields: ['module', 'main'],
};

// The CLI must run from dist/server.js alone (copied to a VM without the package): the version
// and the translations go inside it. The schema is compiled into it already (generate-validator).
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8'));
const translations = Object.fromEntries(
  fs.readdirSync('l10n')
    .map((name) => /^bundle\.l10n\.(.+)\.json$/.exec(name))
    .filter(Boolean)
    .map((match) => [match[1], JSON.parse(fs.readFileSync(`l10n/${match[0]}`, 'utf8'))]),
);
const build = { version: manifest.version, l10n: translations };

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' }, define: { __VMSNAPSHOT_BUILD__: JSON.stringify(build) } }),
]);
