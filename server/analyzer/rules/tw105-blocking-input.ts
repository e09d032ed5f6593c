import { BLOCKING_INPUT } from '../model/blocking-calls';
import { blockingInAsync } from './blocking-in-async';

export const blockingInput = blockingInAsync(
  {
    code: 'TW105',
    name: 'blocking-input',
    severity: 'warning',
    fix: 'quick',
    summary: 'input() inside async def blocks the event loop until the user types',
    description: '`input()` in an `async def` blocks the whole event loop until the user presses Enter.',
    skipsTestFiles: true,
    peerCodes: ['ASYNC250', 'S7501'],
  },
  BLOCKING_INPUT,
  () => 'until the user presses Enter; use await asyncio.to_thread(input, ...).',
  () => true,
);
