import * as fs from 'fs';
import * as path from 'path';

/**
 * Finds the ShellCheck executable: the configured path if it names a file, else the name looked
 * up on PATH. Undefined when there is none, which simply means no ShellCheck findings: the
 * built-in checks do not depend on it.
 */
export function locateShellCheck(configured: string, envPath = process.env.PATH ?? ''): string | undefined {
  // An explicit path is used as given: if it is wrong, the user hears so from the failed run.
  if (configured.includes('/')) return configured;
  for (const folder of envPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(folder, configured);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
