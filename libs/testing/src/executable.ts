import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** `name` on PATH, else in `fallbackDir` (where Debian installs it: sbin dirs are not on every PATH); null when absent. */
export function findExecutable(name: string, fallbackDir: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), fallbackDir];
  for (const path of dirs.map((dir) => join(dir, name))) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here: the next directory
    }
  }
  return null;
}
