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
