import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyzeSource } from '../../server/analyzer/analyze';
import { LineIndex } from '../../server/analyzer/line-index';
import { expandDefaults, parseSnippets } from '../../client/learning/snippet-text';
import { pyCompileAll } from '../support/python';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const walkthroughs: Walkthrough[] = pkg.contributes.walkthroughs;
const declared = new Set<string>(pkg.contributes.commands.map((c: { command: string }) => c.command));
const ids = walkthroughs.map((w) => w.id);
const snippetPrefixes = new Set(
  parseSnippets(fs.readFileSync(path.join(ROOT, 'snippets', 'python.code-snippets'), 'utf8')).map((p) => p.prefix),
);

interface Step {
  id: string;
  title: string;
  description: string;
  media: { svg?: string; image?: string; markdown?: string; altText?: string };
  completionEvents?: string[];
}
interface Walkthrough {
  id: string;
  title: string;
  description: string;
  steps: Step[];
}
interface Manifest {
  findings: { code: string; line: number; why: string }[];
}

const dir = (id: string): string => path.join(ROOT, 'walkthroughs', id);
const read = (id: string, name: string): string => fs.readFileSync(path.join(dir(id), name), 'utf8');

/** `command:` links in markdown: the command and its decoded argument list. */
function commandLinks(markdown: string): { command: string; args: unknown }[] {
  return [...markdown.matchAll(/\(command:([\w.]+)(?:\?([^)\s]+))?\)/g)].map((m) => ({
    command: m[1]!,
    args: m[2] === undefined ? undefined : JSON.parse(decodeURIComponent(m[2])),
  }));
}

async function findingsOf(source: string): Promise<string[]> {
  const lines = new LineIndex(source);
  return (await analyzeSource(source)).findings.map((f) => `${f.code}@${lines.lineOf(f.start) + 1}`);
}

/** Runs a program with python3 from its own folder; the timeout only keeps a hang from stalling the suite. */
function runPython(file: string): { status: number | null; output: string } {
  const run = spawnSync('python3', [path.basename(file)], { cwd: path.dirname(file), encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}${run.error ? `\n${run.error.message}` : ''}` };
}

test('package.json contributes the five walkthroughs with 4-7 steps each', () => {
  assert.deepEqual([...ids].sort(), ['actor', 'asyncio-responsive', 'locks-without-deadlocks', 'producer-consumer', 'thread-pool']);
  for (const w of walkthroughs) {
    assert.ok(w.steps.length >= 4 && w.steps.length <= 7, `${w.id} has ${w.steps.length} steps`);
    assert.equal(new Set(w.steps.map((s) => s.id)).size, w.steps.length, `${w.id}: step ids are unique`);
  }
});

test('every walkthrough media file exists, and the diagrams take their colours from the theme', () => {
  for (const w of walkthroughs) {
    for (const step of w.steps) {
      const files = [step.media.svg, step.media.image, step.media.markdown].filter((f): f is string => typeof f === 'string');
      assert.equal(files.length, 1, `${w.id}/${step.id} has one media file`);
      assert.ok(fs.existsSync(path.join(ROOT, files[0]!)), `${files[0]} exists`);
      if (step.media.svg) {
        const svg = fs.readFileSync(path.join(ROOT, step.media.svg), 'utf8');
        assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${step.media.svg} is an SVG document`);
        assert.match(svg, /var\(--vscode-foreground\b/, `${step.media.svg} uses the theme's foreground colour`);
        assert.doesNotMatch(svg, /(?:fill|stroke)="#/, `${step.media.svg} has no fixed colour attributes`);
        // The walkthrough page drops <style> elements: colours must be presentation attributes.
        assert.doesNotMatch(svg, /<style|class="/, `${step.media.svg} styles with attributes, not CSS classes`);
        assert.ok(step.media.altText, `${w.id}/${step.id} has alt text`);
      }
    }
    assert.ok(w.steps.some((s) => s.media.svg), `${w.id} has a diagram step`);
  }
});

test('every command a walkthrough links to or completes on is declared, with arguments it accepts', () => {
  for (const w of walkthroughs) {
    const linked = new Set<string>();
    for (const step of w.steps) {
      const texts = [step.description, step.media.markdown ? fs.readFileSync(path.join(ROOT, step.media.markdown), 'utf8') : ''];
      for (const link of texts.flatMap(commandLinks)) {
        assert.ok(declared.has(link.command), `${w.id}/${step.id} links to undeclared command ${link.command}`);
        linked.add(link.command);
        if (['threadwise.openExample', 'threadwise.runExample', 'threadwise.openExercise'].includes(link.command)) {
          assert.deepEqual(link.args, [w.id], `${w.id}/${step.id}: ${link.command} gets this walkthrough's id`);
        }
        if (link.command === 'threadwise.insertPattern') {
          assert.ok(Array.isArray(link.args) && snippetPrefixes.has(link.args[0] as string), `${w.id}: insertPattern names a contributed snippet: ${JSON.stringify(link.args)}`);
        }
      }
      for (const event of step.completionEvents ?? []) {
        const onCommand = /^onCommand:(.+)$/.exec(event);
        if (onCommand) assert.ok(declared.has(onCommand[1]!), `${w.id}/${step.id} completes on undeclared command ${onCommand[1]}`);
        const onContext = /^onContext:(.+)$/.exec(event);
        if (onContext) assert.equal(onContext[1], `threadwise.exercise.${w.id}.solved`, `${w.id}/${step.id} context key`);
        assert.match(event, /^(onCommand|onContext|onStepSelected|onLink|onSettingChanged|onView|extensionInstalled)/, `known completion event ${event}`);
      }
    }
    for (const command of ['threadwise.openExample', 'threadwise.runExample', 'threadwise.openExercise', 'threadwise.insertPattern']) {
      assert.ok(linked.has(command), `${w.id} has a step linking to ${command}`);
    }
    const exercise = w.steps.filter((s) => (s.completionEvents ?? []).includes(`onContext:threadwise.exercise.${w.id}.solved`));
    assert.equal(exercise.length, 1, `${w.id} has one exercise step completed by its context key`);
  }
  for (const command of ['threadwise.openWalkthrough', 'threadwise.openExample', 'threadwise.insertPattern']) assert.ok(declared.has(command), command);
});

