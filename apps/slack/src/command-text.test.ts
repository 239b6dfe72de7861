import { describe, expect, it } from 'vitest';
import { parseRequest } from './command-text.js';

describe('parseRequest', () => {
  it('reads each verb', () => {
    expect(parseRequest('status')).toEqual({ kind: 'status' });
    expect(parseRequest('  DRIFT ')).toEqual({ kind: 'drift' });
    expect(parseRequest('proposals')).toEqual({ kind: 'proposals' });
    expect(parseRequest('why api')).toEqual({ kind: 'why', service: 'api' });
    expect(parseRequest('diagnose api responses are slow')).toEqual({ kind: 'why', service: 'api', complaint: 'responses are slow' });
    expect(parseRequest('ask which service uses the most memory?')).toEqual({ kind: 'ask', question: 'which service uses the most memory?' });
  });
  it('drops a mention and Slack markup around the service', () => {
    expect(parseRequest('<@U0BOT> why *api* 500 errors')).toEqual({ kind: 'why', service: 'api', complaint: '500 errors' });
  });
  it('answers help, never a guess, for what is not a request', () => {
    expect(parseRequest('')).toEqual({ kind: 'help' });
    expect(parseRequest('restart api')).toMatchObject({ kind: 'help', problem: expect.stringContaining('unknown request "restart"') });
    expect(parseRequest('why')).toMatchObject({ kind: 'help', problem: expect.stringContaining('needs a service') });
    expect(parseRequest('why a;rm')).toMatchObject({ kind: 'help', problem: expect.stringContaining('not a service') });
    expect(parseRequest('ask')).toMatchObject({ kind: 'help', problem: expect.stringContaining('needs a question') });
  });
});
