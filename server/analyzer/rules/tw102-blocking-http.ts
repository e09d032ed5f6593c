import { BLOCKING_HTTP } from '../model/blocking-calls';
import { blockingInAsync } from './blocking-in-async';

export const blockingHttp = blockingInAsync(
  {
    code: 'TW102',
    name: 'blocking-http',
    severity: 'warning',
    fix: 'quick',
    summary: 'synchronous HTTP request inside async def blocks the event loop',
    description: 'A synchronous HTTP request (`requests`, `httpx`, `urllib`, `urllib3`) in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC210', 'ASYNC211', 'ASYNC212', 'S7499'],
  },
  BLOCKING_HTTP,
  () => 'while it waits for the network; use an async client (httpx.AsyncClient, aiohttp) or asyncio.to_thread().',
  () => true,
);
