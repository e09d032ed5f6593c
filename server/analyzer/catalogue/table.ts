import type { Kind } from '../model/known-types';
import { clientKind } from './clients';

/**
 * The catalogue of blocking calls, as data: one row per function or method that blocks the
 * calling thread, with the family it belongs to, the rule that reports it on an event loop and
 * the async alternative a message names. The rule lists of TW101-TW106 are read from here, and
 * TW108-TW110 report what only this table knows.
 */
export type Family =
  | 'sleep' | 'http' | 'subprocess' | 'file' | 'input' | 'thread-wait'
  | 'socket' | 'dns' | 'mail-ftp' | 'messaging' | 'ssh' | 'cloud'
  | 'database'
  | 'import' | 'tls' | 'timezone' | 'cpu' | 'sdk-setup';

/**
 * Whether a particular call waits, judged from its arguments (`smtplib.SMTP()` without a host does
 * not connect) or from where its value goes: a lazy iterator (`os.walk`, `Path.glob`) does its I/O
 * only as it is iterated, so `return path.glob('*')` waits for nothing where it is written.
 */
export type Condition = 'has-first-argument' | 'not-in-memory' | 'timeout-not-zero' | 'iterated-here' | 'pause-not-zero';

export interface CatalogueEntry {
  readonly code: string;
  readonly family: Family;
  /** The qualified name of a function, or `Class.method` for a method (the class stands for `receiver`). */
  readonly name: string;
  /** For a method: the kind of object it blocks on, and the method's name (`*`: every method but `except`). */
  readonly receiver?: Kind;
  readonly method?: string;
  readonly except?: ReadonlySet<string>;
  /** The async alternative, as a message names it. */
  readonly twin: string;
  /** Reported at information rather than the rule's default: slow once, or slow on some systems. */
  readonly information?: boolean;
  /** `await asyncio.to_thread(...)` would be wrong: the object belongs to the thread that made it. */
  readonly noFix?: boolean;
  readonly when?: Condition;
}

type Extra = Pick<CatalogueEntry, 'information' | 'noFix' | 'when' | 'except'>;

function functions(code: string, family: Family, twin: string, names: readonly string[], extra: Extra = {}): CatalogueEntry[] {
  return names.map((name) => ({ code, family, name, twin, ...extra }));
}

/** Methods of a kind; `className` is how entries and users name the kind's class. */
function methods(code: string, family: Family, twin: string, receiver: Kind, className: string, names: readonly string[], extra: Extra = {}): CatalogueEntry[] {
  return names.map((method) => ({ code, family, name: `${className}.${method}`, receiver, method, twin, ...extra }));
}

const client = clientKind;
const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const TO_THREAD = 'asyncio.to_thread()';

const HTTP_TWIN = 'an async client (httpx.AsyncClient, aiohttp)';
const FILE_TWIN = 'asyncio.to_thread() or aiofiles/anyio.Path';
const SQL_CURSOR = ['execute', 'executemany', 'callproc'];
const REDIS_COMMANDS = [
  'get', 'set', 'setex', 'setnx', 'getset', 'mget', 'mset', 'delete', 'exists', 'expire', 'ttl', 'incr', 'incrby', 'decr',
  'hget', 'hset', 'hmget', 'hmset', 'hgetall', 'hdel', 'hincrby', 'hkeys', 'lpush', 'rpush', 'lpop', 'rpop', 'blpop', 'brpop',
  'lrange', 'llen', 'sadd', 'srem', 'smembers', 'sismember', 'zadd', 'zrem', 'zrange', 'zrangebyscore', 'zscore', 'publish',
  'ping', 'keys', 'scan', 'flushdb', 'flushall', 'execute_command', 'eval', 'evalsha', 'xadd', 'xread', 'xreadgroup',
];
const MONGO_COLLECTION = [
  'find_one', 'insert_one', 'insert_many', 'update_one', 'update_many', 'replace_one', 'delete_one', 'delete_many',
  'count_documents', 'estimated_document_count', 'aggregate', 'distinct', 'find_one_and_update', 'find_one_and_delete',
  'find_one_and_replace', 'bulk_write', 'create_index', 'create_indexes', 'drop_index', 'drop',
];
const BOTO_LOCAL = new Set(['get_paginator', 'get_waiter', 'can_paginate', 'close', 'generate_presigned_url', 'generate_presigned_post', 'meta', 'exceptions']);

