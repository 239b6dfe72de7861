import { describe, expect, it } from 'vitest';
import type { ServiceSignals } from './signals.js';
import { addressesOf, twinOf } from './twin-service.js';

const svc = (name: string, env: string[], extra: { image?: string; untracked?: boolean; state?: string } = {}): ServiceSignals =>
  ({ name, untracked: extra.untracked ?? false, containers: [{ name: `${name}_1`, image: extra.image ?? 'acme/notify:2.3', state: extra.state ?? 'running', config: { env: ['PATH=/usr/bin', ...env] } }] }) as unknown as ServiceSignals;

describe('twinOf: a container outside the files that is a second copy of a declared service', () => {
  const beat = svc('beat', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'DIGEST_INTERVAL_SECONDS=6']);
  const worker = svc('worker', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'CELERY_WORKER_CONCURRENCY=2']);

  it('every setting of the service, with the same values, from the same image repository (another tag too)', () => {
    const debug = svc('notify-beat-debug', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'DIGEST_INTERVAL_SECONDS=6', 'LOG_LEVEL=debug'], { untracked: true, image: 'acme/notify:2.1' });
    expect(twinOf(debug, [worker, beat])).toEqual({ service: 'beat', settings: ['CELERY_BROKER_URL', 'DIGEST_INTERVAL_SECONDS'] });
  });

  it('an older build that lacks a setting the service added since: a copy; one that sets it otherwise is not', () => {
    const digest = svc('digest', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'DIGEST_TUBE=digest', 'SMTP_HOST=smtp.example.com', 'SMTP_PORT=587'], { image: 'reg.example/digest:2.4.0' });
    const hotfix = svc('digest-hotfix', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'SMTP_HOST=smtp.example.com', 'SMTP_PORT=587', 'DIGEST_SCHEDULE=0 7 * * MON'], { untracked: true, image: 'reg.example/digest:2.3.1-hotfix2' });
    expect(twinOf(hotfix, [digest])).toEqual({ service: 'digest', settings: ['BEANSTALKD_ADDR', 'SMTP_HOST', 'SMTP_PORT'] });
    // on the service's own image, lacking settings: a one-off or a debug shell, not a copy
    const shell = svc('debug', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'SMTP_HOST=smtp.example.com', 'SMTP_PORT=587'], { untracked: true, image: 'reg.example/digest:2.4.0' });
    expect(twinOf(shell, [digest])).toBeUndefined();
    const staging = svc('digest-staging', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'DIGEST_TUBE=digest-staging', 'SMTP_HOST=smtp.example.com', 'SMTP_PORT=587'], { untracked: true, image: 'reg.example/digest:2.4.0' });
    expect(twinOf(staging, [digest])).toBeUndefined();
    // fewer than half alike: a client of the same queue, not a copy
    const tool = svc('queue-tool', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'SMTP_HOST=smtp.example.com'], { untracked: true, image: 'reg.example/digest:2.4.0' });
    expect(twinOf(tool, [svc('digest', ['BEANSTALKD_ADDR=127.0.0.1:11300', 'DIGEST_TUBE=digest', 'SMTP_HOST=smtp.example.com', 'SMTP_PORT=587', 'BATCH=50'], { image: 'reg.example/digest:2.4.0' })])).toBeUndefined();
  });

  it('not a client of the same broker, another image, a stopped copy, or a service with one setting', () => {
    const client = svc('probe', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'DIGEST_INTERVAL_SECONDS=60'], { untracked: true });
    expect(twinOf(client, [beat])).toBeUndefined();
    const other = svc('x', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'DIGEST_INTERVAL_SECONDS=6'], { untracked: true, image: 'redis:7' });
    expect(twinOf(other, [beat])).toBeUndefined();
    const stopped = svc('y', ['CELERY_BROKER_URL=redis://127.0.0.1:6379/0', 'DIGEST_INTERVAL_SECONDS=6'], { untracked: true, state: 'exited' });
    expect(twinOf(stopped, [beat])).toBeUndefined();
    const lone = svc('cache-ui', ['REDIS_URL=redis://127.0.0.1:6379/0'], { untracked: true });
    expect(twinOf(lone, [svc('ui', ['REDIS_URL=redis://127.0.0.1:6379/0'])])).toBeUndefined();
    // settings every service shares (one env file): a copy of which? none said
    const env = ['DATABASE_URL=postgres://db:5432/shop', 'REDIS_URL=redis://cache:6379/0'];
    const flower = svc('flower', env, { untracked: true });
    expect(twinOf(flower, [svc('web', env), svc('worker', env)])).toBeUndefined();
    expect(twinOf(flower, [svc('web', env)])).toMatchObject({ service: 'web' });
    // settings with no address: two copies of a batch with the same flags are not a sign
    expect(twinOf(svc('z', ['MODE=batch', 'THREADS=2'], { untracked: true }), [svc('batch', ['MODE=batch', 'THREADS=2'])])).toBeUndefined();
  });

  it('addressesOf: the URLs and host:port values a service is told to connect to', () => {
    expect([...addressesOf(worker)]).toEqual(['redis://127.0.0.1:6379/0']);
    expect([...addressesOf(svc('a', ['DB=db:5432', 'N=3', 'T=12:30']))]).toEqual(['db:5432']);
  });
});
