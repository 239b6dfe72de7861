import { describe, expect, it } from 'vitest';
import { localPortsOf } from './proxy.js';

describe('localPortsOf: the ports a host holds, from /proc/net/tcp and tcp6', () => {
  it('reads the local port of every row, listening or connected, IPv4 and IPv6; skips headers and junk', () => {
    const table = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:5BA0 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0',
      '   1: 0100007F:D431 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1',
      '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 00000000000000000000000001000000:7D0B 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 100 0 0 10 0',
      'garbage line',
    ].join('\n');
    expect([...localPortsOf(table)].sort((a, b) => a - b)).toEqual([23456, 32011, 54321]);
  });
});
