import type { WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import type { Session } from '../session';
import { discoverPythonFiles, MAX_INDEXED_BYTES, MAX_INDEXED_FILES } from './discover';
import { uriOf } from './project';

/**
 * Lets messages that arrived meanwhile be handled, then waits while a push client's check of an
 * edited or opened file is pending: a timer set by that edit would otherwise fire only after the
 * next file of the background work.
 */
export async function nextTurn(session: Session): Promise<void> {
  session.memory.worked(true);
  await new Promise((resolve) => setImmediate(resolve));
  while (!session.pushes.idle && !session.lifecycle.shutdownRequested) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** Work-done progress the server creates; a client that refuses it gets none, and indexing goes on. */
async function progressFor(session: Session): Promise<WorkDoneProgressServerReporter | undefined> {
  try {
    return await session.connection.window.createWorkDoneProgress();
  } catch (err) {
    session.log(`No indexing progress: ${String(err)}`);
    return undefined;
  }
}

/**
 * Indexes the workspace folders' Python files in the background: one file per turn of the event
 * loop, so an edit or a request that arrives meanwhile is served before the next file. Open files
 * are indexed from the editor's text. At the end every open file is checked again (it may now see
 * across files), and in workspace mode every other file is checked and its findings reported.
 */
export async function indexWorkspace(session: Session): Promise<void> {
  const project = session.project;
  const started = performance.now();
  const files: string[] = [];
  for (const folder of session.folders) {
    const settings = await session.settingsFor(uriOf(folder));
    if (!settings.enable) continue;
    const found = discoverPythonFiles(folder, settings.editor.exclude ?? [], MAX_INDEXED_FILES - files.length);
    files.push(...found.files);
    if (found.tooLarge > 0) session.log(`Indexing ${folder}: ${found.tooLarge} files over ${MAX_INDEXED_BYTES} bytes left out.`);
    if (found.overCount > 0) session.log(`Indexing ${folder}: ${found.overCount} more Python files left out; at most ${MAX_INDEXED_FILES} files are indexed.`);
  }
  if (files.length === 0) return;
  project.indexing = true;
  const progress = await progressFor(session);
  progress?.begin(`Threadwise: indexing ${files.length} files`, 0, undefined, false);
  let shown = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      await nextTurn(session);
      if (session.lifecycle.shutdownRequested) return;
      const file = files[i]!;
      const open = session.openEntryOf(file);
      try {
        if (open) await session.analysisFor(open);
        // Findings come in the second pass, once every module is known.
        else await project.checkDisk(file, false);
      } catch (err) {
        session.log(`Indexing ${file} failed: ${String(err)}`);
      }
      const percentage = Math.floor(((i + 1) * 100) / files.length);
      if (percentage > shown) {
        shown = percentage;
        progress?.report(percentage, `${i + 1}/${files.length}`);
      }
    }
  } finally {
    project.indexing = false;
    progress?.done();
  }
  session.log(`Indexed ${files.length} Python files in ${Math.round(performance.now() - started)} ms.`);
  session.recheckOpen();
  await checkUnopened(session);
}

/** Workspace mode: every indexed file that is not open is checked and its findings reported. */
export async function checkUnopened(session: Session): Promise<void> {
  for (const file of session.project.indexedFiles()) {
    await nextTurn(session);
    if (session.lifecycle.shutdownRequested) return;
    if (!(await session.project.workspaceMode(file))) {
      session.project.forgetReport(file);
      continue;
    }
    try {
      await session.project.checkDisk(file);
    } catch (err) {
      session.log(`Checking ${file} failed: ${String(err)}`);
    }
  }
}
