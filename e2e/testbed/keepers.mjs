// bcon's SSH connection keepers (one per host, in BCON_HOME/ssh): asked for their pid on their socket and stopped
// by it — for benchmarks that time the first command (no keeper yet), and for tests that clean up after them.
import { existsSync, readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

function keeperPid(socketPath) {
  return new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_bcon/keeper', agent: false, timeout: 1000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body).pid);
        } catch {
          resolve(undefined);
        }
      });
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
  });
}

/** Stop every keeper of this BCON_HOME by its pid; resolves when their sockets are gone. Returns how many. */
export async function stopKeepers(home) {
  const dir = path.join(home, 'ssh');
  if (!existsSync(dir)) return 0;
  let stopped = 0;
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.sock'))) {
    const sock = path.join(dir, f);
    const pid = await keeperPid(sock);
    if (!pid) continue;
    try {
      process.kill(pid, 'SIGTERM');
      stopped++;
    } catch {
      continue;
    }
    for (let i = 0; i < 100 && existsSync(sock); i++) await new Promise((r) => setTimeout(r, 20));
  }
  return stopped;
}
