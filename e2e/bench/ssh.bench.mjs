#!/usr/bin/env node
// pnpm bench (remote hosts part): `bcon status --json` over SSH (an sshd on 127.0.0.1 whose logins reach the test
// engine; docker system dial-stdio) against the same engine's local socket — by default (each command connects),
// and with the connection keeper (BCON_SSH_PERSIST=60) as the first command (it starts the keeper) and with the
// keeper running — and across three SSH hosts (bcon.yaml hosts, queried at the same time) against one, the same ways.
// Prints figures; asserts nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authorizedKey, startSshHost } from '../testbed/sshd.mjs';
import { stopKeepers } from '../testbed/keepers.mjs';
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
  const sshEnv = (h, extra = {}) => ({ ...h.env, BCON_HOME: work, ...extra });
  const run = (env, args, cwd) => bench.time(process.execPath, [BCON, 'status', '--json', ...args], { env, cwd }).seconds;
  const times = (env, args = [], cwd) => spread(Array.from({ length: 7 }, () => run(env, args, cwd)));
  // the first command of a series: no keeper yet (stopped by pid before each run)
  const firstTimes = async (env, args = [], cwd) => {
    const out = [];
    for (let i = 0; i < 7; i++) {
      await stopKeepers(work);
      out.push(run(env, args, cwd));
    }
    return spread(out);
  };
  run({ BCON_HOME: work }, []);
  const KEEP = { BCON_SSH_PERSIST: '60' };
  const local = times({ BCON_HOME: work });
  const direct = times(sshEnv(hosts[0]));
  const first = await firstTimes(sshEnv(hosts[0], KEEP));
  run(sshEnv(hosts[0], KEEP), []);
  const kept = times(sshEnv(hosts[0], KEEP));
  // three hosts named in bcon.yaml, one key and known_hosts for all (each sshd has its own host key)
  const repo = path.join(work, 'repo');
  execFileSync('mkdir', ['-p', repo]);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const known = path.join(work, 'known_hosts');
  writeFileSync(known, hosts.map((h) => execFileSync('cat', [h.knownHosts], { encoding: 'utf8' })).join(''));
  for (const h of hosts.slice(1)) writeFileSync(path.join(h.dir, 'authorized_keys'), authorizedKey(bench.engine.dockerHost, readFileSync(`${hosts[0].clientKey}.pub`, 'utf8')), { mode: 0o600 });
  const yaml = (n) => `hosts:\n${hosts.slice(0, n).map((h, i) => `  h${i + 1}: ${h.address}`).join('\n')}\n`;
  const multiEnv = { BCON_HOME: work, BCON_SSH_KEY: hosts[0].clientKey, BCON_SSH_KNOWN_HOSTS: known, SSH_AUTH_SOCK: '', DOCKER_HOST: '' };
  const keepEnv = { ...multiEnv, ...KEEP };
  writeFileSync(path.join(repo, 'bcon.yaml'), yaml(1));
  const oneDirect = times(multiEnv, [], repo);
  const oneFirst = await firstTimes(keepEnv, [], repo);
  run(keepEnv, [], repo);
  const one = times(keepEnv, [], repo);
  writeFileSync(path.join(repo, 'bcon.yaml'), yaml(3));
  const threeDirect = times(multiEnv, [], repo);
  const threeFirst = await firstTimes(keepEnv, [], repo);
  run(keepEnv, [], repo);
  const three = times(keepEnv, [], repo);
  await stopKeepers(work);
  const f = (s) => `${s.median.toFixed(3)} s  [${s.min.toFixed(3)}–${s.max.toFixed(3)}]`;
  const x = (a, b) => `${(a.median / b.median).toFixed(2)}×`;
  process.stdout.write(
    [
      'bcon status over SSH (20 containers, 7 runs each; the keeper (BCON_SSH_PERSIST) keeps the SSH connection between commands)',
      `  local socket                                  ${f(local)}`,
      `  ssh:// (default: each command connects)       ${f(direct)}   ${x(direct, local)} local (target under 1.5×)`,
      `  ssh://, keeper: first command (starts it)     ${f(first)}   ${x(first, local)} local`,
      `  ssh://, keeper running                        ${f(kept)}   ${x(kept, local)} local (target under 1.5×)`,
      `  bcon.yaml, one SSH host (default)             ${f(oneDirect)}`,
      `  bcon.yaml, three SSH hosts (default)          ${f(threeDirect)}   ${x(threeDirect, oneDirect)} one host (target under 1.5×)`,
      `  bcon.yaml, one SSH host, keeper first         ${f(oneFirst)}`,
      `  bcon.yaml, three SSH hosts, keepers first     ${f(threeFirst)}   ${x(threeFirst, oneFirst)} one host`,
      `  bcon.yaml, one SSH host, keeper running       ${f(one)}`,
      `  bcon.yaml, three SSH hosts, keepers running   ${f(three)}   ${x(three, one)} one host (target under 1.5×)`,
    ].join('\n') + '\n',
  );
} finally {
  await stopKeepers(work).catch(() => undefined);
  for (const h of hosts) await h.stop();
  bench.removeProject('benchssh');
  rmSync(work, { recursive: true, force: true });
  await bench.stop();
}
