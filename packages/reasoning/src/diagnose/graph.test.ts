import { describe, expect, it } from 'vitest';
import { service } from '../__fixtures__/signals.js';
import { DependencyGraph } from './graph.js';

const cfg = (cmd: string[], env: string[] = []) => ({ config: { cmd, env } }) as never;

describe('DependencyGraph', () => {
  it('a client naming a loopback port in a URL depends on the server listening there, not the other way', () => {
    // a MinIO told where to listen by its env, an uploader whose script connects to it (its URL in env and in its command)
    const minio = service('minio', { containers: [cfg(['minio', 'server', '/data'], ['MINIO_ADDRESS=127.0.0.1:25317'])], spec: { dependsOn: [] } });
    const uploader = service('uploader', {
      containers: [cfg(['sh', '-c', 'nc -w 1 127.0.0.1 25317 || echo "Put \\"http://127.0.0.1:25317/backups/x\\": connection refused"'], ['ENDPOINT=http://127.0.0.1:25317'])],
      spec: { dependsOn: ['minio'] },
    });
    const graph = new DependencyGraph([minio, uploader]);
    expect([...graph.closure('uploader').keys()]).toEqual(['minio']);
    expect([...graph.closure('minio').keys()]).toEqual([]);
  });

  it('a client whose script prints the address it is refused at (`port 26682`) is not a listener there: nobody is', () => {
    const script = (who: string) => cfg(['sh', '-c', `echo "${who}: connection to server at \\"127.0.0.1\\", port 26682 failed: Connection refused"`], ['DATABASE_URL=postgres://t:t@127.0.0.1:26682/t']);
    const api = service('api', { containers: [script('api')] });
    const worker = service('worker', { containers: [script('worker')] });
    const pooler = service('pgbouncer', { containers: [cfg(['pgbouncer'], ['LISTEN_PORT=26683'])] });
    const graph = new DependencyGraph([api, worker, pooler]);
    expect(graph.listeners('api', 26682)).toEqual([]);
    expect(graph.addressOwner('api', '127.0.0.1', 26682)).toBeUndefined();
    expect(graph.configuredWith(26682).sort()).toEqual(['api', 'worker']);
    expect(graph.surePorts('pgbouncer')).toEqual([26683]);
    // a published port is a listen, whatever its environment says
    const db = service('db', { containers: [{ ...(cfg(['postgres'], ['DATABASE_URL=postgres://127.0.0.1:26682/t']) as object), portBindings: [{ target: 26682, published: '26682', hostIp: '127.0.0.1', protocol: 'tcp' }] } as never] });
    expect(new DependencyGraph([api, db]).listeners('api', 26682)).toEqual(['db']);
    // a server's argv flag is a listen even when its environment holds its own URL (gunicorn -b with BASE_URL, redis
    // --port with REDIS_URL); a client of it depends on it
    const web = service('web', { containers: [cfg(['gunicorn', '-b', '0.0.0.0:8000', 'app:app'], ['BASE_URL=http://localhost:8000'])] });
    const redis = service('redis', { containers: [cfg(['sh', '-c', 'redis-server --port 6379'], ['REDIS_URL=redis://127.0.0.1:6379'])] });
    const proxy = service('proxy', { containers: [cfg(['nginx'], ['UPSTREAM=127.0.0.1:8000', 'CACHE=redis://127.0.0.1:6379'])] });
    const g = new DependencyGraph([web, redis, proxy]);
    expect(g.listeners('proxy', 8000)).toEqual(['web']);
    expect(g.listeners('proxy', 6379)).toEqual(['redis']);
    expect([...g.closure('proxy').keys()].sort()).toEqual(['redis', 'web']);
  });

  it('a server naming its own listen address in its environment does not depend on a client that prints that address', () => {
    const db = service('db', { containers: [cfg(['httpd', '-f', '-p', '127.0.0.1:24871'], ['LISTEN_ADDRESS=127.0.0.1:24871'])], spec: { dependsOn: [] } });
    const api = service('api', { containers: [cfg(['sh', '-c', 'nc -w 1 127.0.0.1 24871 || echo "error: connect ECONNREFUSED 127.0.0.1:24871"'])], spec: { dependsOn: ['db'] } });
    const graph = new DependencyGraph([db, api]);
    expect([...graph.closure('db').keys()]).toEqual([]);
    expect([...graph.closure('api').keys()]).toEqual(['db']);
  });

  it('a client variable of a listening kind (DB_ADDR) still names the server that listens there', () => {
    const db = service('db', { containers: [cfg(['nc', '-lk', '-p', '15432'])], spec: { dependsOn: [] } });
    const api = service('api', { containers: [cfg(['node', 'api.js'], ['DB_ADDR=127.0.0.1:15432'])], spec: { dependsOn: [] } });
    expect([...new DependencyGraph([db, api]).closure('api').keys()]).toEqual(['db']);
  });

  it('a server told its address by a flag or by a variable named after it is not made to depend on a client printing that address', () => {
    const printer = cfg(['sh', '-c', 'nc -w 1 127.0.0.1 9000 || echo "dial tcp 127.0.0.1:9000: connect: connection refused"'], ['S3_ENDPOINT=http://127.0.0.1:9000']);
    for (const command of [['minio', 'server', '--address', '127.0.0.1:9000', '/data'], ['minio', 'server', '/data']]) {
      const minio = service('minio', { containers: [cfg(command, ['MINIO_ADDRESS=127.0.0.1:9000'])], spec: { dependsOn: [] } });
      const up = service('uploader', { containers: [printer], spec: { dependsOn: [] } });
      const graph = new DependencyGraph([minio, up]);
      expect([...graph.closure('minio').keys()], command.join(' ')).toEqual([]);
      expect([...graph.closure('uploader').keys()], command.join(' ')).toEqual(['minio']);
    }
  });

  it('two clients naming a server by *_ADDR variables depend on the server, not on each other', () => {
    const a = service('a', { containers: [cfg(['server', '127.0.0.1:8001'])], spec: { dependsOn: [] } });
    const b = service('b', { containers: [cfg(['node', 'b.js'], ['UPSTREAM_ADDR=127.0.0.1:8001'])], spec: { dependsOn: [] } });
    const c = service('c', { containers: [cfg(['node', 'c.js'], ['BACKEND_ADDR=127.0.0.1:8001'])], spec: { dependsOn: [] } });
    const graph = new DependencyGraph([a, b, c]);
    expect([...graph.closure('b').keys()]).toEqual(['a']);
    expect([...graph.closure('c').keys()]).toEqual(['a']);
  });

  it('a host name ending in a digit (compose v2 names: shop-api-1:8080) or a time is no listen address', () => {
    const api = service('api', { containers: [cfg(['server', '127.0.0.1:8080'])], spec: { dependsOn: [] } });
    const cron = service('cron', { containers: [cfg(['sh', '-c', 'echo "12:30 run" && curl http://shop-api-1:8080/jobs'])], spec: { dependsOn: [] } });
    const web = service('web', { containers: [cfg(['nginx'], ['API=127.0.0.1:8080'])], spec: { dependsOn: [] } });
    expect([...new DependencyGraph([api, cron, web]).closure('web').keys()]).toEqual(['api']);
  });

  it('still reads a listen address given on a command line', () => {
    const api = service('api', { containers: [cfg(['gunicorn', '-b', '127.0.0.1:8000', 'app:app'])], spec: { dependsOn: [] } });
    const plain = service('web', { containers: [cfg(['server', '127.0.0.1:8001'])], spec: { dependsOn: [] } });
    const proxy = service('proxy', { containers: [cfg(['nginx'], ['UPSTREAM=127.0.0.1:8000', 'OTHER=http://127.0.0.1:8001/'])], spec: { dependsOn: [] } });
    const graph = new DependencyGraph([api, plain, proxy]);
    expect([...graph.closure('proxy').keys()].sort()).toEqual(['api', 'web']);
  });
});

describe('DependencyGraph.closure({ declaredOnly })', () => {
  it('follows what the files declare, not addresses read in the environment', () => {
    const db = service('db', { containers: [cfg(['postgres'], ['PGPORT=5432', 'BACKUP_URL=http://127.0.0.1:9100/'])], spec: { dependsOn: [] } });
    const api = service('api', { containers: [cfg(['node', 'server.js', '--port', '9100'], ['DATABASE_URL=postgres://u@127.0.0.1:5432/x'])], spec: { dependsOn: ['db'] } });
    const graph = new DependencyGraph([db, api]);
    expect([...graph.closure('db').keys()]).toEqual(['api']);
    expect([...graph.closure('db', { declaredOnly: true }).keys()]).toEqual([]);
    expect([...graph.closure('api', { declaredOnly: true }).keys()]).toEqual(['db']);
  });
});
