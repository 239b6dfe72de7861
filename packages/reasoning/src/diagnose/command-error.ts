/**
 * A database server's report that one command a client sent failed: Postgres writes `ERROR:  ` (two spaces, its
 * elog signature) when "the current command" is aborted, while the session and the server go on (FATAL ends a
 * session, PANIC the server). A rise of such lines says what the clients ask (a query on a column a release expects
 * but a migration never made, a syntax error), not that the server is unwell: the fault is the sender's, and the
 * server's own trouble (a full disk, no memory) has its own patterns and facts. The `STATEMENT:  ` line that follows
 * one quotes the command.
 */
const COMMAND_ERROR = /(?:^|\s)(?:ERROR|STATEMENT): {2}\S/;

/** An ERROR that speaks of the server's own state, not of what was asked: a deadlock, a read-only server after a failover, a time-out, a file or memory it could not get. */
const SERVER_STATE = /\b(?:deadlock detected|read-only transaction|canceling statement due to|could not (?:extend|write|open|read|fsync|create|resize)|out of memory|No space left|too many connections|the database system is)\b/i;

export function commandError(text: string): boolean {
  return COMMAND_ERROR.test(text) && !SERVER_STATE.test(text);
}
