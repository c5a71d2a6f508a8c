import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { makeLogger, startControlPlane } from '@cloudplane/control-plane';
import { ensureBuilt } from '../test/helpers/plane.js';

/**
 * The dashboard's first page as a browser loads it from `cloudplane serve`: index.html plus every
 * script and stylesheet it names, asked for with "Accept-Encoding: gzip", counting the bytes
 * that cross the wire (bodies as sent, not decoded). Target: 250 kB or less.
 */

const TARGET_KB = 250;

function get(url: string): Promise<{ status: number; encoding: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { 'accept-encoding': 'gzip', accept: 'text/html,*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          encoding: res.headers['content-encoding'] ?? 'identity',
          body: Buffer.concat(chunks),
        });
      });
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

ensureBuilt();
const plane = await startControlPlane({
  storage: { kind: 'pglite', dataDir: 'memory' },
  masterKey: randomBytes(32),
  logger: makeLogger({ level: 'silent' }),
  port: 0,
});
try {
  const index = await get(`${plane.url}/`);
  const html = (index.encoding === 'gzip' ? gunzipSync(index.body) : index.body).toString();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] ?? '');
  const rows = [{ path: '/', ...index }];
  for (const path of assets) rows.push({ path, ...(await get(`${plane.url}${path}`)) });
  let total = 0;
  for (const row of rows) {
    if (row.status !== 200) throw new Error(`GET ${row.path} answered ${String(row.status)}`);
    total += row.body.length;
    console.log(
      `  ${row.path.padEnd(40)} ${(row.body.length / 1024).toFixed(1).padStart(7)} kB  ${row.encoding}`,
    );
  }
  const kb = total / 1024;
  const verdict = kb <= TARGET_KB ? 'ok' : 'OVER TARGET';
  console.log(
    `dashboard first page transfer (gzip): ${kb.toFixed(1)} kB in ${String(rows.length)} requests (target <= ${String(TARGET_KB)} kB: ${verdict})`,
  );
  if (kb > TARGET_KB) process.exitCode = 1;
} finally {
  await plane.close();
}
