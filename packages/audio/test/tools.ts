import { spawnSync } from 'node:child_process';

/** Whether a command-line tool is on PATH (tests that need one skip without it). */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}
