#!/usr/bin/env node
// pnpm bench (remote hosts part): `bcon status --json` over SSH (an sshd on 127.0.0.1 whose logins reach the test
// engine; docker system dial-stdio) against the same engine's local socket, and across three SSH hosts (bcon.yaml
// hosts, queried at the same time) against one. Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSshHost } from '../testbed/sshd.mjs';
import { BCON, benchEngine, spread } from './bench-engine.mjs';

const bench = await benchEngine();
const hosts = [];
const work = mkdtempSync(path.join(tmpdir(), 'bcon-bench-ssh-'));
try {
  bench.removeProject('benchssh');
  for (let i = 1; i <= 20; i++) {
    bench.docker(['run', '-d', '--name', `benchssh-app-${i}`, '--network', 'none', '--label', 'com.docker.compose.project=benchssh', '--label', 'com.docker.compose.service=app', '--label', `com.docker.compose.container-number=${i}`, '--label', 'com.docker.compose.oneoff=False', 'bcon-test/busybox:1', 'sleep', '3600']);
  }
  for (let i = 0; i < 3; i++) hosts.push(await startSshHost(bench.engine.dockerHost));
  const sshEnv = (h) => ({ ...h.env, BCON_HOME: work });
  const times = (env, args = [], cwd) => spread(Array.from({ length: 7 }, () => bench.time(process.execPath, [BCON, 'status', '--json', ...args], { env, cwd }).seconds));
  bench.time(process.execPath, [BCON, 'status', '--json'], { env: { BCON_HOME: work } });
  const local = times({ BCON_HOME: work });
  const ssh = times(sshEnv(hosts[0]));
  // three hosts named in bcon.yaml, one key and known_hosts for all (each sshd has its own host key)
  const repo = path.join(work, 'repo');
  execFileSync('mkdir', ['-p', repo]);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const known = path.join(work, 'known_hosts');
  writeFileSync(known, hosts.map((h) => execFileSync('cat', [h.knownHosts], { encoding: 'utf8' })).join(''));
  for (const h of hosts.slice(1)) execFileSync('sh', ['-c', `cat ${hosts[0].clientKey}.pub | sed 's/^/environment="DOCKER_HOST=${bench.engine.dockerHost.replace(/\//g, '\\/')}" /' > ${h.dir}/authorized_keys`]);
  const yaml = (n) => `hosts:\n${hosts.slice(0, n).map((h, i) => `  h${i + 1}: ${h.address}`).join('\n')}\n`;
  const multiEnv = { BCON_HOME: work, BCON_SSH_KEY: hosts[0].clientKey, BCON_SSH_KNOWN_HOSTS: known, SSH_AUTH_SOCK: '', DOCKER_HOST: '' };
  writeFileSync(path.join(repo, 'bcon.yaml'), yaml(1));
  const one = times(multiEnv, [], repo);
  writeFileSync(path.join(repo, 'bcon.yaml'), yaml(3));
  const three = times(multiEnv, [], repo);
  const f = (s) => `${s.median.toFixed(3)} s  [${s.min.toFixed(3)}–${s.max.toFixed(3)}]`;
  process.stdout.write(
    [
      'bcon status over SSH (20 containers, 7 runs each)',
      `  local socket                      ${f(local)}`,
      `  ssh:// (same engine)              ${f(ssh)}   ${(ssh.median / local.median).toFixed(2)}× local (target under 1.5×)`,
      `  bcon.yaml, one SSH host           ${f(one)}`,
      `  bcon.yaml, three SSH hosts        ${f(three)}   ${(three.median / one.median).toFixed(2)}× one host (target under 1.5×)`,
    ].join('\n') + '\n',
  );
} finally {
  for (const h of hosts) await h.stop();
  bench.removeProject('benchssh');
  rmSync(work, { recursive: true, force: true });
  await bench.stop();
}
