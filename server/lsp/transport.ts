import { format } from 'node:util';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

/**
 * The connection for `--stdio` or `--node-ipc` (what VS Code uses), built from a reader the server
 * can watch. After a framing error (a garbage header, a Content-Length that is not a number, a body
 * that is not JSON) vscode-jsonrpc reports the error and reads on, but the stream is out of step or
 * a message was lost: the server would stay up and never answer again. Exiting with code 1 instead
 * lets the client see a crash and start a fresh server. Other transports keep the library's default.
 */
export function createServerConnection(argv: readonly string[], shutdownRequested: () => boolean): Connection {
  let reader: MessageReader;
  let writer: MessageWriter;
  const stdio = argv.includes('--stdio');
  if (stdio) {
    reader = new StreamMessageReader(process.stdin);
    writer = new StreamMessageWriter(process.stdout);
  } else if (argv.includes('--node-ipc')) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else {
    return createConnection(ProposedFeatures.all);
  }
  reader.onError((err) => {
    process.stderr.write(`Threadwise: unreadable message from the client (${err.message.slice(0, 200)}); exiting so the client restarts the server.\n`);
    process.exit(1);
  });
  // The library exits when its own input stream ends; given a reader it leaves that to its owner.
  reader.onClose(() => process.exit(shutdownRequested() ? 0 : 1));
  const connection = createConnection(ProposedFeatures.all, reader, writer);
  // Over stdio, stdout is the protocol: a stray console.log from any library would corrupt it.
  if (stdio) redirectConsole(connection);
  return connection;
}

function redirectConsole(connection: Connection): void {
  const to = (send: (message: string) => void) => (...args: unknown[]) => send(format(...args));
  console.log = to((m) => connection.console.log(m));
  console.info = to((m) => connection.console.info(m));
  console.debug = to((m) => connection.console.log(m));
  console.warn = to((m) => connection.console.warn(m));
  console.error = to((m) => connection.console.error(m));
  console.trace = to((m) => connection.console.log(m));
}
