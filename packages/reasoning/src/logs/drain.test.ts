import { describe, expect, it } from 'vitest';
import { levelOf, mineTemplates } from './analyze.js';
import { TemplateMiner } from './drain.js';
import { maskVariables } from './mask.js';

describe('the template miner', () => {
  it('groups lines that differ only in their variables, and keeps different messages apart', () => {
    const report = mineTemplates([
      'Connection from 10.0.0.1:5432 accepted',
      'login of user alice after 35 ms',
      'Connection from 10.0.0.2:5433 accepted',
      'login of user bob after 120 ms',
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      'login of user carol after 7 ms',
    ]);
    expect(report.lines).toBe(6);
    expect(report.templates.map((t) => [t.template, t.count, t.lines, t.level])).toEqual([
      ['login of user <*> after <*> ms', 3, [2, 4, 6], 'info'],
      ['Connection from <*> accepted', 2, [1, 3], 'info'],
      ['Error: connect ECONNREFUSED <*>', 1, [5], 'error'],
    ]);
  });

  it('masks timestamps, addresses, ids and numbers without configuration', () => {
    expect(maskVariables('2026-01-01T10:00:00.123Z GET /api/7 from 192.168.1.4 took 12ms id=0xdeadbeef uuid=123e4567-e89b-12d3-a456-426614174000')).toBe(
      '<*> GET /api/<*> from <*> took <*> id=<*> uuid=<*>',
    );
    expect(maskVariables('proxy.example.com:443 close, lifetime <1 sec')).toBe('<*> close, lifetime <*>');
  });

  it('takes a list of values of any length as one variable', () => {
    const report = mineTemplates(['ask 10.0.0.1:50010 to delete blk_-12 blk_34', 'ask 10.0.0.2:50010 to delete blk_56 blk_-78 blk_9 blk_10']);
    expect(report.templates.map((t) => [t.template, t.count])).toEqual([['ask <*> to delete blk_<*>', 2]]);
  });

  it('groups raw lines by their message, whatever the time stamp, host, level, thread or logger in front', () => {
    const report = mineTemplates([
      '2015-10-18 18:05:27,570 WARN [LeaseRenewer:msrabi@msra-sa-41:9000] org.apache.hadoop.ipc.Client: Address change detected. Old: msra-sa-41/10.190.173.170:9000 New: msra-sa-41:9000',
      '2015-10-18 18:06:02,841 WARN [RMCommunicator Allocator] org.apache.hadoop.ipc.Client: Address change detected. Old: msra-sa-41/10.190.173.170:8030 New: msra-sa-41:8030',
      '- 1118767015 2005.06.14 R24-M1-N3-C:J16-U01 2005-06-14-09.36.55.370589 R24-M1-N3-C:J16-U01 RAS KERNEL FATAL data address: 0x00000002',
      '- 1118709955 2005.06.13 R10-M0-N1-C:J17-U11 2005-06-13-17.45.55.674418 R10-M0-N1-C:J17-U11 RAS KERNEL INFO instruction address: 0x00004ed8',
      '- 1118709956 2005.06.13 R10-M0-N2-C:J17-U01 2005-06-13-17.45.56.674418 R10-M0-N2-C:J17-U01 RAS KERNEL FATAL instruction address: 0x00004ed9',
      '[10.30 16:49:06] chrome.exe - proxy.cse.cuhk.edu.hk:5070 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
      '[07.26 13:30:34] chrome.exe *64 - www.baidu.com:80 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
      '[07.26 13:30:35] QQ.exe - www.qq.com:80 open through proxy proxy.cse.cuhk.edu.hk:5070 HTTPS',
    ]);
    expect(report.templates.map((t) => [t.template, t.lines])).toEqual([
      ['[<*> <*>] <*> - <*> open through proxy <*> HTTPS', [6, 7, 8]],
      ['<*> WARN <*> org.apache.hadoop.ipc.Client: Address change detected. Old: msra-sa-<*>/<*> New: msra-sa-<*>:<*>', [1, 2]],
      ['- <*> <*> <*> <*> <*> RAS KERNEL <*> instruction address: <*>', [4, 5]],
      ['- <*> <*> <*> <*> <*> RAS KERNEL FATAL data address: <*>', [3]],
    ]);
  });

  it('keeps apart lines that differ in two neighbouring words or in a capitalised keyword', () => {
    const report = mineTemplates([
      'Client attempting to establish new session at /10.10.34.19:33425',
      'Client attempting to renew session 0x24ed93119420016 at /10.10.34.13:37115',
      'Client attempting to establish new session at /10.10.34.20:33426',
      'task_1445144423722_0020_m_000000 Task Transitioned from NEW to SCHEDULED',
      'task_1445144423722_0020_m_000001 Task Transitioned from SCHEDULED to RUNNING',
      'task_1445144423722_0020_m_000002 Task Transitioned from NEW to SCHEDULED',
      'Invalid user admin from 10.0.0.1',
      'Invalid user test from 10.0.0.2',
      'Invalid user guest from 10.0.0.3',
    ]);
    expect(report.templates.map((t) => [t.template, t.count])).toEqual([
      ['Invalid user <*> from <*>', 3],
      ['Client attempting to establish new session at /<*>', 2],
      ['task_<*>_<*>_m_<*> Task Transitioned from NEW to SCHEDULED', 2],
      ['Client attempting to renew session <*> at /<*>', 1],
      ['task_<*>_<*>_m_<*> Task Transitioned from SCHEDULED to RUNNING', 1],
    ]);
  });

  it('takes key=value pairs as variable values under constant keys', () => {
    const report = mineTemplates([
      'audit action=login user=bob role=admin took 5 ms',
      'audit action=login user=alice role=viewer took 7 ms',
      'audit action=login user=carol role=editor took 9 ms',
    ]);
    expect(report.templates.map((t) => [t.template, t.count])).toEqual([['audit action=login user=<*> role=<*> took <*> ms', 3]]);
  });

  it('returns the template a line joined, as Drain does, with the miner options', () => {
    const miner = new TemplateMiner({ similarity: 0.5, depth: 1 });
    const a = miner.add('worker 1 started in 5 ms', 1);
    const b = miner.add('worker 2 started in 6 ms', 2, 'original text');
    expect(b).toBe(a);
    expect(a).toMatchObject({ id: 1, tokens: ['worker', '<*>', 'started', 'in', '<*>', 'ms'], count: 2, lines: [1, 2], sample: 'worker 1 started in 5 ms' });
  });

  it('reads levels from the words of a line', () => {
    expect(['FATAL: password authentication failed', 'WARNING: slow query', 'ready to accept connections'].map(levelOf)).toEqual(['error', 'warn', 'info']);
  });

  it('copes with odd input: binary bytes, invalid UTF-8, a 1 MB line', () => {
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0x41]).toString('utf8');
    const report = mineTemplates([binary, 'x'.repeat(1_000_000), '']);
    expect(report.lines).toBe(3);
    expect(report.templates.reduce((a, t) => a + t.count, 0)).toBe(3);
    expect(Math.max(...report.templates.map((t) => t.template.length))).toBeLessThanOrEqual(4096);
  });
});

