import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerLearning } from './learning';
import { ThreadwiseStatus } from './status-bar';
import { traceChannel } from './trace-channel';

let client: LanguageClient | undefined;

/** The client stays thin: start the server, keep it alive, and give its log a home. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('Threadwise', { log: true });
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };

  let restarts = 0;
  const traces = traceChannel(output);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'python' }],
    outputChannel: output,
    // `threadwise.trace.server` (read by the client under its id) traces into the same channel.
    traceOutputChannel: traces,
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue }),
      // A crashed server comes back, but not in a tight loop if it dies on start every time.
      closed: () => {
        restarts++;
        if (restarts > 5) {
          output.error('The Threadwise server stopped 5 times; run "Threadwise: Restart Server" to try again.');
          return { action: CloseAction.DoNotRestart };
        }
        output.warn(`The Threadwise server stopped; restarting (${restarts}).`);
        return { action: CloseAction.Restart };
      },
    },
  };

  client = new LanguageClient('threadwise', 'Threadwise', serverOptions, clientOptions);
  context.subscriptions.push(
    output,
    traces,
    new ThreadwiseStatus(client),
    vscode.commands.registerCommand('threadwise.restartServer', async () => {
      restarts = 0;
      await client?.restart();
    }),
    vscode.commands.registerCommand('threadwise.showOutput', () => output.show()),
  );
  registerLearning(context);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
