import { describe, expect, it } from 'vitest';
import { headerLength, maskVariables, readLine, tokenize } from './mask.js';

/** the header and the message of a raw line, as the miner splits them */
function split(line: string): [string[], string] {
  const tokens = tokenize(line);
  const n = headerLength(tokens);
  return [tokens.slice(0, n), tokens.slice(n).join(' ')];
}

describe('masking and tokenizing', () => {
  it('masks a number with a unit also at the end of a sentence', () => {
    expect(maskVariables('request timed out after 30000ms.')).toBe('request timed out after <*>.');
    expect(maskVariables('took 12.5s. Retrying')).toBe('took <*>. Retrying');
  });

  it('masks node and host ids of several lettered-and-numbered parts, not versions or names with one number', () => {
    expect(maskVariables('R02-M1-N0-C:J12-U11 RAS KERNEL INFO on node1.rack2 and k8s-node7')).toBe('<*> RAS KERNEL INFO on <*> and <*>');
    expect(maskVariables('loaded log4j-1.2.jar for broadcast_9_piece0')).toBe('loaded log4j-<*>.jar for broadcast_<*>_piece0');
  });

  it('keeps a dict literal and an exception or call written with its arguments as one token (a value of any length)', () => {
    const a = tokenize("Task tasks.resize[ab12] succeeded in 0.5s: {'id': 7, 'status': 'done'}");
    const b = tokenize("Task tasks.resize[cd34] succeeded in 1.2s: {'id': 9, 'status': 'failed', 'reason': 'too big'}");
    expect(a).toHaveLength(b.length);
    expect(tokenize("job 5 raised: ValueError('bad input here')")).toEqual(['job', '<*>', 'raised:', "ValueError('bad input here')"]);
    // a parenthesis after a lowercase word or standing alone is not a call: its words stay words
    expect(tokenize('pam_unix(sshd:auth): authentication failure')).toEqual(['pam_unix(sshd:auth):', 'authentication', 'failure']);
    expect(tokenize('1 (message format version), 1 (n.leader)')).toContain('(message');
  });

  it('reads a key with a quoted value as one token, and a stamp whose hour is padded with a space as one stamp', () => {
    const a = tokenize('Error while reading error="read tcp 10.0.0.2:443->1.2.3.4:5: i/o timeout" entryPoint=web');
    const b = tokenize('Error while reading error="read tcp 10.0.0.2:443->1.2.3.4:6: read: connection reset by peer" entryPoint=web');
    expect(a).toHaveLength(b.length);
    expect(tokenize('x msg="a \\"quoted\\" word here" y')).toHaveLength(3);
    expect(tokenize('2024-11-04  8:36:20 545 [Warning] Aborted connection')).toEqual(tokenize('2024-11-04 21:01:57 2989 [Warning] Aborted connection'));
  });

  it('keeps a quoted field with spaces as one token, and reads a quoted dash as an empty value', () => {
    // an access log: the user agent is one field however many words it has; "-" is a field written empty
    const a = tokenize('10.0.0.5 - - [03/Jun/2024:07:12:48 +0000] "GET /x HTTP/1.1" 200 12 "-" "Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0" "-"');
    const b = tokenize('10.0.0.6 - - [03/Jun/2024:07:12:49 +0000] "GET /y HTTP/1.1" 200 13 "https://a.example/" "curl/8.5.0" "1.2.3.4"');
    expect(a).toHaveLength(b.length);
    expect(a.slice(-3, -2)).toEqual(['"<*>"']);
    expect(a.at(-1)).toBe('"<*>"');
    // two empty fields side by side stay two (a list of values is one token only when unquoted)
    expect(tokenize('a "-" "-" b')).toEqual(['a', '"<*>"', '"<*>"', 'b']);
    // a request line is not one field: its method tells events apart
    expect(tokenize('"GET /x HTTP/1.1" 200')).toEqual(['"GET', '/x', 'HTTP/<*>"', '<*>']);
    // a quoted word is a value (a name the program was given), its punctuation after it kept
    expect(tokenize('Post "https://h/x?a=1": dial tcp')).toEqual(['Post', '"<*>":', 'dial', 'tcp']);
    expect(tokenize("queue 'orders' in vhost '/': leader elected")).toEqual(['queue', "'<*>'", 'in', 'vhost', "'<*>':", 'leader', 'elected']);
    expect(tokenize('relation "users" does not exist')).toEqual(['relation', '"<*>"', 'does', 'not', 'exist']);
    // (a quote inside a word, an apostrophe, opens nothing: "can't", "worker's")
    expect(tokenize("can't reach worker's queue")).toEqual(["can't", 'reach', "worker's", 'queue']);
  });

  it("reads the members of a JSON object with its braces taken off as that object: its message names the event, its keys are fields", () => {
    const a = readLine('"level":"warn","msg":"upstream slow","upstream":"api:8080","took_ms":812');
    const b = readLine('"level":"warn","msg":"upstream slow","upstream":"web:3000","took_ms":95');
    expect(a.group).toBeDefined();
    expect(a.group).toBe(b.group);
    expect(readLine('"msg":"cache miss","key":"u:7"').group).not.toBe(readLine('"msg":"cache hit","key":"u:7"').group);
    // (a quoted phrase that is no object stays words)
    expect(readLine('"hello": said the server').group).toBeUndefined();
  });

  it('keeps a bracketed field with spaces as one token, and a sigil number with the word before it', () => {
    expect(tokenize('2015-10-18 18:01:54,791 INFO [RMCommunicator Allocator] org.x.Y: Before Scheduling')).toEqual([
      '<*>',
      'INFO',
      '[RMCommunicator Allocator]',
      'org.x.Y:',
      'Before',
      'Scheduling',
    ]);
    expect(tokenize('[07.26 13:30:34] chrome.exe *64 - www.baidu.com:80 open')).toEqual(['[<*> <*>]', 'chrome.exe *<*>', '-', '<*>', 'open']);
  });

  it('finds the header of raw lines in common formats', () => {
    expect(split('081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating')).toEqual([
      ['<*>', '<*>', '<*>', 'INFO', 'dfs.DataNode$PacketResponder:'],
      'PacketResponder <*> for block blk_<*> terminating',
    ]);
    expect(split('Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2')).toEqual([
      ['<*>', 'LabSZ', 'sshd[<*>]:'],
      'Failed password for invalid user webmaster from <*> port <*> ssh2',
    ]);
    expect(split('Jun 15 04:06:20 combo kernel: Linux version 2.6.5 started')).toEqual([['<*>', 'combo', 'kernel:'], 'Linux version <*> started']);
    expect(split('2015-07-29 19:04:12,394 - INFO  [/10.10.34.11:3888:QuorumCnxManager$Listener@493] - Received connection request /10.10.34.11:45307')).toEqual([
      ['<*>', '-', 'INFO', '[/<*>:QuorumCnxManager$Listener@<*>]', '-'],
      'Received connection request /<*>',
    ]);
    expect(split('- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected')).toEqual([
      ['-', '<*>', '<*>', '<*>', '<*>', '<*>', 'RAS', 'KERNEL', 'INFO'],
      'instruction cache parity error corrected',
    ]);
    expect(split('[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties')).toEqual([
      ['[<*>]', '[notice]'],
      'workerEnv.init() ok /etc/httpd/conf/workers2.properties',
    ]);
    expect(split('2025-11-25 10:00:00,123 - app.db - INFO - connected to postgres')).toEqual([['<*>', '-', 'app.db', '-', 'INFO', '-'], 'connected to postgres']);
    expect(split('2025-11-25T10:00:00.123Z ERROR db connection lost')).toEqual([['<*>', 'ERROR'], 'db connection lost']);
  });

  it('finds no header in a message alone', () => {
    for (const message of [
      'Client attempting to establish new session at /10.10.34.19:33425',
      'BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/part-00590. blk_-1727475099218615100',
      '1 torus receiver z+ input pipe error(s) (dcr 0x02f0) detected and corrected',
      'Task: attempt_1445144423722_0020_m_000002_0 - exited : java.net.NoRouteToHostException: No Route to Host',
      'GET /api/orders/3 200 21 ms',
    ])
      expect(split(message)[0]).toEqual([]);
  });
});

