import { describe, expect, it } from 'vitest';
import { complaintTopics } from './complaint.js';

describe('complaintTopics', () => {
  it('reads slowness from whole words, not from inside others', () => {
    expect(complaintTopics('the login hangs').has('slow')).toBe(true);
    expect(complaintTopics('dashboards lag behind').has('slow')).toBe(true);
    expect(complaintTopics('the page hung for a minute').has('slow')).toBe(true);
    expect(complaintTopics('login broken since the password change').has('slow')).toBe(false);
    expect(complaintTopics('the feature flag is ignored').has('slow')).toBe(false);
  });
});