test('every snippet prefix the walkthroughs mention is contributed', () => {
  for (const w of walkthroughs) {
    const text = w.steps.map((s) => `${s.description}\n${s.media.markdown ? fs.readFileSync(path.join(ROOT, s.media.markdown), 'utf8') : ''}`).join('\n');
    for (const m of text.matchAll(/(?<![\w-])(tw-[a-z]+(?:-[a-z]+)*)/g)) assert.ok(snippetPrefixes.has(m[1]!), `${w.id} mentions ${m[1]}, which no snippet has`);
  }
});

test('the extension id the walkthrough command uses matches publisher.name', () => {
  assert.equal(`${pkg.publisher}.${pkg.name}`, 'threadwise.threadwise');
  const client = fs.readFileSync(path.join(ROOT, 'client', 'learning', 'index.ts'), 'utf8');
  assert.match(client, /workbench\.action\.openWalkthrough/);
});

test('every example, exercise and solution compiles with python3', () => {
  const sources = new Map<string, string>();
  for (const id of ids) for (const name of ['example.py', 'exercise.py', 'solution.py']) sources.set(`${id}/${name}`, read(id, name));
  assert.deepEqual([...pyCompileAll(sources)], []);
});

test('every example and solution runs to completion with python3', () => {
  for (const id of ids) {
    for (const name of ['example.py', 'solution.py']) {
      const { status, output } = runPython(path.join(dir(id), name));
      assert.equal(status, 0, `${id}/${name} exited with ${status}:\n${output}`);
      assert.ok(output.trim().length > 0, `${id}/${name} prints what it did`);
    }
  }
});

test('examples and solutions get no findings; each exercise gets exactly the findings its manifest plants', async () => {
  for (const id of ids) {
    assert.deepEqual(await findingsOf(read(id, 'example.py')), [], `${id}/example.py`);
    assert.deepEqual(await findingsOf(read(id, 'solution.py')), [], `${id}/solution.py`);
    const manifest = JSON.parse(read(id, 'exercise.json')) as Manifest;
    assert.ok(manifest.findings.length >= 1, `${id} plants at least one hazard`);
    const planted = manifest.findings.map((f) => `${f.code}@${f.line}`).sort();
    assert.deepEqual((await findingsOf(read(id, 'exercise.py'))).sort(), planted, `${id}/exercise.py`);
  }
});

test("applying the planted findings' quick fixes solves each exercise", async () => {
  for (const id of ids) {
    let source = read(id, 'exercise.py');
    const { findings } = await analyzeSource(source);
    for (const f of findings) assert.ok(f.fix, `${id}: ${f.code} has a quick fix for the learner to apply`);
    // One at a time, re-analysing in between, as a learner applies them from the light bulb.
    for (let i = 0; i < findings.length; i++) {
      const next = (await analyzeSource(source)).findings.find((f) => f.fix);
      if (!next) break;
      for (const e of [...next.fix!.edits].sort((a, b) => b.start - a.start)) source = source.slice(0, e.start) + e.newText + source.slice(e.end);
    }
    assert.deepEqual(await findingsOf(source), [], `${id}: no finding left after the fixes`);
    assert.deepEqual([...pyCompileAll(new Map([[id, source]]))], [], `${id}: the fixed exercise compiles`);
  }
});

test('snippet text: comments in snippet files are skipped and placeholders expand to their defaults', () => {
  const patterns = parseSnippets('// header\n{ "A": { "prefix": "tw-a", "body": ["x = ${1:10}  # http://x", "y = ${2|one,two|}$0"], "description": "d" },\n/* c */ "B": { "body": "no prefix" } }');
  assert.deepEqual(patterns.map((p) => [p.prefix, p.description]), [['tw-a', 'd']]);
  assert.equal(expandDefaults(patterns[0]!.body), 'x = 10  # http://x\ny = one');
  assert.equal(expandDefaults('f(${1:a, ${2:b}}) \\$HOME ${TM_FILENAME}'), 'f(a, b) $HOME ');
  assert.deepEqual(parseSnippets('not json'), []);
  assert.ok(snippetPrefixes.size >= 15, 'the contributed snippet file parses');
});

test('the .vsix ships every walkthrough file the extension opens, and the snippets', () => {
  const vsce = path.join(ROOT, 'node_modules', '.bin', 'vsce');
  const run = spawnSync(vsce, ['ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `vsce ls failed: ${run.stderr}`);
  const shipped = new Set(run.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
  const needed = ['snippets/python.code-snippets'];
  for (const w of walkthroughs) {
    for (const step of w.steps) needed.push(...[step.media.svg, step.media.markdown].filter((f): f is string => !!f));
    needed.push(`walkthroughs/${w.id}/example.py`, `walkthroughs/${w.id}/exercise.py`);
  }
  for (const file of needed) assert.ok(shipped.has(file), `${file} is in the package`);
});
