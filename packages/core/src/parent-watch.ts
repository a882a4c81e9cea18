import { Socket } from 'node:net';

/**
 * Environment variable naming the file descriptor of a pipe whose other end the parent process
 * holds (`scripts/asrq.mjs` for the CLI, or `runBenchJobs` of @asrq/bench for its job processes). The parent never
 * writes to it: the pipe only ends, with the parent, however the parent ends (even `kill -9`).
 */
export const PARENT_FD_ENV = 'ASRQ_PARENT_FD';

/**
 * Stops this process when its parent ends, for parents that start it in a process group of its
 * own (so signals sent to the parent's group, or the parent's death, would not reach it): when
 * the pipe named by {@link PARENT_FD_ENV} ends, this process sends itself SIGTERM, which
 * interrupts the running command as Ctrl-C does (or ends the process at once outside one).
 * Without the variable (asrq run from a shell, under nohup, ...) nothing is watched.
 * @param env - The environment to read (default `process.env`); the variable is removed from it,
 *   so processes this one starts get a pipe of their own or none.
 * @returns Whether a parent is watched.
 */
export function stopWithParent(env: NodeJS.ProcessEnv = process.env): boolean {
  const fd = Number(env[PARENT_FD_ENV]);
  delete env[PARENT_FD_ENV];
  if (!Number.isInteger(fd) || fd < 3) return false;
  let pipe: Socket;
  try {
    pipe = new Socket({ fd, readable: true, writable: false });
  } catch {
    return false;
  }
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    process.kill(process.pid, 'SIGTERM');
  };
  pipe.on('end', stop);
  pipe.on('error', stop);
  pipe.resume();
  // Watching must not keep the process alive once its work is done.
  pipe.unref();
  return true;
}
