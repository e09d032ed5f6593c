/**
 * Client objects of libraries whose methods block: database connections and cursors, network
 * clients, cloud SDK clients. Each kind is named after the class it stands for
 * (`client:redis.Redis`), so a user's `blocking-calls` entry `redis.Redis.scan_iter` and the
 * catalogue's own entries name the same thing. These maps are merged into the analyzer's kind
 * tables (model/known-types.ts), which is how `self.db = psycopg2.connect()`, `with X() as c:`,
 * annotations (`Optional[redis.Redis]`) and annotated factories come to be known.
 */
export type ClientKind = `client:${string}`;

export function clientKind(className: string): ClientKind {
  return `client:${className}`;
}

/** The class a client kind stands for, or undefined for other kinds. */
export function clientClass(kind: string): string | undefined {
  return kind.startsWith('client:') ? kind.slice('client:'.length) : undefined;
}

interface ClientClass {
  /** Qualified names that make or declare an instance: constructors, factories, annotation names. */
  readonly madeBy: readonly string[];
  /** Methods whose result is another client (`conn.cursor()` is a cursor), by method name. */
  readonly results?: Readonly<Record<string, string>>;
  /** Attribute reads or subscripts that give another client (`client.db.users` in pymongo). */
  readonly attributes?: string;
}

