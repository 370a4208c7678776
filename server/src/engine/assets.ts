import * as fs from 'fs';
import * as path from 'path';

let cachedRoot: string | undefined;

/**
 * The folder that holds `schemas/` and `l10n/`. The same code runs bundled (`dist/`), compiled
 * for tests (`out/server/src/engine/`) and inside the installed VSIX, so it is found by looking
 * upwards instead of by a fixed relative path.
 */
export function findAssetsRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'schemas', 'vmsnapshot-script-plugin-config.schema.json'))) {
      cachedRoot = dir;
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`vmsnapshot: cannot find the schemas/ folder above ${__dirname}; reinstall the extension or CLI.`);
    dir = parent;
  }
}

/** Put in by scripts/bundle.mjs: what the bundle carries inside itself, so that it runs alone. */
declare const __VMSNAPSHOT_BUILD__: { version: string; l10n: Record<string, Record<string, string>> } | undefined;

function inlined(): { version: string; l10n: Record<string, Record<string, string>> } | undefined {
  return typeof __VMSNAPSHOT_BUILD__ === 'undefined' ? undefined : __VMSNAPSHOT_BUILD__;
}

/** The package's version: inlined in the bundle, read from package.json when run from out/. */
export function packageVersion(): string {
  const build = inlined();
  if (build) return build.version;
  return (JSON.parse(fs.readFileSync(path.join(findAssetsRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The translations for `locale` (`pt-br`), inlined in the bundle or read from l10n/; undefined when there are none. */
export function l10nContents(locale: string): Record<string, string> | undefined {
  const build = inlined();
  if (build) return build.l10n[locale];
  const bundlePath = path.join(findAssetsRoot(), 'l10n', `bundle.l10n.${locale}.json`);
  return fs.existsSync(bundlePath) ? (JSON.parse(fs.readFileSync(bundlePath, 'utf8')) as Record<string, string>) : undefined;
}
