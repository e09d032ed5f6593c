import { BLOCKING_FILE_IO } from '../model/blocking-calls';
import { blockingInAsync } from './blocking-in-async';

/** Calls that do all their I/O at once, so handing the call itself to a thread is the whole fix. */
const WHOLE_OPERATION = /(?:^shutil\.|\.(?:read_text|read_bytes|write_text|write_bytes)$)/;

export const blockingFileIo = blockingInAsync(
  {
    code: 'TW104',
    name: 'blocking-file-io',
    severity: 'warning',
    fix: 'quick',
    summary: 'file I/O inside async def blocks the event loop',
    description: 'Opening, reading, writing or copying files in an `async def` blocks the whole event loop.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC230', 'ASYNC231', 'S7493'],
  },
  BLOCKING_FILE_IO,
  () => 'while the disk works; move the file work into asyncio.to_thread() (or use aiofiles/anyio).',
  (name) => WHOLE_OPERATION.test(name),
);