const CLASSES: Readonly<Record<string, ClientClass>> = {
  // Databases.
  'sqlite3.Connection': { madeBy: ['sqlite3.connect', 'sqlite3.Connection', 'sqlite3.dbapi2.connect'], results: { cursor: 'sqlite3.Cursor', execute: 'sqlite3.Cursor', executemany: 'sqlite3.Cursor', executescript: 'sqlite3.Cursor' } },
  'sqlite3.Cursor': { madeBy: ['sqlite3.Cursor'], results: { execute: 'sqlite3.Cursor', executemany: 'sqlite3.Cursor', executescript: 'sqlite3.Cursor' } },
  'psycopg2.extensions.connection': { madeBy: ['psycopg2.connect', 'psycopg2.extensions.connection', 'psycopg2._psycopg.connection'], results: { cursor: 'psycopg2.extensions.cursor' } },
  'psycopg2.extensions.cursor': { madeBy: ['psycopg2.extensions.cursor', 'psycopg2._psycopg.cursor', 'psycopg2.extras.DictCursor', 'psycopg2.extras.RealDictCursor'] },
  'psycopg.Connection': { madeBy: ['psycopg.connect', 'psycopg.Connection', 'psycopg.Connection.connect', 'psycopg.connection.Connection'], results: { cursor: 'psycopg.Cursor', execute: 'psycopg.Cursor' } },
  'psycopg.Cursor': { madeBy: ['psycopg.Cursor', 'psycopg.cursor.Cursor'] },
  'pymysql.connections.Connection': { madeBy: ['pymysql.connect', 'pymysql.Connect', 'pymysql.Connection', 'pymysql.connections.Connection', 'MySQLdb.connect', 'MySQLdb.Connect', 'MySQLdb.Connection', 'MySQLdb.connections.Connection'], results: { cursor: 'pymysql.cursors.Cursor' } },
  'pymysql.cursors.Cursor': { madeBy: ['pymysql.cursors.Cursor', 'pymysql.cursors.DictCursor', 'MySQLdb.cursors.Cursor'] },
  'oracledb.Connection': { madeBy: ['oracledb.connect', 'oracledb.Connection', 'cx_Oracle.connect', 'cx_Oracle.Connection'], results: { cursor: 'oracledb.Cursor' } },
  'oracledb.Cursor': { madeBy: ['oracledb.Cursor', 'cx_Oracle.Cursor'] },
  'pymongo.MongoClient': { madeBy: ['pymongo.MongoClient', 'pymongo.mongo_client.MongoClient'], results: { get_database: 'pymongo.database.Database', get_default_database: 'pymongo.database.Database' }, attributes: 'pymongo.database.Database' },
  'pymongo.database.Database': { madeBy: ['pymongo.database.Database'], results: { get_collection: 'pymongo.collection.Collection' }, attributes: 'pymongo.collection.Collection' },
  'pymongo.collection.Collection': { madeBy: ['pymongo.collection.Collection'] },
  'redis.Redis': { madeBy: ['redis.Redis', 'redis.StrictRedis', 'redis.client.Redis', 'redis.client.StrictRedis', 'redis.from_url', 'redis.Redis.from_url', 'redis.StrictRedis.from_url'], results: { pipeline: 'redis.client.Pipeline' } },
  'redis.client.Pipeline': { madeBy: ['redis.client.Pipeline'] },
  'sqlalchemy.engine.Engine': { madeBy: ['sqlalchemy.create_engine', 'sqlalchemy.engine.create_engine', 'sqlalchemy.Engine', 'sqlalchemy.engine.Engine', 'sqlalchemy.engine.base.Engine'], results: { connect: 'sqlalchemy.engine.Connection', begin: 'sqlalchemy.engine.Connection' } },
  'sqlalchemy.engine.Connection': { madeBy: ['sqlalchemy.Connection', 'sqlalchemy.engine.Connection', 'sqlalchemy.engine.base.Connection'] },
  'sqlalchemy.orm.Session': { madeBy: ['sqlalchemy.orm.Session', 'sqlalchemy.orm.session.Session', 'sqlmodel.Session'] },
  // Network clients, messaging, SSH, cloud SDKs.
  'socket.socket': { madeBy: ['socket.socket', 'socket.create_connection', 'socket.create_server', 'socket.SocketType'] },
  'http.client.HTTPConnection': { madeBy: ['http.client.HTTPConnection', 'http.client.HTTPSConnection'] },
  'urllib.request.OpenerDirector': { madeBy: ['urllib.request.build_opener', 'urllib.request.OpenerDirector'] },
  'smtplib.SMTP': { madeBy: ['smtplib.SMTP', 'smtplib.SMTP_SSL', 'smtplib.LMTP'] },
  'ftplib.FTP': { madeBy: ['ftplib.FTP', 'ftplib.FTP_TLS'] },
  'imaplib.IMAP4': { madeBy: ['imaplib.IMAP4', 'imaplib.IMAP4_SSL', 'imaplib.IMAP4_stream'] },
  'poplib.POP3': { madeBy: ['poplib.POP3', 'poplib.POP3_SSL'] },
  'paho.mqtt.client.Client': { madeBy: ['paho.mqtt.client.Client'] },
  'pika.BlockingConnection': { madeBy: ['pika.BlockingConnection', 'pika.adapters.blocking_connection.BlockingConnection'], results: { channel: 'pika.adapters.blocking_connection.BlockingChannel' } },
  'pika.adapters.blocking_connection.BlockingChannel': { madeBy: ['pika.adapters.blocking_connection.BlockingChannel'] },
  'kafka.KafkaProducer': { madeBy: ['kafka.KafkaProducer'] },
  // pyzmq's blocking poller; zmq.asyncio.Poller, whose poll() is awaited, is another class.
  'zmq.Poller': { madeBy: ['zmq.Poller', 'zmq.sugar.poll.Poller', 'zmq.sugar.Poller'] },
  'kafka.KafkaConsumer': { madeBy: ['kafka.KafkaConsumer'] },
  'confluent_kafka.Producer': { madeBy: ['confluent_kafka.Producer'] },
  'confluent_kafka.Consumer': { madeBy: ['confluent_kafka.Consumer'] },
  'paramiko.SSHClient': { madeBy: ['paramiko.SSHClient', 'paramiko.client.SSHClient'], results: { open_sftp: 'paramiko.SFTPClient' } },
  'paramiko.SFTPClient': { madeBy: ['paramiko.SFTPClient', 'paramiko.sftp_client.SFTPClient', 'paramiko.SFTPClient.from_transport'] },
  'botocore.client.BaseClient': { madeBy: ['boto3.client', 'botocore.client.BaseClient'] },
  'boto3.resources.base.ServiceResource': { madeBy: ['boto3.resource', 'boto3.resources.base.ServiceResource'] },
  'boto3.session.Session': { madeBy: ['boto3.Session', 'boto3.session.Session'], results: { client: 'botocore.client.BaseClient', resource: 'boto3.resources.base.ServiceResource' } },
  'google.cloud.storage.Client': { madeBy: ['google.cloud.storage.Client', 'google.cloud.storage.client.Client'] },
  'google.cloud.bigquery.Client': { madeBy: ['google.cloud.bigquery.Client', 'google.cloud.bigquery.client.Client'] },
  // Setup work: TLS contexts load certificates from disk.
  'ssl.SSLContext': { madeBy: ['ssl.SSLContext', 'ssl.create_default_context', 'ssl._create_unverified_context'] },
  // Files by another name.
  'PIL.Image.Image': { madeBy: ['PIL.Image.open', 'PIL.Image.new', 'PIL.Image.Image'] },
  'pandas.DataFrame': { madeBy: ['pandas.DataFrame', 'pandas.core.frame.DataFrame'] },
  'zipfile.ZipFile': { madeBy: ['zipfile.ZipFile'] },
  'tarfile.TarFile': { madeBy: ['tarfile.open', 'tarfile.TarFile', 'tarfile.TarFile.open'] },
};

/** Constructor, factory or annotation name -> client kind, for model/known-types.ts. */
export const CLIENT_CONSTRUCTORS: ReadonlyArray<readonly [string, ClientKind]> = Object.entries(CLASSES)
  .flatMap(([cls, spec]) => spec.madeBy.map((name) => [name, clientKind(cls)] as const));

/** `<kind>.<method>` -> the kind of client the method returns, for model/known-types.ts. */
export const CLIENT_METHOD_RESULTS: ReadonlyArray<readonly [string, ClientKind]> = Object.entries(CLASSES)
  .flatMap(([cls, spec]) => Object.entries(spec.results ?? {}).map(([method, result]) => [`${clientKind(cls)}.${method}`, clientKind(result)] as const));

/** The client an attribute read or subscript of a client gives (`client.db`, `db["users"]`). */
export function attributeResult(kind: string): ClientKind | undefined {
  const cls = clientClass(kind);
  const result = cls ? CLASSES[cls]?.attributes : undefined;
  return result ? clientKind(result) : undefined;
}
