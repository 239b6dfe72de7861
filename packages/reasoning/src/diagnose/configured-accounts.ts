import type { ServiceSignals } from './signals.js';

/** The users and databases the services read here are configured to connect as and to. */
export interface ConfiguredAccounts {
  users: Set<string>;
  databases: Set<string>;
}

const read = new WeakMap<readonly ServiceSignals[], ConfiguredAccounts>();
const USER_KEY = /^(?:PGUSER|(?:\w+_)?(?:USER|USERNAME|LOGIN))$/i;
const DATABASE_KEY = /^(?:PGDATABASE|(?:\w+_)?(?:DB|DATABASE|DBNAME|DB_NAME))$/i;
/** `scheme://user[:password]@host[:port][/database]`: the user, and the database of the path */
const URL_ACCOUNT = /[a-z][\w+.-]{0,30}:\/\/([^:@/\s]{1,128})(?::[^@/\s]{0,256})?@[^/\s?#]{1,255}(?:\/([^/?#\s]{1,128}))?/gi;
const USER_FLAGS = new Set(['-U', '--username', '--user', '-u']);
const DATABASE_FLAGS = new Set(['-d', '--dbname', '--database']);

function fromUrls(value: string, into: ConfiguredAccounts): void {
  for (const m of value.matchAll(URL_ACCOUNT)) {
    if (m[1]) into.users.add(decodeURIComponent(m[1]));
    if (m[2]) into.databases.add(decodeURIComponent(m[2]));
  }
}

/**
 * Who the services connect as, read where configuration says so: a `*_USER`/`PGUSER` or `*_DB`/`*_DATABASE` variable,
 * a URL's user and database (`postgres://app:…@db:5432/shop`), the flags `-U`/`--username`, `-d`/`--dbname`, and
 * libpq's `user=`/`dbname=`. Not the program's name (the image's `postgres`), not a URL's scheme, not a script's text.
 */
export function configuredAccounts(services: readonly ServiceSignals[]): ConfiguredAccounts {
  // read once per diagnosis: every analyzer call on every service asks about the same services
  const known = read.get(services);
  if (known) return known;
  const out: ConfiguredAccounts = { users: new Set(), databases: new Set() };
  read.set(services, out);
  for (const svc of services) {
    for (const c of svc.containers) {
      for (const e of c.config.env) {
        const at = e.indexOf('=');
        if (at <= 0) continue;
        const key = e.slice(0, at);
        const value = e.slice(at + 1);
        if (USER_KEY.test(key) && value && !/\s/.test(value)) out.users.add(value);
        if (DATABASE_KEY.test(key) && value && !/\s/.test(value)) out.databases.add(value);
        fromUrls(value, out);
      }
      const argv = [...(c.config.entrypoint ?? []), ...(c.config.cmd ?? [])];
      argv.forEach((arg, i) => {
        // the program itself, and a script's text (an argument with spaces or lines), name no account
        if (i === 0 || /\s/.test(arg)) return;
        const next = argv[i + 1];
        if (next !== undefined && !/\s/.test(next) && !next.startsWith('-')) {
          if (USER_FLAGS.has(arg)) out.users.add(next.split(':')[0] as string);
          if (DATABASE_FLAGS.has(arg)) out.databases.add(next);
        }
        const eq = /^(--username|--user|--dbname|--database|user|dbname)=(\S+)$/.exec(arg);
        if (eq) (eq[1] === '--dbname' || eq[1] === '--database' || eq[1] === 'dbname' ? out.databases : out.users).add(eq[2] as string);
        fromUrls(arg, out);
      });
    }
  }
  return out;
}