describe('headers only where a line has one (mechanisms that generalise)', () => {
  it('does not take the first words of a message for a header when it opens with an address or a bracketed field with words', () => {
    for (const message of [
      '10.11.10.1 "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2477829',
      '192.168.0.7 "POST /api/v1/orders HTTP/2.0" code: 201 bytes: 52',
      '[instance: b9000564-fe1a-409b-b8cc-1e88b294cd1d] Total memory: 64172 MB, used: 512.00 MB',
      '[job: 42] Queue depth: 17 items',
      '[conn 3f2a] Peer state: ESTABLISHED',
    ])
      expect(split(message)[0]).toEqual([]);
  });

  it('still finds a header after a bracketed thread when a level follows it, and after a file name and a stamp', () => {
    expect(split('[main] INFO org.example.App: started in 3 s')).toEqual([['[main]', 'INFO', 'org.example.App:'], 'started in <*> s']);
    expect(split('api.log.1.2017-05-16_13:53:08 2017-05-16 00:00:00.008 25746 INFO app.wsgi.server [req-38101a0b-2096-447d-96ea-a692162415ae - default] GET done')[1]).toBe('GET done');
    // a file-like first word and a stamp, but no level word: no header
    expect(split('worker-7.log 12 jobs waiting: 3')[0]).toEqual([]);
  });
});

describe('masking ids glued to words', () => {
  it('masks UUIDs and hashes that an underscore or a dash joins to a word', () => {
    expect(maskVariables('/var/lib/x/instances/b9000564-fe1a-409b-b8cc-1e88b294cd1d_del')).toBe('/var/lib/x/instances/<*>_del');
    expect(maskVariables('req-38101a0b-2096-447d-96ea-a692162415ae')).toBe('req-<*>');
    expect(maskVariables('amd64_servicing_31bf3856ad364e35_none_681aa442f6fed7f0')).toBe('amd64_servicing_<*>_none_<*>');
    // one-letter-one-digit words are no hashes
    expect(maskVariables('ext4_journal on sda1 and utf8')).toBe('ext4_journal on sda1 and utf8');
  });

  it('drops a size restated in parentheses with a unit, but keeps a parenthesised address', () => {
    expect(maskVariables('close, 3853 bytes (3.76 KB) sent')).toBe('close, <*> bytes sent');
    expect(maskVariables('connection from 10.0.0.1 (10.0.0.1) at noon')).toBe('connection from <*> (<*>) at noon');
  });
});