export const CATALOGUE: readonly CatalogueEntry[] = [
  // TW101: sleep.
  ...functions('TW101', 'sleep', 'await asyncio.sleep()', ['time.sleep'], { when: 'pause-not-zero' }),

  // TW102: HTTP.
  ...functions('TW102', 'http', HTTP_TWIN, [
    ...HTTP_VERBS.map((v) => `requests.${v}`),
    ...HTTP_VERBS.map((v) => `requests.api.${v}`),
    ...[...HTTP_VERBS, 'stream'].map((v) => `httpx.${v}`),
    'urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib3.request',
  ]),
  ...methods('TW102', 'http', HTTP_TWIN, 'http-session', 'requests.Session', [...HTTP_VERBS, 'send', 'stream', 'urlopen']),
  ...methods('TW102', 'http', HTTP_TWIN, client('http.client.HTTPConnection'), 'http.client.HTTPConnection', ['request', 'getresponse', 'connect', 'endheaders']),
  ...methods('TW102', 'http', HTTP_TWIN, client('urllib.request.OpenerDirector'), 'urllib.request.OpenerDirector', ['open']),

  // TW103: processes.
  ...functions('TW103', 'subprocess', 'asyncio.create_subprocess_exec()', [
    'subprocess.run', 'subprocess.call', 'subprocess.check_call', 'subprocess.check_output',
    'subprocess.getoutput', 'subprocess.getstatusoutput', 'subprocess.Popen',
    'os.system', 'os.popen', 'os.wait', 'os.wait3', 'os.wait4', 'os.waitpid', 'os.waitid',
    'os.spawnl', 'os.spawnle', 'os.spawnlp', 'os.spawnlpe', 'os.spawnv', 'os.spawnve', 'os.spawnvp', 'os.spawnvpe',
    'os.posix_spawn', 'os.posix_spawnp',
  ]),
  ...methods('TW103', 'subprocess', 'asyncio.subprocess.Process.wait()', 'popen', 'subprocess.Popen', ['wait', 'communicate']),

  // TW104: files. Only operations whose cost grows with the data or the directory: a single
  // metadata call (os.path.exists, os.stat, Path.mkdir, os.remove) is left out, see docs/rules/TW104.md.
  ...functions('TW104', 'file', FILE_TWIN, [
    'builtins.open', 'io.open', 'io.open_code', 'os.open', 'codecs.open',
    'gzip.open', 'bz2.open', 'lzma.open',
    // Not tempfile.SpooledTemporaryFile: it is a memory buffer until a write passes max_size.
    'tempfile.TemporaryFile', 'tempfile.NamedTemporaryFile', 'tempfile.mkstemp',
    'shutil.copy', 'shutil.copy2', 'shutil.copyfile', 'shutil.copytree', 'shutil.copyfileobj', 'shutil.move', 'shutil.rmtree',
    'shutil.make_archive', 'shutil.unpack_archive',
    'os.listdir', 'os.scandir', 'glob.glob',
    'PIL.Image.open',
    ...['csv', 'excel', 'json', 'parquet', 'pickle', 'table', 'feather', 'hdf', 'orc', 'xml', 'fwf', 'sas', 'spss', 'stata'].map((f) => `pandas.read_${f}`),
  ]),
  ...functions('TW104', 'file', FILE_TWIN, ['zipfile.ZipFile', 'tarfile.open'], { when: 'not-in-memory' }),
  // Generators: no I/O until the first next(). (os.scandir opens the directory at once.)
  ...functions('TW104', 'file', FILE_TWIN, ['os.walk', 'os.fwalk', 'glob.iglob'], { when: 'iterated-here' }),
  ...methods('TW104', 'file', FILE_TWIN, 'path', 'pathlib.Path', ['read_text', 'read_bytes', 'write_text', 'write_bytes', 'open']),
  ...methods('TW104', 'file', FILE_TWIN, 'path', 'pathlib.Path', ['iterdir', 'glob', 'rglob', 'walk'], { when: 'iterated-here' }),
  ...methods('TW104', 'file', FILE_TWIN, client('zipfile.ZipFile'), 'zipfile.ZipFile', ['read', 'write', 'writestr', 'extract', 'extractall']),
  ...methods('TW104', 'file', FILE_TWIN, client('tarfile.TarFile'), 'tarfile.TarFile', ['add', 'extract', 'extractall', 'extractfile']),
  ...methods('TW104', 'file', FILE_TWIN, client('PIL.Image.Image'), 'PIL.Image.Image', ['save']),
  ...methods('TW104', 'file', FILE_TWIN, client('pandas.DataFrame'), 'pandas.DataFrame', ['to_csv', 'to_excel', 'to_json', 'to_parquet', 'to_pickle', 'to_feather', 'to_hdf'], { when: 'has-first-argument' }),

  // TW105: the terminal.
  ...functions('TW105', 'input', 'await asyncio.to_thread(input, ...)', ['builtins.input']),

  // TW106: waits for another thread.
  ...functions('TW106', 'thread-wait', 'asyncio.wait() on wrapped futures', ['concurrent.futures.wait', 'concurrent.futures.as_completed']),
  ...methods('TW106', 'thread-wait', 'await asyncio.wrap_future(f)', 'cf-future', 'concurrent.futures.Future', ['result', 'exception']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'thread', 'threading.Thread', ['join']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'process', 'multiprocessing.Process', ['join']),
  ...methods('TW106', 'thread-wait', 'asyncio.Lock', 'thread-lock', 'threading.Lock', ['acquire']),
  ...methods('TW106', 'thread-wait', 'asyncio.Lock', 'thread-rlock', 'threading.RLock', ['acquire']),
  ...methods('TW106', 'thread-wait', 'asyncio.Semaphore', 'thread-semaphore', 'threading.Semaphore', ['acquire']),
  ...methods('TW106', 'thread-wait', 'asyncio.Condition', 'thread-condition', 'threading.Condition', ['acquire', 'wait', 'wait_for']),
  ...methods('TW106', 'thread-wait', 'asyncio.Event', 'thread-event', 'threading.Event', ['wait']),
  ...methods('TW106', 'thread-wait', 'asyncio.Queue', 'thread-queue', 'queue.Queue', ['get', 'put', 'join']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'thread-executor', 'concurrent.futures.ThreadPoolExecutor', ['shutdown']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'process-executor', 'concurrent.futures.ProcessPoolExecutor', ['shutdown']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'process-pool', 'multiprocessing.pool.Pool', ['join']),
  ...methods('TW106', 'thread-wait', TO_THREAD, 'thread-pool', 'multiprocessing.pool.ThreadPool', ['join']),

  // TW108: the network below HTTP, messaging, SSH and cloud SDKs.
  ...functions('TW108', 'dns', 'await loop.getaddrinfo() / loop.getnameinfo()', [
    'socket.getaddrinfo', 'socket.gethostbyname', 'socket.gethostbyname_ex', 'socket.gethostbyaddr', 'socket.getnameinfo', 'socket.getfqdn',
  ]),
  ...functions('TW108', 'socket', 'await asyncio.open_connection()', ['socket.create_connection', 'ssl.get_server_certificate']),
  ...methods('TW108', 'socket', 'asyncio streams or await loop.sock_*()', client('socket.socket'), 'socket.socket',
    ['connect', 'accept', 'recv', 'recv_into', 'recvfrom', 'recvfrom_into', 'send', 'sendall', 'sendto', 'sendfile']),
  ...functions('TW108', 'mail-ftp', 'an async client (aiosmtplib, aioftp, aioimaplib) or asyncio.to_thread()', ['smtplib.SMTP', 'smtplib.SMTP_SSL', 'smtplib.LMTP', 'ftplib.FTP', 'ftplib.FTP_TLS'], { when: 'has-first-argument' }),
  ...functions('TW108', 'mail-ftp', 'an async client (aioimaplib) or asyncio.to_thread()', ['imaplib.IMAP4', 'imaplib.IMAP4_SSL', 'poplib.POP3', 'poplib.POP3_SSL']),
  ...methods('TW108', 'mail-ftp', 'aiosmtplib', client('smtplib.SMTP'), 'smtplib.SMTP',
    ['connect', 'login', 'starttls', 'ehlo', 'helo', 'sendmail', 'send_message', 'noop', 'verify', 'quit']),
  ...methods('TW108', 'mail-ftp', 'aioftp', client('ftplib.FTP'), 'ftplib.FTP',
    ['connect', 'login', 'cwd', 'nlst', 'dir', 'mlsd', 'size', 'delete', 'rename', 'mkd', 'rmd', 'retrbinary', 'retrlines', 'storbinary', 'storlines', 'quit']),
  ...methods('TW108', 'mail-ftp', 'aioimaplib', client('imaplib.IMAP4'), 'imaplib.IMAP4',
    ['login', 'select', 'search', 'fetch', 'store', 'copy', 'expunge', 'list', 'append', 'uid', 'idle', 'noop', 'logout']),
  ...methods('TW108', 'mail-ftp', TO_THREAD, client('poplib.POP3'), 'poplib.POP3', ['user', 'pass_', 'stat', 'list', 'retr', 'dele', 'top', 'uidl', 'quit']),
  ...functions('TW108', 'messaging', 'aiomqtt', ['paho.mqtt.publish.single', 'paho.mqtt.publish.multiple', 'paho.mqtt.subscribe.simple', 'paho.mqtt.subscribe.callback']),
  ...methods('TW108', 'messaging', 'aiomqtt', client('paho.mqtt.client.Client'), 'paho.mqtt.client.Client', ['connect', 'reconnect', 'tls_set', 'loop', 'loop_forever'], { noFix: true }),
  ...functions('TW108', 'messaging', 'aio-pika', ['pika.BlockingConnection', 'pika.adapters.blocking_connection.BlockingConnection'], { noFix: true }),
  ...methods('TW108', 'messaging', 'aio-pika', client('pika.BlockingConnection'), 'pika.BlockingConnection', ['channel', 'process_data_events', 'sleep'], { noFix: true }),
  ...methods('TW108', 'messaging', 'aio-pika', client('pika.adapters.blocking_connection.BlockingChannel'), 'pika.adapters.blocking_connection.BlockingChannel',
    ['basic_publish', 'basic_get', 'basic_consume', 'start_consuming', 'consume', 'queue_declare', 'exchange_declare', 'queue_bind', 'queue_purge', 'confirm_delivery'], { noFix: true }),
  ...methods('TW108', 'messaging', 'zmq.asyncio.Poller (await poller.poll())', client('zmq.Poller'), 'zmq.Poller', ['poll'], { noFix: true, when: 'timeout-not-zero' }),
  ...functions('TW108', 'messaging', 'aiokafka', ['kafka.KafkaProducer', 'kafka.KafkaConsumer']),
  ...methods('TW108', 'messaging', 'aiokafka', client('kafka.KafkaProducer'), 'kafka.KafkaProducer', ['flush', 'close']),
  ...methods('TW108', 'messaging', 'aiokafka', client('kafka.KafkaConsumer'), 'kafka.KafkaConsumer', ['poll', 'commit']),
  // confluent-kafka's `poll(0)` and `flush(0)` serve what is ready and return: the timeout is their first argument.
  ...methods('TW108', 'messaging', 'aiokafka', client('confluent_kafka.Producer'), 'confluent_kafka.Producer', ['flush', 'poll'], { when: 'timeout-not-zero' }),
  ...methods('TW108', 'messaging', 'aiokafka', client('confluent_kafka.Consumer'), 'confluent_kafka.Consumer', ['poll'], { when: 'timeout-not-zero' }),
  ...methods('TW108', 'messaging', 'aiokafka', client('confluent_kafka.Consumer'), 'confluent_kafka.Consumer', ['consume', 'commit']),
  ...methods('TW108', 'ssh', 'asyncssh', client('paramiko.SSHClient'), 'paramiko.SSHClient', ['connect', 'exec_command', 'open_sftp', 'invoke_shell'], { noFix: true }),
  ...methods('TW108', 'ssh', 'asyncssh', client('paramiko.SFTPClient'), 'paramiko.SFTPClient',
    ['get', 'put', 'open', 'listdir', 'listdir_attr', 'stat', 'remove', 'rename', 'mkdir', 'rmdir', 'getfo', 'putfo'], { noFix: true }),
  ...methods('TW108', 'cloud', 'aioboto3', client('botocore.client.BaseClient'), 'botocore.client.BaseClient', ['*'], { except: BOTO_LOCAL }),
  ...methods('TW108', 'cloud', 'aioboto3', client('boto3.resources.base.ServiceResource'), 'boto3.resources.base.ServiceResource',
    ['load', 'reload', 'get', 'put', 'delete', 'upload_file', 'download_file', 'upload_fileobj', 'download_fileobj', 'copy', 'create', 'create_bucket']),
  ...methods('TW108', 'cloud', 'gcloud-aio-storage', client('google.cloud.storage.Client'), 'google.cloud.storage.Client', ['get_bucket', 'create_bucket', 'lookup_bucket', 'download_blob_to_file']),
  ...methods('TW108', 'cloud', 'gcloud-aio-bigquery', client('google.cloud.bigquery.Client'), 'google.cloud.bigquery.Client',
    ['query', 'get_table', 'get_dataset', 'insert_rows', 'insert_rows_json', 'load_table_from_file', 'load_table_from_uri', 'delete_table', 'create_table']),

  // TW109: database clients.
  ...functions('TW109', 'database', 'aiosqlite', ['sqlite3.connect'], { noFix: true }),
  ...methods('TW109', 'database', 'aiosqlite', client('sqlite3.Connection'), 'sqlite3.Connection', ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup'], { noFix: true }),
  ...methods('TW109', 'database', 'aiosqlite', client('sqlite3.Cursor'), 'sqlite3.Cursor', ['execute', 'executemany', 'executescript', 'fetchone', 'fetchmany', 'fetchall'], { noFix: true }),
  ...functions('TW109', 'database', 'asyncpg or psycopg.AsyncConnection', ['psycopg2.connect']),
  ...methods('TW109', 'database', 'asyncpg or psycopg.AsyncConnection', client('psycopg2.extensions.connection'), 'psycopg2.extensions.connection', ['commit', 'rollback']),
  ...methods('TW109', 'database', 'asyncpg or psycopg.AsyncConnection', client('psycopg2.extensions.cursor'), 'psycopg2.extensions.cursor', [...SQL_CURSOR, 'copy_expert', 'copy_from', 'copy_to']),
  ...functions('TW109', 'database', 'psycopg.AsyncConnection', ['psycopg.connect', 'psycopg.Connection.connect']),
  ...methods('TW109', 'database', 'psycopg.AsyncConnection', client('psycopg.Connection'), 'psycopg.Connection', ['execute', 'commit', 'rollback']),
  ...methods('TW109', 'database', 'psycopg.AsyncConnection', client('psycopg.Cursor'), 'psycopg.Cursor', ['execute', 'executemany', 'copy']),
  ...functions('TW109', 'database', 'aiomysql or asyncmy', ['pymysql.connect', 'pymysql.Connect', 'MySQLdb.connect', 'MySQLdb.Connect']),
  ...methods('TW109', 'database', 'aiomysql or asyncmy', client('pymysql.connections.Connection'), 'pymysql.connections.Connection', ['commit', 'rollback', 'ping', 'select_db']),
  ...methods('TW109', 'database', 'aiomysql or asyncmy', client('pymysql.cursors.Cursor'), 'pymysql.cursors.Cursor', SQL_CURSOR),
  ...functions('TW109', 'database', "oracledb's asyncio API (oracledb.connect_async)", ['oracledb.connect', 'cx_Oracle.connect']),
  ...methods('TW109', 'database', "oracledb's asyncio API (oracledb.connect_async)", client('oracledb.Connection'), 'oracledb.Connection', ['commit', 'rollback', 'ping']),
  ...methods('TW109', 'database', "oracledb's asyncio API (oracledb.connect_async)", client('oracledb.Cursor'), 'oracledb.Cursor', [...SQL_CURSOR, 'callfunc', 'fetchone', 'fetchmany', 'fetchall']),
  ...methods('TW109', 'database', 'motor or pymongo.AsyncMongoClient', client('pymongo.MongoClient'), 'pymongo.MongoClient', ['server_info', 'list_database_names', 'drop_database']),
  ...methods('TW109', 'database', 'motor or pymongo.AsyncMongoClient', client('pymongo.database.Database'), 'pymongo.database.Database', ['command', 'list_collection_names', 'create_collection', 'drop_collection']),
  ...methods('TW109', 'database', 'motor or pymongo.AsyncMongoClient', client('pymongo.collection.Collection'), 'pymongo.collection.Collection', MONGO_COLLECTION),
  ...methods('TW109', 'database', 'redis.asyncio.Redis', client('redis.Redis'), 'redis.Redis', REDIS_COMMANDS),
  ...methods('TW109', 'database', 'redis.asyncio.Redis', client('redis.client.Pipeline'), 'redis.client.Pipeline', ['execute']),
  ...methods('TW109', 'database', 'sqlalchemy.ext.asyncio (create_async_engine, AsyncSession)', client('sqlalchemy.engine.Engine'), 'sqlalchemy.engine.Engine', ['connect', 'begin', 'execute']),
  ...methods('TW109', 'database', 'sqlalchemy.ext.asyncio (create_async_engine, AsyncSession)', client('sqlalchemy.engine.Connection'), 'sqlalchemy.engine.Connection', ['execute', 'exec_driver_sql', 'scalar', 'scalars', 'commit', 'rollback']),
  ...methods('TW109', 'database', 'sqlalchemy.ext.asyncio (create_async_engine, AsyncSession)', client('sqlalchemy.orm.Session'), 'sqlalchemy.orm.Session', ['execute', 'scalar', 'scalars', 'get', 'commit', 'rollback', 'flush', 'refresh', 'merge']),
  ...functions('TW109', 'database', 'an async driver (asyncpg, aiosqlite) or asyncio.to_thread()', ['pandas.read_sql', 'pandas.read_sql_query', 'pandas.read_sql_table']),

  // TW110: slow once, or CPU-bound: reported at information.
  ...functions('TW110', 'import', 'a module-level import, or asyncio.to_thread(importlib.import_module, ...)', ['importlib.import_module', 'importlib.reload'], { information: true }),
  ...functions('TW110', 'tls', 'a context made once at start-up, or asyncio.to_thread()', ['ssl.create_default_context'], { information: true }),
  ...methods('TW110', 'tls', 'certificates loaded once at start-up, or asyncio.to_thread()', client('ssl.SSLContext'), 'ssl.SSLContext',
    ['load_verify_locations', 'load_default_certs', 'load_cert_chain', 'set_default_verify_paths'], { information: true, noFix: true }),
  ...functions('TW110', 'timezone', 'a zone looked up once at start-up, or asyncio.to_thread()', ['pytz.timezone', 'dateutil.tz.gettz'], { information: true }),
  ...functions('TW110', 'cpu', 'asyncio.to_thread() (hashlib releases the GIL)', ['hashlib.pbkdf2_hmac', 'hashlib.scrypt', 'bcrypt.hashpw', 'bcrypt.checkpw', 'bcrypt.kdf'], { information: true }),
  ...functions('TW110', 'sdk-setup', 'a client made once at start-up, asyncio.to_thread(), or aioboto3', ['boto3.client', 'boto3.resource'], { information: true }),
  ...methods('TW110', 'sdk-setup', 'a client made once at start-up, asyncio.to_thread(), or aioboto3', client('boto3.session.Session'), 'boto3.session.Session', ['client', 'resource'], { information: true }),
];
