import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Runs a command; on failure the error names the command and its stderr. */
export async function run(command: string, args: string[], input?: string): Promise<string> {
  if (input !== undefined) return runWithInput(command, args, input);
  try {
    const { stdout } = await execFileAsync(command, args, {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? '';
    throw new Error(
      `${command} ${args.join(' ')} failed: ${stderr.trim() || (err as Error).message}`,
      { cause: err },
    );
  }
}

function runWithInput(command: string, args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else
        reject(
          new Error(
            `${command} ${args.join(' ')} exited ${code}: ${(stderr || stdout).trim().slice(-2000)}`,
          ),
        );
    });
    child.stdin.end(input);
  });
}

/** True when a command runs at all (`ip -V`, `sshd -V`). */
export async function available(path: string): Promise<boolean> {
  try {
    await execFileAsync('sh', ['-c', `command -v ${path}`]);
    return true;
  } catch {
    return false;
  }
}
