// A container outside the committed files that writes a declared service's data, on a real engine and a real git
// repository: the app moved from a README's `docker run -v data:/data` to compose, and the old container was left
// running on the same volume (two writers on one database). Drift alone — an ad-hoc container on its own volume, a
// backup reading the volume read-only — is the repair passes' business and no sweep reports it; two writers are a
// fault: the sweep that finds it twice reports it, and nothing is removed (prune is off; a removal is a person's).
// Asked about the app, the diagnosis names the old container and the volume they share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnosisReportSchema } from '@bcon/reasoning/schemas';
import { type ComposeStack, upStack } from '../harness/compose-stack.js';
import { runBcon } from '../harness/bcon.js';
import { docker } from '../harness/docker.js';
import { SWEEP_EVERY_10S, sweptTwice } from '../harness/reconcile.js';

const P = 'e2eshared';
const VOLUME = `${P}_data`;
const OLD = `${P}-old`;
const ADHOC = `${P}-adhoc`;
const READER = `${P}-reader`;
const COMPOSE = `services:
  app:
    image: bcon-test/busybox:1
    network_mode: none
    restart: unless-stopped
    volumes:
      - data:/data
    command: ["sh", "-c", "trap 'exit 0' TERM; while :; do date >> /data/app.log; echo 'saved state'; sleep 1; done"]
volumes:
  data: {}
`;

describe('an old container left writing the volume of a compose service', () => {
  let stack: ComposeStack | undefined;
  const extra = [OLD, ADHOC, READER];
  const run = (name: string, mount: string) => docker(['run', '-d', '--name', name, '--network', 'none', '--label', 'bcon.e2e=untracked-shared-data', '-v', mount, 'bcon-test/busybox:1', 'sh', '-c', "trap 'exit 0' TERM; while :; do sleep 1; done"]);

  beforeAll(() => {
    docker(['rm', '-f', ...extra], { allowFail: true });
    stack = upStack(P, { 'compose.yaml': COMPOSE, 'bcon.yaml': SWEEP_EVERY_10S }, 'app on its data volume');
    run(OLD, `${VOLUME}:/data`);
    run(ADHOC, `${P}-scratch:/scratch`);
    run(READER, `${VOLUME}:/data:ro`);
  }, 120_000);
  afterAll(() => {
    docker(['rm', '-f', ...extra], { allowFail: true });
    stack?.cleanup();
    docker(['volume', 'rm', VOLUME, `${P}-scratch`], { allowFail: true });
  });

  it('is reported by the second sweep that finds it, with the shared volume; the others are not; nothing is removed', async () => {
    if (!stack) throw new Error('no stack');
    const { first, second } = await sweptTwice(stack.dir, stack.home);
    expect(first.decisions.filter((d) => extra.some((n) => d.service.endsWith(n)))).toEqual([]);
    const about = (n: string) => second.decisions.filter((d) => d.service.endsWith(`/${n}`));
    expect(about(OLD), JSON.stringify(second.decisions)).toMatchObject([{ action: 'report', mode: 'reported' }]);
    expect(about(OLD)[0]?.reasons.join('\n')).toMatch(/writes the same data as app/);
    expect(about(ADHOC)).toEqual([]);
    expect(about(READER)).toEqual([]);
    expect(second.decisions.filter((d) => d.mode === 'executed' || d.mode === 'notified')).toEqual([]);
    for (const n of extra) expect(docker(['inspect', '-f', '{{.State.Running}}', n])).toBe('true');
  }, 90_000);

  it('asked about the app, the diagnosis names the old container and the volume they share', async () => {
    if (!stack) throw new Error('no stack');
    const res = await runBcon(['diagnose', 'app', '--repo', stack.dir, '--json'], { BCON_HOME: stack.home });
    expect(res.code, res.stderr).toBe(0);
    const report = DiagnosisReportSchema.parse(JSON.parse(res.stdout));
    const h = report.hypotheses.find((x) => x.cause === 'untracked_container' && x.culprit === OLD);
    expect(h, JSON.stringify(report.hypotheses)).toBeDefined();
    const cited = report.evidence.filter((e) => h?.evidence.includes(e.id)).map((e) => e.text);
    expect(cited.join('\n')).toContain(`mounts volume ${VOLUME} writable, as app does`);
    expect(report.hypotheses.some((x) => x.culprit === ADHOC || x.culprit === READER)).toBe(false);
  }, 60_000);
});