/** the final groups of some lines, as [template, line numbers], oldest template first */
function groups(lines: string[]): Array<[string, number[]]> {
  const miner = new TemplateMiner();
  lines.forEach((l, i) => miner.add(l, i + 1));
  return miner.templates.map((t) => [t.tokens.join(' '), t.lines]);
}

describe('mechanisms that generalise beyond the data sets they were found on', () => {
  it('keeps short messages that differ in one plain word apart (another event, not a value)', () => {
    for (const [a, b] of [
      ['Starting TrustedInstaller initialization.', 'Starting TrustedInstaller finalization.'],
      ['Failed password for root', 'Failed none for root'],
      ['cache flush started', 'cache flush finished'],
      ['Shutdown processing thread terminated', 'Startup processing thread terminated'],
    ] as const) {
      expect(groups([a, b, a, b]).map(([, l]) => l)).toEqual([
        [1, 3],
        [2, 4],
      ]);
    }
  });

  it('needs four equal words for each plain word that differs, in longer messages too', () => {
    // one differing word among four equal ones: a value
    expect(groups(['job nightly finished for tenant alpha today', 'job nightly finished for tenant beta today'])).toHaveLength(1);
    // two differing words among five equal ones: another event
    expect(groups(['cache flush started for region east now ok', 'cache flush stopped for region west now ok'])).toHaveLength(2);
  });

  it('takes a value followed by a differing word for a value with its qualifier, two differing plain words for another wording', () => {
    expect(groups(['backup job copied /data/a (archive) to tape successfully today', 'backup job copied /data/b (snapshot) to tape successfully today'])).toHaveLength(1);
    expect(groups(['backup job copied daily archive to tape successfully today', 'backup job copied weekly snapshot to tape successfully today'])).toHaveLength(2);
  });

  it('still joins short messages that differ in a value-like token (path, host, quoted, key=value, id)', () => {
    for (const [a, b] of [
      ['Deleting files /var/lib/a/one', 'Deleting files /var/lib/b/two'],
      ['resolved host db.internal.example', 'resolved host cache.internal.example'],
      ["opened file 'alpha'", "opened file 'beta'"],
      ['retry mode=fast now', 'retry mode=slow now'],
      ['mounted volume sda1 ok', 'mounted volume sdb2 ok'],
    ] as const)
      expect(groups([a, b])).toHaveLength(1);
  });

  it('makes a word a variable once it took three values with everything else alike, also where it keys the tree', () => {
    // second token: a tree key, so these lines never meet in one leaf
    const states = ['Started', 'Paused', 'Resumed', 'Stopped', 'Suspended'].map((s) => `VM ${s} (Lifecycle Event)`);
    expect(groups(states)).toEqual([['VM <*> (Lifecycle Event)', [1, 2, 3, 4, 5]]]);
    // after a bracketed id, and a value that comes back later joins the merged template
    const prefixed = ['Running', 'Stopped', 'Deleted', 'Running'].map((s, i) => `[instance: 8c${i}f2a10-0000-4000-8000-00000000000${i}] state ${s} now`);
    expect(groups(prefixed)).toEqual([['[instance: <*>] state <*> now', [1, 2, 3, 4]]]);
    // in a short message too (user names)
    expect(groups(['Invalid user admin from 10.0.0.1', 'Invalid user test from 10.0.0.2', 'Invalid user oracle from 10.0.0.3'])).toEqual([
      ['Invalid user <*> from <*>', [1, 2, 3]],
    ]);
  });

  it('leaves two values apart, and never makes the first word or a capitalised keyword a variable', () => {
    expect(groups(['VM Started now', 'VM Paused now'])).toHaveLength(2);
    expect(groups(['tickTime set to 2000', 'initLimit set to 10', 'syncLimit set to 5', 'maxClientCnxns set to 60'])).toHaveLength(4);
    expect(groups(['0001 Creating transaction now', '0002 Created transaction now', '0003 Committing transaction now'])).toHaveLength(3);
    expect(groups(['proxy open via HTTPS', 'proxy open via SOCKS5', 'proxy open via HTTP', 'proxy open via SOCKS4'])).toHaveLength(4);
  });

  it('takes a word for a variable where the tree found too many words to branch on (a first word with hundreds of values)', () => {
    const names = Array.from({ length: 150 }, (_, i) => `user${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10) % 10]}${'uvwxyz'[Math.floor(i / 100)]}`);
    const miner = new TemplateMiner({ maxChildren: 100 });
    names.forEach((n, i) => miner.add(`${n} logged in`, i + 1));
    // the first 100 names have their own branches; the others share one, and there they are one template
    expect(miner.templates).toHaveLength(101);
    expect(miner.templates[100]).toMatchObject({ tokens: ['<*>', 'logged', 'in'], count: 50 });
  });

  it('bounds the work per line on ever new lines, and a template in use stays found in a crowded leaf', () => {
    const word = (n: number): string => n.toString(26).replace(/[0-9]/g, (d) => 'qrstuvwxyz'[Number(d)] as string);
    const miner = new TemplateMiner();
    let line = 0;
    for (let i = 0; i < 1000; i++) {
      // two neighbouring new words: a new template each time, all in one leaf
      miner.add(`step one ${word(i * 2 + 1000)} ${word(i * 2 + 1001)}`, ++line);
      if (i % 50 === 0) miner.add('step one fixed thing', ++line);
    }
    expect(miner.templates.find((t) => t.tokens.join(' ') === 'step one fixed thing')?.count).toBe(20);
  });

  it('returns the template a line joined; once absorbed, the oldest template holds all its lines', () => {
    const miner = new TemplateMiner();
    const first = miner.add('disk sda state clean ok', 1);
    miner.add('disk sda state dirty ok', 2);
    const third = miner.add('disk sda state degraded ok', 3);
    expect(third).toBe(first);
    expect(miner.templates).toEqual([expect.objectContaining({ id: first.id, tokens: ['disk', 'sda', 'state', '<*>', 'ok'], count: 3, lines: [1, 2, 3] })]);
  });

  it('reads what a key is set to as a value: `user=a database=a` and `user=b database=b` are one event', () => {
    const report = mineTemplates([
      'connection authorized: user=shop database=shop',
      'connection authorized: user=billing database=billing',
      'connection authorized: user=postgres database=postgres',
      'connection authorized: user=shop database=shop',
      'state: RUNNING for job 4',
      'state: STOPPED for job 5',
    ]);
    expect(report.templates.map((t) => t.lines)).toEqual([[1, 2, 3, 4], [5], [6]]);
  });
  it('reads a key set to a word in capitals as a value too (`method=GET`, `method=POST`: one statement prints both)', () => {
    const report = mineTemplates([
      'app.access: rid=a1 method=GET path=/a status=200 ms=3',
      'app.access: rid=b2 method=POST path=/b status=201 ms=9',
      'app.access: rid=c3 method=DELETE path=/c status=204 ms=4',
      'state: RUNNING for job 4',
      'state: STOPPED for job 5',
    ]);
    expect(report.templates.map((t) => t.lines)).toEqual([[1, 2, 3], [4], [5]]);
  });
  it('reads a line of comma-joined pairs (`k=v, k=v`, values with spaces) by its keys, and a bracketed `[key=value]` as a value', () => {
    const report = mineTemplates([
      'Order{id=41, status=PAID, note=left at the door, courier=dhl}',
      'kind=DELIVERY_FAILED, orderId=41, cause=address not found, carrier=ups',
      'kind=DELIVERY_FAILED, orderId=42, cause=recipient absent, carrier=dhl',
      'kind=RETURNED, orderId=43, cause=damaged in transit, carrier=dhl',
      'kind=DELIVERY_FAILED, orderId=44, cause=address not found, carrier=ups, attempt=2',
      '[tenant=acme] Rebuilding search index for 120 documents',
      '[tenant=globex] Rebuilding search index for 7 documents',
      '[tenant=acme] Search index rebuilt in 3 s',
    ]);
    expect(report.templates.map((t) => t.lines).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([[1], [2, 3, 4], [5], [6, 7], [8]]);
  });
  it('does not take the message words after an address or a bracketed id for a header (they still tell events apart)', () => {
    const report = mineTemplates([
      '10.0.0.1 "GET /v2/abc/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2',
      '10.0.0.1 "POST /v2/abc/os-server-external-events HTTP/1.1" status: 200 len: 380 time: 0.09',
      '10.0.0.2 "GET /v2/abc/servers/7 HTTP/1.1" status: 404 len: 296 time: 0.08',
      '[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Total memory: 64172 MB, used: 512.00 MB',
      '[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] memory limit: 96258.00 MB, free: 95746.00 MB',
      '[instance: 3edec1e4-9678-4a3a-a21b-a145a4ee5e61] Total memory: 64172 MB, used: 2560.00 MB',
    ]);
    expect(report.templates.map((t) => t.lines)).toEqual([[1, 3], [4, 6], [2], [5]]);
  });
  it('takes a compose prefix (`name  |`) for a header: the service name does not make short messages look alike', () => {
    const report = mineTemplates([
      'app-1  | Starting cache initialization.',
      'app-1  | Starting cache finalization.',
      'app-2  | Starting cache initialization.',
      'app-1  | 2024-05-01 10:00:00,123 INFO Starting cache finalization.',
      'app-2  | 2024-05-01 10:00:01,123 WARN Starting cache finalization.',
    ]);
    expect(report.templates.map((t) => [t.template, t.lines])).toEqual([
      ['app-<*> | Starting cache initialization.', [1, 3]],
      ['app-<*> | <*> <*> Starting cache finalization.', [4, 5]],
      ['app-<*> | Starting cache finalization.', [2]],
    ]);
  });
});
