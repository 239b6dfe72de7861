import type { AuditEntry, Store } from '@bcon/store';
import { appendAudit } from '@bcon/store';

/** Append an audit entry stamped now (second precision, as the architecture's format shows). */
export function audit(store: Store, entry: Omit<AuditEntry, 'timestamp'>): void {
  appendAudit(store, { timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'), ...entry });
}
