import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second in /proc/<pid>/stat (USER_HZ). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * CPU time, in ms, that the processes `pids` have used so far (user and system), read from
 * /proc: for the work a bench's figures would otherwise miss, done in other processes (the
 * PostgreSQL backends, a proxy). A process that has exited counts nothing.
 */
export function cpuMsOfProcesses(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      // utime and stime are the 12th and 13th fields after the parenthesised command name.
      const fields = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ');
      ticks += Number(fields?.[11] ?? 0) + Number(fields?.[12] ?? 0);
    } catch {
      // Exited meanwhile: its time went with it.
    }
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}
