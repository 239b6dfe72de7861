import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CAUSE_CODES, LOG_PATTERNS, MAX_EXAMINED_LENGTH, failuresIn, httpStatus, matchLogLine, requestLatencyMs } from './log-patterns.js';
import type { LogTarget } from './log-patterns.js';

const ids = (line: string): string[] => matchLogLine(line).map((m) => m.pattern.id);
const causes = (line: string): string[] => [...new Set(matchLogLine(line).map((m) => m.pattern.cause))];
const matchOf = (line: string, id: string) => matchLogLine(line).find((m) => m.pattern.id === id);

/** One realistic line per pattern (at least), as the software prints it; the target it should yield, when it names one. */
const POSITIVES: Array<[id: string, line: string, target?: LogTarget]> = [
  // connection_refused
  ['econnrefused', 'Error: connect ECONNREFUSED 127.0.0.1:5432', { host: '127.0.0.1', port: 5432 }],
  ['econnrefused', 'Error: connect ECONNREFUSED ::1:5432', { host: '::1', port: 5432 }],
  // a JSON line carries libpq's message with its quotes escaped (Hasura)
  ['connection-refused', String.raw`{"code":"postgres-error","error":"connection error","internal":"connection to server at \"127.0.0.1\", port 29055 failed: Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?\n","path":"$"}`, { host: '127.0.0.1', port: 29055 }],
  [
    'econnrefused',
    '{"level":50,"time":1764064800000,"pid":1,"hostname":"api","err":{"type":"Error","message":"connect ECONNREFUSED 172.18.0.4:6379","errno":-111,"code":"ECONNREFUSED","syscall":"connect","address":"172.18.0.4","port":6379},"msg":"redis unavailable"}',
    { host: '172.18.0.4', port: 6379 },
  ],
  ['econnrefused', '{"level":50,"err":{"code":"ECONNREFUSED","syscall":"connect","address":"10.0.0.7","port":5432},"msg":"db down"}', { host: '10.0.0.7', port: 5432 }],
  ['econnrefused', '{"level":50,"pid":1,"hostname":"api-7f9c","err":{"code":"ECONNREFUSED"},"msg":"db down"}'],
  ['connection-refused', 'psql: could not connect to server: Connection refused'],
  ['connection-refused', 'ConnectionRefusedError: [Errno 111] Connection refused'],
  ['connection-refused', 'dial tcp 127.0.0.1:6379: connect: connection refused', { host: '127.0.0.1', port: 6379 }],
  ['connection-refused', 'dial tcp [::1]:6379: connect: connection refused', { host: '::1', port: 6379 }],
  [
    'connection-refused',
    '2026/11/25 10:00:00 [error] 29#29: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.18.0.1, server: localhost, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:3000/", host: "localhost:8080"',
    { host: '127.0.0.1', port: 3000 },
  ],
  [
    'connection-refused',
    'psql: error: connection to server at "db" (172.18.0.2), port 5432 failed: Connection refused',
    { host: 'db', port: 5432 },
  ],
  [
    'connection-refused',
    "requests.exceptions.ConnectionError: HTTPConnectionPool(host='api', port=8000): Max retries exceeded with url: /health (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))",
    { host: 'api', port: 8000 },
  ],
  ['connection-refused', 'redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.', { host: 'redis', port: 6379 }],
  ['connection-refused', 'io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: localhost/127.0.0.1:6379', { host: 'localhost', port: 6379 }],
  ['connection-refused', 'java.net.ConnectException: Connection refused'],
  ['connection-refused', 'SQLSTATE[HY000] [2002] Connection refused'],
  [
    'pgjdbc-connection-refused',
    'org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
    { host: 'localhost', port: 5432 },
  ],
  ['redis-connection-refused', 'Error: Redis connection to 127.0.0.1:6379 failed - connect ECONNREFUSED 127.0.0.1:6379', { host: '127.0.0.1', port: 6379 }],
  ['mysql-connection-refused', "ERROR 2003 (HY000): Can't connect to MySQL server on 'db:3306' (111)", { host: 'db', port: 3306 }],
  ['mysql-connection-refused', "(2003, \"Can't connect to MySQL server on 'db' (111)\")", { host: 'db' }],
  ['postgres-not-ready', '2026-11-25 10:00:00.123 UTC [63] FATAL:  the database system is starting up'],
  ['postgres-not-ready', 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  the database system is shutting down'],
  ['postgres-too-many-clients', '2026-11-25 10:00:00.123 UTC [812] FATAL:  sorry, too many clients already'],
  ['postgres-too-many-clients', 'FATAL:  remaining connection slots are reserved for non-replication superuser connections'],
  ['mysql-too-many-connections', 'ERROR 1040 (HY000): Too many connections'],

  // dependency_down
  ['postgres-server-not-running', '\tIs the server running on host "db" (172.18.0.2) and accepting', { host: 'db' }],
  ['postgres-server-not-running', '\tIs the server running locally and accepting connections on that socket?'],
  ['mysql-cant-connect', "ERROR 2003 (HY000): Can't connect to MySQL server on 'db:3306' (110)", { host: 'db', port: 3306 }],
  ['mysql-local-socket', "ERROR 2002 (HY000): Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)", { path: '/var/run/mysqld/mysqld.sock' }],
  ['host-unreachable', 'Error: connect EHOSTUNREACH 172.18.0.5:5432', { host: '172.18.0.5', port: 5432 }],
  ['host-unreachable', 'dial tcp 10.0.0.9:9200: connect: no route to host', { host: '10.0.0.9', port: 9200 }],
  [
    'nginx-no-live-upstreams',
    '2026/11/25 10:00:00 [error] 29#29: *7 no live upstreams while connecting to upstream, client: 172.18.0.1, server: _, request: "GET /api HTTP/1.1", upstream: "http://backend/api", host: "localhost"',
    { host: 'backend' },
  ],
  [
    'nginx-upstream-closed',
    '2026/11/25 10:00:00 [error] 29#29: *9 upstream prematurely closed connection while reading response header from upstream, client: 172.18.0.1, server: _, request: "GET / HTTP/1.1", upstream: "http://172.18.0.3:3000/"',
    { host: '172.18.0.3', port: 3000 },
  ],

  ['wait-for-timeout', 'wait-for-it.sh: timeout occurred after waiting 15 seconds for db:5432', { host: 'db', port: 5432 }],
  ['wait-for-timeout', '2026/11/25 10:00:00 Timeout after 10s waiting on dependencies to become available: [tcp://db:5432]', { host: 'db', port: 5432 }],

  // dns_failure
  ['enotfound', 'Error: getaddrinfo ENOTFOUND db', { host: 'db' }],
  ['enotfound', 'Error: getaddrinfo EAI_AGAIN redis', { host: 'redis' }],
  ['enotfound', 'MongoServerSelectionError: querySrv ENOTFOUND _mongodb._tcp.cluster0.example.net', { host: '_mongodb._tcp.cluster0.example.net' }],
  ['enotfound', '{"level":50,"err":{"errno":-3008,"code":"ENOTFOUND","syscall":"getaddrinfo","hostname":"db"},"msg":"failed"}', { host: 'db' }],
  // pino's own "hostname" is the logging container, never the target
  ['enotfound', '{"level":50,"time":1764064800000,"pid":1,"hostname":"api-7f9c","err":{"type":"Error","errno":-3008,"code":"ENOTFOUND","syscall":"getaddrinfo","hostname":"db"},"msg":"failed"}', { host: 'db' }],
  ['name-resolution-failed', 'socket.gaierror: [Errno -2] Name or service not known'],
  ['name-resolution-failed', 'socket.gaierror: [Errno -3] Temporary failure in name resolution'],
  ['name-resolution-failed', 'socket.gaierror: [Errno -2] Name does not resolve'],
  ['name-resolution-failed', 'socket.gaierror: [Errno -3] Try again'],
  ['name-resolution-failed', 'redis.exceptions.ConnectionError: Error -2 connecting to cache:6379. Name or service not known.', { host: 'cache' }],
  [
    'name-resolution-failed',
    "urllib3.exceptions.NameResolutionError: <urllib3.connection.HTTPConnection object at 0x7f>: Failed to resolve 'api' ([Errno -3] Temporary failure in name resolution)",
    { host: 'api' },
  ],
  ['name-resolution-failed', 'ping: db: Name or service not known', { host: 'db' }],
  ['go-lookup-failed', 'dial tcp: lookup db on 127.0.0.11:53: no such host', { host: 'db' }],
  ['go-lookup-failed', 'dial tcp: lookup redis: server misbehaving', { host: 'redis' }],
  ['go-lookup-failed', 'dial tcp: lookup api on 127.0.0.11:53: read udp 127.0.0.1:50000->127.0.0.11:53: i/o timeout', { host: 'api' }],
  ['postgres-translate-host', 'psql: error: could not translate host name "db" to address: Name or service not known', { host: 'db' }],
  ['nginx-host-not-found', 'nginx: [emerg] host not found in upstream "api:3000" in /etc/nginx/conf.d/default.conf:10', { host: 'api', port: 3000 }],
  ['nginx-host-not-found', '2026/11/25 10:00:00 [emerg] 1#1: host not found in upstream "backend" in /etc/nginx/nginx.conf:20', { host: 'backend' }],
  ['nginx-could-not-be-resolved', '2026/11/25 10:00:00 [error] 32#32: *27 backend-api could not be resolved (3: Host not found), client: 172.18.0.1', { host: 'backend-api' }],
  ['nginx-could-not-be-resolved', '2026/11/25 10:00:00 [error] 32#32: *3 no resolver defined to resolve api, client: 172.18.0.1', { host: 'api' }],
  ['busybox-bad-address', "wget: bad address 'db'", { host: 'db' }],
  ['busybox-bad-address', "ping: bad address 'redis'", { host: 'redis' }],
  ['busybox-nslookup', "nslookup: can't resolve 'postgres-prod'", { host: 'postgres-prod' }],
  ['nslookup-nxdomain', "** server can't find db: NXDOMAIN", { host: 'db' }],
  ['could-not-resolve-host', 'curl: (6) Could not resolve host: api', { host: 'api' }],
  ['could-not-resolve-host', 'wget: unable to resolve host address ‘api’', { host: 'api' }],
  ['java-unknown-host', 'java.net.UnknownHostException: db: Name or service not known', { host: 'db' }],
  ['java-unknown-host', 'Caused by: java.net.UnknownHostException: kafka', { host: 'kafka' }],
  ['mysql-unknown-host', "ERROR 2005 (HY000): Unknown MySQL server host 'db' (-2)", { host: 'db' }],
  ['mysql-unknown-host', "ERROR 2005 (HY000): Unknown server host 'mariadb' (-3)", { host: 'mariadb' }],

  // glibc's translated strerror() texts (a program under LANG=de_DE.UTF-8, fr_FR, es_ES, ja_JP, ru_RU, pt_BR)
  ['enospc-translated', '2026-12-03 10:00:00.000 UTC [42] PANIK:  konnte nicht in Datei »pg_wal/xlogtemp.42« schreiben: Auf dem Gerät ist kein Speicherplatz mehr verfügbar'],
  ['enospc-translated', "2026-12-03 10:00:00.000 UTC [42] PANIC:  n'a pas pu écrire dans le fichier « pg_wal/xlogtemp.42 » : Aucun espace disponible sur le périphérique"],
  ['enospc-translated', 'cp: /data/uploads/x.bin への書き込みエラー: デバイスに空き領域がありません', { path: '/data/uploads/x.bin' }],
  ['edquot-translated', "tar: /srv/backup/db.tar : impossible d'écrire : Débordement du quota d'espace disque", { path: '/srv/backup/db.tar' }],
  ['econnrefused-translated', 'psql: error: connection to server at "127.0.0.1", port 5432 failed: Verbindungsaufbau abgelehnt', { host: '127.0.0.1', port: 5432 }],
  ['econnrefused-translated', 'curl: (7) Failed to connect to 127.0.0.1 port 8080: Conexión rehusada'],
  ['eacces-translated', "mkdir: impossible de créer le répertoire « /var/lib/grafana/plugins »: Permission non accordée", { path: '/var/lib/grafana/plugins' }],
  ['erofs-translated', "touch: /data/x.lock をタッチできません: 読み込み専用ファイルシステムです", { path: '/data/x.lock' }],
  ['emfile-translated', '2026/12/03 10:00:00 [crit] 7#7: *1 accept4() failed (24: Слишком много открытых файлов)'],
  ['enfile-translated', 'sshd[812]: error: pipe: Zu viele offene Dateien im System'],
  ['enomem-translated', "bash: fork: Ne peut allouer de la mémoire"],
  ['eaddrinuse-translated', '2026-12-03 10:00:00.000 -03 [1] LOG:  não pôde vincular endereço IPv4 "127.0.0.1": Endereço já em uso'],

  // port_conflict
  ['address-in-use', 'Error: listen EADDRINUSE: address already in use :::3000', { port: 3000 }],
  ['address-in-use', 'Error: listen EADDRINUSE: address already in use 127.0.0.1:3000', { host: '127.0.0.1', port: 3000 }],
  ['address-in-use', 'listen tcp :8080: bind: address already in use', { port: 8080 }],
  ['address-in-use', 'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)', { port: 80 }],
  ['address-in-use', '2022/05/11 07:18:11 [emerg] 1#1: bind() to [::]:80 failed (98: Address in use)', { port: 80 }],
  ['address-in-use', 'httpd: bind: Address in use'],
  ['address-in-use', '1:M 22 Apr 2026 18:23:01.443 # Warning: Could not create server TCP listening socket *:6379: bind: Address already in use', { port: 6379 }],
  ['address-in-use', '2026-11-25 10:00:00.000 UTC [1] LOG:  could not bind IPv4 address "0.0.0.0": Address already in use'],
  ['address-in-use', 'OSError: [Errno 98] Address already in use'],
  ['address-in-use', "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use", { port: 8000 }],
  ['address-in-use', 'java.net.BindException: Address already in use'],
  ['postgres-port-in-use', '2026-11-25 10:00:00.000 UTC [1] HINT:  Is another postmaster already running on port 5432? If not, wait a few seconds and retry.', { port: 5432 }],
  ['gunicorn-connection-in-use', "[2021-03-29 16:13:10 +0000] [13577] [ERROR] Connection in use: ('0.0.0.0', 8080)", { port: 8080 }],
  ['spring-port-in-use', 'Web server failed to start. Port 8080 was already in use.', { port: 8080 }],

  // disk_full
  ['no-space-left', "Error: ENOSPC: no space left on device, write '/data/uploads/x.bin'", { path: '/data/uploads/x.bin' }],
  ['no-space-left', '2026-11-25 10:00:00.000 UTC [42] PANIC:  could not write to file "pg_wal/xlogtemp.42": No space left on device'],
  ['no-space-left', 'write /var/lib/registry/blob: no space left on device', { path: '/var/lib/registry/blob' }],
  ['php-short-write', '[Sat Dec 05 03:37:46.000000 2026] [php:warn] [pid 25] [client 127.0.0.1:43013] PHP Warning:  file_put_contents(): Only 0 of 5126 bytes written, possibly out of free disk space in /srv/app/lib/Cache/File.php on line 131'],
  ['php-short-write', 'PHP Warning:  fwrite(): Only 4096 of 8192 bytes written, possibly out of free disk space in /var/www/html/wp-includes/class-wp-filesystem.php on line 88'],
  ['disk-quota-exceeded', "OSError: [Errno 122] Disk quota exceeded: '/data/out.csv'", { path: '/data/out.csv' }],
  ['postgres-could-not-extend', 'ERROR:  could not extend file "base/16384/16397": No space left on device', { path: 'base/16384/16397' }],
  [
    'mysql-disk-full',
    "2026-11-25T10:00:00.000000Z 12 [ERROR] [MY-000035] [Server] Disk is full writing './binlog.000002' (OS errno 28 - No space left on device). Waiting for someone to free space...",
    { path: './binlog.000002' },
  ],
  ['mysql-disk-full', '[ERROR] mysqld: Disk full (/tmp/#sql_1_0); waiting for someone to free some space...', { path: '/tmp/#sql_1_0' }],
  ['mysql-table-full', "ERROR 1114 (HY000): The table 'orders' is full"],
  [
    'redis-misconf',
    "ReplyError: MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled",
  ],

  // permission_denied
  ['eacces', "Error: EACCES: permission denied, open '/data/x'", { path: '/data/x' }],
  ['eacces', "Error: EACCES: permission denied, mkdir '/app/logs'", { path: '/app/logs' }],
  ['eacces', 'Error: listen EACCES: permission denied 0.0.0.0:80', { port: 80 }],
  ['permission-denied', "PermissionError: [Errno 13] Permission denied: '/data/x'", { path: '/data/x' }],
  ['permission-denied', 'open /data/db.sqlite: permission denied', { path: '/data/db.sqlite' }],
  ['permission-denied', 'nginx: [emerg] open() "/var/log/nginx/error.log" failed (13: Permission denied)', { path: '/var/log/nginx/error.log' }],
  ['permission-denied', "sh: can't create /data/out.txt: Permission denied", { path: '/data/out.txt' }],
  ['permission-denied', "mysqld: Can't create/write to file '/var/lib/mysql/is_writable' (OS errno 13 - Permission denied)", { path: '/var/lib/mysql/is_writable' }],
  ['operation-not-permitted', "chown: /var/lib/postgresql/data: Operation not permitted"],
  ['operation-not-permitted', "chmod: changing permissions of '/var/lib/postgresql/data': Operation not permitted", { path: '/var/lib/postgresql/data' }],
  ['operation-not-permitted', "Error: EPERM: operation not permitted, chmod '/app/run.sh'", { path: '/app/run.sh' }],
  ['read-only-file-system', 'mkdir /data/cache: read-only file system', { path: '/data/cache' }],
  ['read-only-file-system', "Error: EROFS: read-only file system, open '/app/config/state.json'", { path: '/app/config/state.json' }],
  ['postgres-data-directory', '2026-11-25 10:00:00.000 UTC [1] FATAL:  data directory "/var/lib/postgresql/data" has wrong ownership', { path: '/var/lib/postgresql/data' }],
  ['postgres-data-directory', 'FATAL:  data directory "/var/lib/postgresql/data" has invalid permissions', { path: '/var/lib/postgresql/data' }],

  // too_many_open_files
  ['too-many-open-files', "Error: EMFILE: too many open files, open '/app/src/index.js'"],
  ['too-many-open-files', '2026/11/25 10:00:00 [alert] 29#29: *4567 accept4() failed (24: Too many open files)'],
  ['too-many-open-files', 'java.net.SocketException: Too many open files'],
  ['too-many-open-files', 'http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms'],
  ['too-many-open-files', '2026/11/25 10:00:00 [alert] 29#29: *12 accept4() failed (24: No file descriptors available)'],

  // missing_config
  ['env-var-not-set', 'Error: required environment variable DATABASE_URL is not set', { variable: 'DATABASE_URL' }],
  ['env-var-not-set', 'Environment variable "JWT_SECRET" is required', { variable: 'JWT_SECRET' }],
  ['env-var-not-set', 'panic: env var REDIS_URL must be set', { variable: 'REDIS_URL' }],
  ['env-var-not-set', 'FATAL: DATABASE_URL is not set', { variable: 'DATABASE_URL' }],
  ['env-var-not-set', 'Error: STRIPE_API_KEY must be set', { variable: 'STRIPE_API_KEY' }],
  ['missing-env-vars', 'Error: Missing required environment variable: DATABASE_URL', { variable: 'DATABASE_URL' }],
  ['missing-env-vars', ' Missing environment variables:'],
  ['missing-env-vars', "❌ Invalid environment variables: { DATABASE_URL: [ 'Required' ] }"],
  ['shell-unset-variable', '/docker-entrypoint.sh: line 3: DATABASE_URL: parameter null or not set', { variable: 'DATABASE_URL' }],
  ['shell-unset-variable', '/entrypoint.sh: line 7: DB_HOST: unbound variable', { variable: 'DB_HOST' }],
  ['shell-unset-variable', 'sh: 1: DB_HOST: parameter not set', { variable: 'DB_HOST' }],
  ['python-keyerror-env', "KeyError: 'DATABASE_URL'", { variable: 'DATABASE_URL' }],
  ['pydantic-field-required', '  field required (type=value_error.missing)'],
  ['pydantic-field-required', '  Field required [type=missing, input_value={}, input_type=dict]'],
  ['pydantic-settings-invalid', 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings'],
  ['django-improperly-configured', 'django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable', { variable: 'DATABASE_URL' }],
  ['django-improperly-configured', 'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.', { variable: 'SECRET_KEY' }],
  ['postgres-image-no-password', 'Error: Database is uninitialized and superuser password is not specified.', { variable: 'POSTGRES_PASSWORD' }],
  ['postgres-image-no-password', '       You must specify POSTGRES_PASSWORD to a non-empty value for the', { variable: 'POSTGRES_PASSWORD' }],
  [
    'mysql-image-no-password',
    '2024-06-07 13:45:05+00:00 [ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
    { variable: 'MYSQL_ROOT_PASSWORD' },
  ],
  ['mysql-image-no-password', '    You need to specify one of the following as an environment variable:', { variable: 'MYSQL_ROOT_PASSWORD' }],
  [
    'mysql-image-no-password',
    '\tYou need to specify one of MARIADB_ROOT_PASSWORD, MARIADB_ROOT_PASSWORD_HASH, MARIADB_ALLOW_EMPTY_ROOT_PASSWORD and MARIADB_RANDOM_ROOT_PASSWORD',
    { variable: 'MARIADB_ROOT_PASSWORD' },
  ],
  ['setting-not-specified', '[2024-05-01 10:00:00] production.ERROR: No application encryption key has been specified.'],
  ['setting-not-specified', 'Error: no API key was provided for the mail provider'],
  ['config-file-not-found', 'Error: Config File "config" Not Found in "[/etc/app]"', { path: 'config' }],
  ['config-file-not-found', 'level=fatal msg="could not load config file" error="open /etc/app/app.toml: no such file or directory"', { path: '/etc/app/app.toml' }],
  ['config-path-missing', "Error: ENOENT: no such file or directory, open '/app/config.json'", { path: '/app/config.json' }],
  ['config-path-missing', "FileNotFoundError: [Errno 2] No such file or directory: '/app/settings.yaml'", { path: '/app/settings.yaml' }],
  ['config-path-missing', 'nginx: [emerg] open() "/etc/nginx/conf.d/app.conf" failed (2: No such file or directory)', { path: '/etc/nginx/conf.d/app.conf' }],
  ['config-path-missing', 'open /etc/app/config.yaml: no such file or directory', { path: '/etc/app/config.yaml' }],
  ['config-path-missing', "Error: ENOENT: no such file or directory, open '/app/.env'", { path: '/app/.env' }],
  ['config-path-is-directory', '2026/12/05 10:00:00 [emerg] 1#1: pread() "/etc/nginx/nginx.conf" failed (21: Is a directory)', { path: '/etc/nginx/nginx.conf' }],
  ['config-path-is-directory', "IsADirectoryError: [Errno 21] Is a directory: '/app/config.yaml'", { path: '/app/config.yaml' }],
  ['config-path-is-directory', 'read /etc/app/config.toml: is a directory', { path: '/etc/app/config.toml' }],
  ['config-path-is-directory', 'java.io.FileNotFoundException: /app/application.yml (Is a directory)', { path: '/app/application.yml' }],
  ['config-path-is-directory', "Error: EISDIR: illegal operation on a directory, open '/app/config.json'", { path: '/app/config.json' }],
  ['mounted-path-is-directory', 'Error: reading config from file: read /etc/caddy/Caddyfile: is a directory', { path: '/etc/caddy/Caddyfile' }],
  ['mounted-path-is-directory', "IsADirectoryError: [Errno 21] Is a directory: '/etc/crontabs/root'", { path: '/etc/crontabs/root' }],
  ['postgres-fatal-role', '2026-11-25 10:00:00.000 UTC [77] FATAL:  role "app" does not exist', { user: 'app' }],
  ['postgres-fatal-database', '2026-11-25 10:00:00.000 UTC [78] FATAL:  database "app" does not exist'],
  ['postgres-auth-failed', '2026-11-25 10:00:00.000 UTC [79] FATAL:  password authentication failed for user "app"'],
  ['mysql-access-denied', "ERROR 1045 (28000): Access denied for user 'app'@'172.18.0.3' (using password: YES)", { user: 'app' }],
  ['file-access-denied', 'ERROR Unable to use the drive /data: file access denied: Invalid arguments specified', { path: '/data' }],
  ['file-access-denied', 'java.nio.file.AccessDeniedException: /usr/share/opensearch/data/nodes', { path: '/usr/share/opensearch/data/nodes' }],
  ['file-access-denied', 'Caused by: AccessDeniedException: /var/lib/app/index.lock', { path: '/var/lib/app/index.lock' }],

  // memory
  ['java-oom', 'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space'],
  ['rabbitmq-memory-alarm', "2026-12-06 10:00:00.123456+00:00 [warning] <0.451.0> memory resource limit alarm set on node 'rabbit@mq1'."],
  ['rabbitmq-memory-alarm', '=WARNING REPORT==== 6-Dec-2026::10:00:00 === vm_memory_high_watermark set. Memory used:105000000 allowed:100000000'],
  ['rabbitmq-disk-alarm', "2026-12-06 10:00:00.123456+00:00 [warning] <0.460.0> disk resource limit alarm set on node 'rabbit@mq1'."],
  ['rabbitmq-disk-alarm', '2026-12-06 10:00:00.123456+00:00 [info] <0.460.0> Free disk space is insufficient. Free bytes: 0. Limit: 50000000'],
  ['java-oom', 'java.lang.OutOfMemoryError: GC overhead limit exceeded'],
  ['node-heap-oom', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory'],
  ['python-memory-error', 'MemoryError'],
  ['python-memory-error', 'numpy.core._exceptions._ArrayMemoryError: Unable to allocate 7.45 GiB for an array with shape (1000000000,) and data type float64'],
  ['go-oom', 'fatal error: runtime: out of memory'],
  ['redis-oom', "ReplyError: OOM command not allowed when used memory > 'maxmemory'."],
  ['cannot-allocate-memory', "1:M 25 Nov 2026 10:00:00.000 # Can't save in background: fork: Cannot allocate memory"],
  ['out-of-memory', '2026-11-25 10:00:00.000 UTC [91] ERROR:  out of memory'],
  ['postgres-oom-detail', '2026-11-25 10:00:00.000 UTC [91] DETAIL:  Failed on request of size 8192 in memory context "ExecutorState".'],
  ['kernel-oom-kill', 'Memory cgroup out of memory: Killed process 4242 (node) total-vm:1234567kB, anon-rss:524288kB'],
  ['kernel-oom-kill', 'Out of memory: Kill process 1234 (java) score 900 or sacrifice child'],
  ['kernel-oom-killer', 'node invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0'],

  // bad_command
  [
    'oci-executable-not-found',
    'Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown',
    { path: 'gunicorn' },
  ],
  [
    'oci-stat-not-found',
    'OCI runtime create failed: runc create failed: unable to start container process: exec: "/docker-entrypoint.sh": stat /docker-entrypoint.sh: no such file or directory: unknown',
    { path: '/docker-entrypoint.sh' },
  ],
  ['exec-not-found', 'exec /app/entrypoint.sh: no such file or directory', { path: '/app/entrypoint.sh' }],
  ['exec-format-error', 'exec /usr/local/bin/docker-entrypoint.sh: exec format error', { path: '/usr/local/bin/docker-entrypoint.sh' }],
  ['exec-format-error', 'standard_init_linux.go:228: exec user process caused: exec format error'],
  ['exec-permission-denied', 'OCI runtime create failed: runc create failed: unable to start container process: exec: "/app/start.sh": permission denied: unknown', { path: '/app/start.sh' }],
  ['exec-permission-denied', 'exec /app/start.sh: permission denied', { path: '/app/start.sh' }],
  ['shell-command-not-found', '/bin/sh: 1: gunicorn: not found', { path: 'gunicorn' }],
  ['shell-command-not-found', 'sh: uvicorn: not found', { path: 'uvicorn' }],
  ['shell-command-not-found', 'bash: flask: command not found', { path: 'flask' }],
  ['shell-command-not-found', '/docker-entrypoint.sh: line 8: gunicorn: command not found', { path: 'gunicorn' }],
  ['shell-command-not-found', '/docker-entrypoint.sh: exec: line 8: gunicorn: not found', { path: 'gunicorn' }],
  ['env-interpreter-missing', "/usr/bin/env: 'python': No such file or directory", { path: 'python' }],
  ['env-interpreter-missing', "env: can't execute 'bash': No such file or directory", { path: 'bash' }],
  ['node-cannot-find-module', "Error: Cannot find module '/app/dist/main.js'", { path: '/app/dist/main.js' }],
  ['node-cannot-find-module', "Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'express' imported from /app/server.js", { path: 'express' }],
  ['python-module-not-found', "ModuleNotFoundError: No module named 'flask'", { path: 'flask' }],
  ['python-cant-open-file', "python: can't open file '/app/main.py': [Errno 2] No such file or directory", { path: '/app/main.py' }],
  ['java-main-class', 'Error: Could not find or load main class com.example.App', { path: 'com.example.App' }],
  ['java-main-class', 'Error: Unable to access jarfile app.jar', { path: 'app.jar' }],

  // dependency_slow
  ['postgres-slow-statement', '2026-11-25 10:00:00.000 UTC [55] LOG:  duration: 2301.412 ms  statement: SELECT * FROM orders WHERE customer_id = 7'],
  ['postgres-slow-statement', 'LOG:  duration: 512.000 ms  execute <unnamed>: SELECT 1'],
  ['mysql-slow-query', '# Query_time: 3.000123  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 0'],
  ['request-ran-too-long', `[06-Dec-2026 02:17:31] WARNING: [pool www] child 71, script '/var/www/html/public/index.php' (request: "POST /index.php") executing too slow (5.104 sec), logging`],
  ['request-ran-too-long', '[2026-12-06 02:17:31 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:42)'],
  ['request-ran-too-long', '*** HARAKIRI ON WORKER 3 (pid: 42, try: 1) ***'],
  ['elasticsearch-slow-query', '[2026-11-25T10:00:00,123][WARN ][i.s.s.query              ] [search-1] [products][0] took[1.7s], took_millis[1771], total_hits[1520 hits], types[], stats[]'],
  ['openldap-slow-operation', '6752f1a0.1c2d3e4f 0x7f2a4c0fe640 conn=1003 op=2 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=4.201233 nentries=1 text='],
  ['slow-operation', 'time="2026-12-06T10:00:00Z" level=warning msg="query took 2.41s" component=querier'],
  ['slow-operation', '2026-12-06 10:00:00.123 INFO  [indexer] batch 42 indexed, elapsed: 3412 ms'],
  [
    'mongo-slow-query',
    '{"t":{"$date":"2026-11-25T10:00:00.000+00:00"},"s":"I","c":"COMMAND","id":51803,"ctx":"conn12","msg":"Slow query","attr":{"type":"command","ns":"app.orders","durationMillis":1234}}',
  ],
  ['etimedout', 'Error: connect ETIMEDOUT 10.0.0.5:5432', { host: '10.0.0.5', port: 5432 }],
  [
    'nginx-upstream-timed-out',
    '2026/11/25 10:00:00 [error] 29#29: *3 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 172.18.0.1, server: _, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:3000/slow", host: "localhost"',
    { host: '127.0.0.1', port: 3000 },
  ],
  ['nginx-upstream-timed-out', '2026/11/25 10:00:00 [error] 29#29: *3 upstream timed out (110: Operation timed out) while connecting to upstream, upstream: "http://api:8000/"', { host: 'api', port: 8000 }],
  ['go-deadline-exceeded', 'Get "http://api:8080/health": context deadline exceeded (Client.Timeout exceeded while awaiting headers)', { host: 'api', port: 8080 }],
  ['go-deadline-exceeded', 'failed to connect: dial tcp 10.0.0.5:5432: i/o timeout', { host: '10.0.0.5', port: 5432 }],
  ['postgres-statement-timeout', 'ERROR:  canceling statement due to statement timeout'],
  ['mysql-lock-wait-timeout', 'ERROR 1205 (HY000): Lock wait timeout exceeded; try restarting transaction'],
  [
    'redis-aof-fsync-slow',
    '1:M 25 Nov 2026 10:00:00.000 * Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.',
  ],
  ['timed-out', 'TimeoutError: [Errno 110] Connection timed out'],
  ['timed-out', 'java.net.SocketTimeoutException: Read timed out'],

  // crash_loop
  ['go-panic', 'panic: runtime error: invalid memory address or nil pointer dereference'],
  ['go-panic', 'api-1  | panic: failed to open database'],
  ['go-goroutine-trace', 'goroutine 1 [running]:'],
  ['go-fatal-error', 'fatal error: concurrent map writes'],
  ['python-traceback', 'Traceback (most recent call last):'],
  ['java-uncaught-exception', 'Exception in thread "main" java.lang.IllegalStateException: Failed to load ApplicationContext'],
  [
    'node-unhandled',
    '[UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "boom".] {',
  ],
  ['node-unhandled', "      throw er; // Unhandled 'error' event"],
  ['node-crash-footer', 'Node.js v20.11.1'],
  ['segfault', 'Segmentation fault (core dumped)'],
  ['segfault', '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a5b2c]'],
];

describe('the cause vocabulary and the pattern table', () => {
  it('lists the cause codes in the agreed order', () => {
    expect(CAUSE_CODES).toEqual([
      'oom_killed',
      'memory_pressure',
      'cpu_saturation',
      'crash_loop',
      'bad_command',
      'missing_config',
      'dependency_down',
      'dependency_slow',
      'connection_refused',
      'dns_failure',
      'disk_full',
      'port_conflict',
      'healthcheck_failing',
      'permission_denied',
      'too_many_open_files',
      'log_error_spike',
      'replica_drift',
      'image_drift',
      'config_drift',
      'untracked_container',
      'stopped_service',
    ]);
  });

  it('has unique ids, known causes, weights in (0, 1] and stateless regexes', () => {
    const seen = new Set<string>();
    for (const p of LOG_PATTERNS) {
      expect(seen.has(p.id), p.id).toBe(false);
      seen.add(p.id);
      expect(p.id).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      expect(CAUSE_CODES).toContain(p.cause);
      expect(p.weight).toBeGreaterThan(0);
      expect(p.weight).toBeLessThanOrEqual(1);
      expect(p.regex.global || p.regex.sticky, p.id).toBe(false);
    }
  });

  it('has at least one realistic example line for every pattern', () => {
    const covered = new Set(POSITIVES.map(([id]) => id));
    expect(LOG_PATTERNS.map((p) => p.id).filter((id) => !covered.has(id))).toEqual([]);
    expect([...covered].filter((id) => !LOG_PATTERNS.some((p) => p.id === id))).toEqual([]);
  });
});

describe('matchLogLine', () => {
  it.each(POSITIVES)('%s matches %j', (id, line, target) => {
    const match = matchOf(line, id);
    expect(match, `${id} should match; got ${ids(line).join(', ')}`).toBeDefined();
    expect(match?.description.length).toBeGreaterThan(3);
    expect(match?.text.length).toBeGreaterThan(0);
    if (target) expect(match?.target).toEqual(target);
  });

  it('describes what it found in plain words', () => {
    expect(matchOf('Error: connect ECONNREFUSED 127.0.0.1:5432', 'econnrefused')?.description).toBe('connection refused by 127.0.0.1:5432');
    expect(matchOf('LOG:  duration: 2301.412 ms  statement: SELECT 1', 'postgres-slow-statement')?.description).toBe('slow postgres statement: 2301.412 ms');
    expect(matchOf('# Query_time: 3.000123  Lock_time: 0.000000', 'mysql-slow-query')?.description).toBe('slow mysql query: 3000 ms');
    expect(matchOf('[products][0] took[1.7s], took_millis[1771], total_hits[3]', 'elasticsearch-slow-query')?.description).toBe('slow elasticsearch query: 1771 ms');
    expect(ids('[products][0] took[12ms], took_millis[12], total_hits[3]')).toEqual([]);
    expect(matchOf('conn=1003 op=2 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=4.201233 nentries=1 text=', 'openldap-slow-operation')?.description).toBe('slow ldap operation: 4201 ms');
    expect(matchOf('level=info msg="search done" took=1.8s', 'slow-operation')?.description).toBe('slow operation: took=1.8s');
    // under a second, no unit, a request line (its latency is a request's), words that are no duration: none
    expect(ids('conn=1003 op=2 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=0.004201 nentries=1 text=')).toEqual([]);
    expect(ids('level=info msg="search done" took=870ms')).toEqual([]);
    expect(ids('level=info msg="search done" took=12')).toEqual([]);
    expect(ids('level=info msg="Request Completed" method=POST path=/login status=200 duration=4.213s')).toEqual([]);
    expect(ids('POST /login 200 4213.118 ms - 87 took 4.2s')).toEqual([]);
    expect(ids('the migration took 2 steps')).toEqual([]);
    expect(matchOf('{"level":"warn","msg":"query done","took":"2.4s"}', 'slow-operation')).toBeDefined();
    expect(matchOf('level=info msg="compaction done" elapsed=1m2.5s', 'slow-operation')).toBeDefined();
    // a wait is no work; postgres's own slow statement is its pattern's only; a slog request line is a request's
    expect(ids('level=info msg="sleeping before next poll" sleep duration=5s')).toEqual([]);
    expect(ids('level=warn msg="retry backoff" duration=10s attempt=3')).toEqual([]);
    expect(ids('2026-12-06 10:00:00.000 UTC [101] LOG:  duration: 2100.412 ms  statement: SELECT 1')).toEqual(['postgres-slow-statement']);
    expect(ids('time=2026-12-06T10:00:00Z level=INFO msg=request http.method=GET http.path=/x took=2.1s')).toEqual([]);
    // a replication consumer's persistent search: its etime is the connection's life
    expect(ids('conn=1001 op=1 SEARCH RESULT tag=101 err=0 qtime=0.000014 etime=86400.201233 nentries=0 text=')).toEqual([]);
    expect(matchOf('Error: getaddrinfo ENOTFOUND db', 'enotfound')?.description).toBe('host not found for db');
    expect(matchOf('Error: listen EADDRINUSE: address already in use :::3000', 'address-in-use')?.description).toBe('address already in use: port 3000');
    expect(matchOf("KeyError: 'DATABASE_URL'", 'python-keyerror-env')?.description).toContain('DATABASE_URL');
  });

  it('reads no guess as a statement: `Perhaps out of memory?`', () => {
    expect(ids('[2026-12-06 10:00:05 +0000] [1] [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of memory?')).toEqual([]);
    expect(ids('2026-12-06 10:00:00.000 UTC [101] ERROR:  out of memory')).toEqual(['out-of-memory']);
  });

  it('reads memory that could not be locked (a memlock limit) as no shortage of memory', () => {
    for (const line of [
      'WARN  [main] 2026-12-07 02:07:27,139 NativeLibrary.java:201 - Unable to lock JVM memory (ENOMEM). This can result in part of the JVM being swapped out, especially with mmapped I/O enabled. Increase RLIMIT_MEMLOCK.',
      '[2026-12-07T10:00:00,000][WARN ][o.e.b.JNANatives] [node-1] Unable to lock JVM Memory: error=12, reason=Cannot allocate memory',
      'Error initializing core: Failed to lock memory: cannot allocate memory',
      'mlockall failed: Cannot allocate memory',
      'mlock2 failed: ENOMEM',
      'bpf: map create: cannot allocate memory (RLIMIT_MEMLOCK may be too low)',
    ]) expect(ids(line), line).toEqual([]);
    expect(ids('failed to lock table: Cannot allocate memory')).toEqual(['cannot-allocate-memory']);
    expect(ids('redis: fork: Cannot allocate memory')).toEqual(['cannot-allocate-memory']);
  });

  it('tells a failure from a report of how long work took (failuresIn)', () => {
    expect(failuresIn('level=info msg="shutdown complete" took=1.5s')).toEqual([]);
    expect(failuresIn('Error: connect ECONNREFUSED 127.0.0.1:5432').map((m) => m.pattern.id)).toEqual(['econnrefused']);
  });

  it('never takes pino\'s own hostname for the peer', () => {
    expect(matchOf('{"level":50,"pid":1,"hostname":"api-7f9c","err":{"code":"ECONNREFUSED"},"msg":"db down"}', 'econnrefused')?.target).toBeUndefined();
  });

  it('leaves a target out when the line names none (never an empty object)', () => {
    const match = matchOf('ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused');
    expect(match).toBeDefined();
    expect(match && 'target' in match).toBe(false);
  });

  it('maps each example line to the expected cause', () => {
    expect(causes('Error: connect ECONNREFUSED 127.0.0.1:5432')).toEqual(['connection_refused']);
    expect(causes('dial tcp: lookup db on 127.0.0.11:53: no such host')).toEqual(['dns_failure']);
    expect(causes('nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)')).toEqual(['port_conflict']);
    expect(causes("Error: ENOSPC: no space left on device, write '/data/x'")).toEqual(['disk_full']);
    expect(causes("Error: EACCES: permission denied, open '/data/x'")).toEqual(['permission_denied']);
    expect(causes('java.net.SocketException: Too many open files')).toEqual(['too_many_open_files']);
    expect(causes('FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory')).toEqual(['memory_pressure']);
    expect(causes("Error: Cannot find module '/app/dist/main.js'")).toEqual(['bad_command']);
  });

  it('reads glibc\'s translated strerror() texts as printed only (case and all), for the same cause as the English', () => {
    expect(causes('PANIK:  konnte nicht in Datei »pg_wal/xlogtemp.42« schreiben: Auf dem Gerät ist kein Speicherplatz mehr verfügbar')).toEqual(['disk_full']);
    expect(causes('curl: (7) Failed to connect to 127.0.0.1 port 8080: Connexion refusée')).toEqual(['connection_refused']);
    // PostgreSQL's own (lowercase) German for an SQL privilege is not glibc's EACCES
    expect(causes('FEHLER:  keine Berechtigung für Tabelle orders')).toEqual([]);
    expect(causes('Der Benutzer hat das Gerät verlassen')).toEqual([]);
    // only where glibc's text stands (after `: ` or `(`, last): an application's own sentence is not it
    expect(causes('WARN  AuditLog: Keine Berechtigung für Benutzer anna auf /admin')).toEqual([]);
    expect(causes('[403] Brak dostępu do zasobu /admin')).toEqual([]);
    // ENFILE's text is EMFILE's plus " im System": the line is ENFILE only
    expect(ids('sshd[812]: error: pipe: Zu viele offene Dateien im System')).toEqual(['enfile-translated']);
  });

  it('takes OCI exec failures for a bad command, not for a permission problem', () => {
    const oci = 'unable to start container process: exec: "/app/start.sh": permission denied: unknown';
    expect(causes(oci)).toEqual(['bad_command']);
    expect(causes('exec /app/start.sh: permission denied')).toEqual(['bad_command']);
    expect(causes('exec /usr/local/bin/docker-entrypoint.sh: exec format error')).toEqual(['bad_command']);
    expect(causes('exec: "gunicorn": executable file not found in $PATH')).toEqual(['bad_command']);
  });

  it('does not take SQL privileges for a file permission problem', () => {
    expect(ids('ERROR:  permission denied for table orders')).toEqual([]);
    expect(ids('ERROR:  permission denied for schema public')).toEqual([]);
  });

  it('reads a missing config file as missing configuration, and a missing script as a bad command', () => {
    expect(causes("Error: ENOENT: no such file or directory, open '/app/config.json'")).toEqual(['missing_config']);
    expect(causes("Error: ENOENT: no such file or directory, open '/app/dist/main.js'")).toEqual([]);
    expect(causes("python: can't open file '/app/main.py': [Errno 2] No such file or directory")).toEqual(['bad_command']);
  });

  it('does not take a file a web server could not open for a client (a scanner asking for /.env) for its own configuration', () => {
    expect(causes('2026/12/03 08:18:13 [error] 7#7: *1003 open() "/usr/share/nginx/html/.env" failed (2: No such file or directory), client: 45.148.10.3, server: shop.example.com, request: "GET /.env HTTP/1.1", host: "203.0.113.7"')).toEqual([]);
    expect(causes('2026/12/03 08:18:14 [error] 7#7: *1004 open() "/usr/share/nginx/html/config.json" failed (2: No such file or directory), client: 45.148.10.4, server: _, request: "GET /config.json HTTP/1.1", host: "203.0.113.7"')).toEqual([]);
    // the server's own file, at its start, still is
    expect(causes('2026/12/03 08:18:13 [emerg] 1#1: open() "/etc/nginx/conf.d/app.conf" failed (2: No such file or directory) in /etc/nginx/nginx.conf:31')).toEqual(['missing_config']);
  });

  it('takes a configuration path that is a directory for missing configuration, not any EISDIR', () => {
    expect(causes('2026/12/05 10:00:00 [emerg] 1#1: pread() "/etc/nginx/nginx.conf" failed (21: Is a directory)')).toEqual(['missing_config']);
    // express's sendFile on a directory, a build tool's readlink: no configuration file named
    expect(causes('Error: EISDIR: illegal operation on a directory, read')).toEqual([]);
    // a path of any name: only the pattern that the analyzer keeps where the engine bind-mounts a host path there
    expect(ids("Error: EISDIR: illegal operation on a directory, open '/app/public/assets'")).toEqual(['mounted-path-is-directory']);
    expect(LOG_PATTERNS.find((p) => p.id === 'mounted-path-is-directory')?.mounted).toBe(true);
    // a client's request for a path the server holds as a directory
    expect(causes('2026/12/05 10:00:00 [error] 7#7: *9 pread() "/usr/share/nginx/html/site.json" failed (21: Is a directory), client: 45.148.10.3, server: _, request: "GET /site.json HTTP/1.1"')).toEqual([]);
  });

  it('keeps the kernel OOM kill apart from memory pressure in a process', () => {
    expect(causes('Memory cgroup out of memory: Killed process 4242 (node) total-vm:1234567kB')).toEqual(['oom_killed']);
    expect(causes('fatal error: runtime: out of memory')).toContain('memory_pressure');
    expect(ids('fatal error: runtime: out of memory')).not.toContain('out-of-memory');
  });

  it('takes slow statements from 500 ms only', () => {
    expect(ids('LOG:  duration: 499.999 ms  statement: SELECT 1')).toEqual([]);
    expect(ids('LOG:  duration: 12.345 ms  statement: SELECT 1')).toEqual([]);
    expect(ids('LOG:  duration: 500.001 ms  statement: SELECT 1')).toEqual(['postgres-slow-statement']);
    expect(ids('# Query_time: 0.120000  Lock_time: 0.000000 Rows_sent: 1')).toEqual([]);
    expect(ids('# Query_time: 0.700000  Lock_time: 0.000000 Rows_sent: 1')).toEqual(['mysql-slow-query']);
  });

  it('finds a Go panic after a compose prefix but not a recovered panic in prose', () => {
    expect(ids('web-1  | panic: boom')).toContain('go-panic');
    expect(ids('2026-11-25T10:00:00.123456789Z panic: boom')).toContain('go-panic');
    expect(ids('recovered from panic: boom, continuing')).not.toContain('go-panic');
  });

  it('ignores the harmless (null) line of old busybox nslookup', () => {
    expect(ids("nslookup: can't resolve '(null)': Name does not resolve")).toEqual([]);
  });

  it('reads a credential the program was never given as missing configuration, not any "no … key" line', () => {
    expect(ids('No application encryption key has been specified.')).toContain('setting-not-specified');
    expect(ids('RuntimeError: No secret key configured')).toContain('setting-not-specified');
    for (const line of ['No key has been pressed', 'GET /keys 200 no token needed', 'no password prompt: using key auth', 'No matching key found in cache, fetching'])
      expect(ids(line), line).not.toContain('setting-not-specified');
  });

  it('does not read a defaulted variable as missing', () => {
    expect(ids("POSTGRES_USER has not been set, defaulting to 'postgres'")).toEqual([]);
    expect(ids('KeyError: \'id\'')).toEqual([]);
  });

  const HEALTHY = [
    "2026-12-06 10:00:00.123456+00:00 [warning] <0.451.0> memory resource limit alarm cleared on node 'rabbit@mq1'.",
    '2026-12-06 10:00:00.123456+00:00 [info] <0.229.0> Memory high watermark set to 38 MiB (40265318 bytes) of 96 MiB (100663296 bytes) total',
    '2026-12-06 10:00:00.123456+00:00 [info] <0.231.0> Disk free limit set to 50MB',
    '{"level":40,"msg":"cache not ready, retrying in 500 ms"}',
    '(node:1) [DEP0040] DeprecationWarning: The punycode module is deprecated. Please use a userland alternative instead.',
    '::ffff:127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /products/3 HTTP/1.1" 200 2048 "-" "Mozilla/5.0" - 38.118 ms',
    '172.18.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "curl/8.5.0" 0.001',
    '2026-11-25 10:00:00.000 UTC [1] LOG:  database system is ready to accept connections',
    '1:M 25 Nov 2026 10:00:00.000 * Ready to accept connections tcp',
    '{"level":"info","ts":1764064800,"msg":"request","method":"GET","path":"/","status":200,"latency":"1.2ms"}',
    'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)',
    '2026/11/25 10:00:00 [notice] 1#1: start worker processes',
    '{"timeout":30000,"msg":"http client configured"}',
    'Server listening on port 3000',
    '',
  ];
  it.each(HEALTHY)('finds nothing wrong in a healthy line: %j', (line) => {
    expect(ids(line)).toEqual([]);
  });

  it('examines only the first 4096 characters of a line', () => {
    const late = `${'x'.repeat(MAX_EXAMINED_LENGTH)} Error: connect ECONNREFUSED 127.0.0.1:5432`;
    expect(ids(late)).toEqual([]);
    const early = `Error: connect ECONNREFUSED 127.0.0.1:5432 ${'x'.repeat(MAX_EXAMINED_LENGTH)}`;
    expect(ids(early)).toEqual(['econnrefused']);
  });

  it('copes with a 1 MB line of one letter and a 1 MB line of random bytes', () => {
    const letters = 'a'.repeat(1_000_000);
    const binary = randomBytes(1_000_000).toString('latin1');
    const utf8 = randomBytes(1_000_000).toString('utf8');
    for (const line of [letters, binary, utf8]) {
      expect(() => matchLogLine(line)).not.toThrow();
      expect(() => requestLatencyMs(line)).not.toThrow();
      expect(() => httpStatus(line)).not.toThrow();
    }
    expect(matchLogLine(letters)).toEqual([]);
  });

  it('copes with lines built to make a regex backtrack', () => {
    const hostile = [
      'a: '.repeat(20_000),
      '"'.repeat(100_000),
      'A_'.repeat(50_000) + ' is',
      `exec "${'a'.repeat(5000)}`,
      `connection refused ${'host=\''.repeat(10_000)}`,
      `permission denied ${'/a'.repeat(50_000)}`,
      `no such file or directory ${"'a.conf".repeat(10_000)}`,
      `{"responseTime":"${'1m'.repeat(10_000)}"}`,
      `GET / 200 ${'1 ms - '.repeat(10_000)}`,
    ];
    for (const line of hostile) {
      expect(() => matchLogLine(line)).not.toThrow();
      expect(() => requestLatencyMs(line)).not.toThrow();
      expect(() => httpStatus(line)).not.toThrow();
    }
  });
});

describe('httpStatus and requestLatencyMs', () => {
  const MORGAN = '::ffff:127.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /products/3 HTTP/1.1" 200 2048 "-" "Mozilla/5.0" - 38.118 ms';

  it('reads a morgan combined line with response time', () => {
    expect(httpStatus(MORGAN)).toBe(200);
    expect(requestLatencyMs(MORGAN)).toBe(38.118);
  });

  it('reads morgan dev, tiny and short formats', () => {
    expect(httpStatus('GET /products/3 200 38.118 ms - 2048')).toBe(200);
    expect(requestLatencyMs('GET /products/3 200 38.118 ms - 2048')).toBe(38.118);
    expect(httpStatus('GET /x 404 9 - 1.204 ms')).toBe(404);
    expect(requestLatencyMs('GET /x 404 9 - 1.204 ms')).toBe(1.204);
    expect(httpStatus('::1 - GET /x HTTP/1.1 500 21 - 7.5 ms')).toBe(500);
    expect(requestLatencyMs('::1 - GET /x HTTP/1.1 500 21 - 7.5 ms')).toBe(7.5);
  });

  it('reads the first duration after a request line\'s status amid other words; not a count or a size', () => {
    const metabase = '2026-12-07 05:31:02,114 DEBUG middleware.log :: POST /api/dashboard/4/dashcard/12/card/22/query 202 [ASYNC: completed] 8.5 s (12 DB calls) App DB connections: 1/10 Jetty threads: 4/50 (3 idle, 0 queued)';
    expect(requestLatencyMs(metabase)).toBe(8500);
    expect(requestLatencyMs('2026-12-07 05:31:02,114 DEBUG middleware.log :: GET /api/user/current 200 9.4 ms (3 DB calls) App DB connections: 0/10')).toBe(9.4);
    expect(requestLatencyMs('GET /health 200 in 12ms')).toBe(12);
    expect(requestLatencyMs('GET /health 200 in 350us')).toBeCloseTo(0.35);
    expect(requestLatencyMs('GET /api/items 200 (3 sessions, 12 MB)')).toBeUndefined();
    expect(requestLatencyMs('GET /api/items 200 2/5s')).toBeUndefined();
    // a setting's duration, not the request's; a region is no unit
    expect(requestLatencyMs('GET /api/jobs 202 queued, timeout 300 s')).toBeUndefined();
    expect(requestLatencyMs('GET /api/zones 200 3 us-east')).toBeUndefined();
  });

  it('reads nginx combined lines, with and without $request_time', () => {
    const plain = '172.18.0.1 - - [25/Nov/2026:10:00:00 +0000] "POST /api/orders HTTP/1.1" 502 157 "-" "curl/8.5.0"';
    expect(httpStatus(plain)).toBe(502);
    expect(requestLatencyMs(plain)).toBeUndefined();
    expect(requestLatencyMs(`${plain} 0.123`)).toBe(123);
    expect(requestLatencyMs(`${plain} 1.502 1.500`)).toBe(1502);
    expect(requestLatencyMs(`${plain} rt=0.250 uct="0.000" uht="0.249" urt="0.249"`)).toBe(250);
    expect(httpStatus('172.18.0.1 - - [25/Nov/2026:10:00:00 +0000] "-" 400 0 "-" "-"')).toBe(400);
  });

  it("reads a Rust tracing request span's close: busy plus idle; not a span without a request", () => {
    const span = (busy: string, idle: string) =>
      `2026-12-06T09:00:01.123456Z  INFO HTTP request{method=POST host="127.0.0.1:7700" route=/indexes/products/search query_parameters= user_agent=Meilisearch JavaScript (v0.45.0) status_code=200}: meilisearch: close time.busy=${busy} time.idle=${idle}`;
    expect(requestLatencyMs(span('2.31s', '35.1µs'))).toBeCloseTo(2310.0351, 3);
    expect(requestLatencyMs(span('12.5ms', '1.5ms'))).toBeCloseTo(14, 6);
    expect(requestLatencyMs('2026-12-06T09:00:01Z  INFO index_scheduler{batch_id=7}: index_scheduler: close time.busy=31.2s time.idle=2.1ms')).toBeUndefined();
    expect(requestLatencyMs('2026-12-06T09:00:01Z  INFO HTTP request{method=POST route=/search}:search{index=products}: app: close time.busy=3.1ms time.idle=10µs')).toBeUndefined();
  });

  it('reads traefik, uvicorn and gin lines', () => {
    const traefik = '172.18.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /api HTTP/1.1" 200 12 "-" "curl/8.5.0" 42 "api@docker" "http://172.18.0.3:8000" 5ms';
    expect(httpStatus(traefik)).toBe(200);
    expect(requestLatencyMs(traefik)).toBe(5);
    expect(httpStatus('INFO:     172.18.0.1:54321 - "GET /health HTTP/1.1" 200 OK')).toBe(200);
    expect(requestLatencyMs('INFO:     172.18.0.1:54321 - "GET /health HTTP/1.1" 200 OK')).toBeUndefined();
    const gin = '[GIN] 2026/11/25 - 10:00:00 | 503 |    1.234567ms |      172.18.0.1 | GET      "/ping"';
    expect(httpStatus(gin)).toBe(503);
    expect(requestLatencyMs(gin)).toBeCloseTo(1.234567, 6);
    expect(requestLatencyMs('[GIN] 2026/11/25 - 10:00:00 | 200 |     132.5µs |       127.0.0.1 | GET      "/ping"')).toBeCloseTo(0.1325, 6);
    expect(requestLatencyMs('[GIN] 2026/11/25 - 10:00:00 | 200 |      1m2.5s |       127.0.0.1 | GET      "/export"')).toBe(62_500);
  });

  it('reads JSON request lines: pino-http, zap, echo, nginx JSON', () => {
    const pino =
      '{"level":30,"time":1764064800000,"pid":1,"hostname":"api","req":{"id":1,"method":"GET","url":"/products/3"},"res":{"statusCode":404},"responseTime":12,"msg":"request completed"}';
    expect(httpStatus(pino)).toBe(404);
    expect(requestLatencyMs(pino)).toBe(12);
    const zap = '{"level":"info","ts":1764064800.1,"msg":"request","method":"GET","path":"/","status":200,"latency":"12.3ms"}';
    expect(httpStatus(zap)).toBe(200);
    expect(requestLatencyMs(zap)).toBeCloseTo(12.3, 6);
    const echo = '{"time":"2026-11-25T10:00:00Z","id":"","remote_ip":"172.18.0.1","host":"localhost:1323","method":"GET","uri":"/","status":500,"error":"","latency":1234567,"latency_human":"1.234567ms","bytes_in":0,"bytes_out":13}';
    expect(httpStatus(echo)).toBe(500);
    expect(requestLatencyMs(echo)).toBeCloseTo(1.234567, 6);
    expect(requestLatencyMs('{"method":"POST","url":"/upload","status":201,"duration":"1.2s"}')).toBe(1200);
    expect(requestLatencyMs('{"method":"POST","url":"/upload","status_code":201,"response_time":87.5}')).toBe(87.5);
    expect(requestLatencyMs('{"method":"GET","path":"/","elapsed":31}')).toBe(31);
    expect(requestLatencyMs('{"remote_addr":"172.18.0.1","request":"GET / HTTP/1.1","status":"200","request_time":"0.012"}')).toBe(12);
    expect(httpStatus('{"remote_addr":"172.18.0.1","request":"GET / HTTP/1.1","status":"200","request_time":"0.012"}')).toBe(200);
  });

  it('reads logfmt request lines', () => {
    const line = 'time=2026-11-25T10:00:00Z level=INFO msg=request method=GET path=/ status=200 duration=1.234ms';
    expect(httpStatus(line)).toBe(200);
    expect(requestLatencyMs(line)).toBeCloseTo(1.234, 6);
  });

  it('stays quiet on lines that are not requests', () => {
    for (const line of [
      '{"level":40,"msg":"cache not ready, retrying in 500 ms"}',
      '{"msg":"sync done","duration":12000,"status":200}',
      '{"status":"ok","uptime":1234}',
      'retrying in 500 ms',
      'LOG:  duration: 2301.412 ms  statement: SELECT 1',
      'job finished in 3.2s',
      '',
    ]) {
      expect(httpStatus(line), line).toBeUndefined();
      expect(requestLatencyMs(line), line).toBeUndefined();
    }
  });

  it('rejects statuses outside 100..599', () => {
    expect(httpStatus('{"method":"GET","url":"/","statusCode":999}')).toBeUndefined();
    expect(httpStatus('10.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 700 0 "-" "-"')).toBeUndefined();
  });
});
