import * as vscode from 'vscode';

/**
 * The channel handed to the language client for protocol traces. vscode-languageclient only
 * traces when that channel's log level is Trace, which would make `threadwise.trace.server` do
 * nothing on its own. This view of the Threadwise channel reports Trace whenever the setting asks
 * for tracing (or the user set the channel to Trace) and writes the traces into the channel
 * whatever its own level.
 */
export function traceChannel(output: vscode.LogOutputChannel): vscode.LogOutputChannel & vscode.Disposable {
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  const settingWantsTrace = () => vscode.workspace.getConfiguration('threadwise').get<string>('trace.server', 'off') !== 'off';
  const level = () => (settingWantsTrace() ? vscode.LogLevel.Trace : output.logLevel);
  const subscriptions = [
    changed,
    output.onDidChangeLogLevel(() => changed.fire(level())),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('threadwise.trace.server')) changed.fire(level());
    }),
  ];
  const write = (message: string) => output.appendLine(message);
  return {
    get name() {
      return output.name;
    },
    get logLevel() {
      return level();
    },
    onDidChangeLogLevel: changed.event,
    trace: (message: string) => write(message),
    debug: (message: string) => write(message),
    info: (message: string, ...args: unknown[]) => output.info(message, ...args),
    warn: (message: string, ...args: unknown[]) => output.warn(message, ...args),
    error: (error: string | Error, ...args: unknown[]) => output.error(error, ...args),
    append: (value: string) => output.append(value),
    appendLine: (value: string) => output.appendLine(value),
    replace: (value: string) => output.replace(value),
    clear: () => output.clear(),
    show: (column?: vscode.ViewColumn | boolean, preserveFocus?: boolean) => {
      if (typeof column === 'boolean') output.show(column);
      else output.show(column, preserveFocus);
    },
    hide: () => output.hide(),
    dispose: () => {
      for (const s of subscriptions) s.dispose();
    },
  };
}
