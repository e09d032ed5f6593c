import { catalogueRule } from '../catalogue/rule';

export const blockingDatabase = catalogueRule(
  {
    code: 'TW109',
    name: 'blocking-database',
    severity: 'warning',
    fix: 'quick',
    summary: 'synchronous database client call inside async def blocks the event loop',
    description: 'A call on a synchronous database client (sqlite3, psycopg2, psycopg, PyMySQL, MySQLdb, oracledb, pymongo, redis-py, SQLAlchemy sessions and engines) in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: [],
  },
  () => 'while it waits for the database',
);
