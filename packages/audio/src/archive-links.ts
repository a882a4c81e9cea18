import { posix } from 'node:path';

/** How many links one path may pass through before it is refused (Linux's own limit is 40). */
const MAX_HOPS = 40;

/**
 * The symbolic links an archive has extracted so far, for resolving later entries the way the
 * file system will: a link whose own text stays inside the archive (`s2 -> s1/..`) can still
 * leave it when an earlier link (`s1 -> ..`) is followed on the way. Paths are archive-relative
 * POSIX paths; pure string work, no file access.
 */
export class ArchiveLinks {
  readonly #links = new Map<string, string>();

  /**
   * Where a path really leads once every link recorded so far is followed.
   * @param path - Archive-relative path (may contain `.`/`..` and pass through links).
   * @returns The archive-relative resolved path (`''` is the archive root), or undefined when
   *   it leaves the archive or passes through too many links.
   */
  resolve(path: string): string | undefined {
    return this.#resolve(path, 0);
  }

  /**
   * Records a symbolic link extracted at `path` with the link text `target`.
   * @param path - Archive-relative path of the link.
   * @param target - The link's text, relative to the link's directory.
   */
  add(path: string, target: string): void {
    this.#links.set(posix.normalize(path).replace(/\/+$/, ''), target);
  }

  /**
   * Forgets a link because a later entry replaced it with a file or directory.
   * @param path - Archive-relative path of the entry.
   */
  remove(path: string): void {
    this.#links.delete(posix.normalize(path).replace(/\/+$/, ''));
  }

  /**
   * The first recorded link that, followed through all the others, leads outside the archive
   * (a later link can change where an earlier one leads, so every link is checked again).
   * @returns That link and its text, or undefined when all stay inside.
   */
  firstEscaping(): { path: string; target: string } | undefined {
    for (const [path, target] of this.#links) {
      if (this.#resolve(joinRaw(posix.dirname(path), target), 0) === undefined) return { path, target };
    }
    return undefined;
  }

  #resolve(path: string, hops: number): string | undefined {
    // Never posix.join/normalize here: they fold `s1/..` away before s1 is followed.
    if (path.startsWith('/')) return undefined;
    const resolved: string[] = [];
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') {
        if (resolved.length === 0) return undefined;
        resolved.pop();
        continue;
      }
      resolved.push(part);
      const target = this.#links.get(resolved.join('/'));
      if (target === undefined) continue;
      if (hops >= MAX_HOPS) return undefined;
      const through = this.#resolve(joinRaw(resolved.slice(0, -1).join('/'), target), hops + 1);
      if (through === undefined) return undefined;
      resolved.splice(0, resolved.length, ...(through === '' ? [] : through.split('/')));
    }
    return resolved.join('/');
  }
}

/**
 * Joins a directory and a link text without folding `..` lexically (unlike posix.join).
 * @param dir - Archive-relative directory (`''` or `.` for the root).
 * @param rest - Relative path to append.
 * @returns The joined path.
 */
export function joinRaw(dir: string, rest: string): string {
  return dir === '' || dir === '.' ? rest : `${dir}/${rest}`;
}
