import { syncCallee, type FunctionRef } from './chains';
import type { IndexContext } from './findings';
import type { CallFact, FunctionSummary, ModuleSummary, Span, WriteFact } from './summary';

const inside = (span: Span, offset: number) => offset >= span.start && offset <= span.end;

/** Markdown describing the function defined or called at `offset`, or undefined when there is none. */
export function hoverText(summary: ModuleSummary, offset: number, ctx: IndexContext): string | undefined {
  const defined = summary.functions.find((f) => inside(f.span, offset));
  if (defined) return describe({ summary, fn: defined }, ctx, undefined);
  // The innermost call whose span holds the offset: nested calls are shorter.
  let best: CallFact | undefined;
  for (const call of [...summary.calls, ...summary.functions.flatMap((f) => f.calls)]) {
    if (inside(call.span, offset) && (!best || call.span.end - call.span.start < best.span.end - best.span.start)) best = call;
  }
  if (!best) return undefined;
  const target = ctx.names.resolve(best.target);
  const ref: FunctionRef | undefined = target?.kind === 'function' ? { summary: target.summary, fn: target.fn } : syncCallee(best, ctx.names);
  return ref ? describe(ref, ctx, best) : undefined;
}

function kindOf(fn: FunctionSummary): string {
  if (fn.coroutineFunction) return 'coroutine function (`async def`): calling it makes a coroutine that runs only when awaited';
  if (fn.isAsync) return '`async def`';
  if (fn.generatorCoroutine) return 'generator-based coroutine';
  if (fn.offloaded) return 'sync function that a decorator runs in a worker thread';
  return 'sync function: it runs on the thread that calls it';
}

/** At most this many places are listed under each heading; the rest are counted. */
const LISTED = 5;

function listed(places: string[]): string {
  return places.slice(0, LISTED).join('; ') + (places.length > LISTED ? `; and ${places.length - LISTED} more` : '');
}

/**
 * Where the project runs a function from: the hand-offs to a thread in other modules, and the
 * calls made on an event loop (from coroutines and the code a framework runs on the loop).
 */
function whereItRuns(ref: FunctionRef, ctx: IndexContext): string[] {
  const threads: string[] = [];
  const loops: string[] = [];
  const suffix = `.${ref.fn.name}`;
  const denotes = (target: string) => {
    if (!target.endsWith(suffix)) return false;
    const found = ctx.names.resolve(target);
    return found?.kind === 'function' && found.fn === ref.fn;
  };
  for (const s of ctx.summaries()) {
    for (const h of s.handoffs) if (denotes(h.target)) threads.push(`\`${h.via}(...)\` ${h.caller ? `in \`${h.caller.slice(h.caller.lastIndexOf('.') + 1)}()\` ` : ''}(${ctx.shown(s.file)}:${h.span.line + 1})`);
    for (const f of s.functions) {
      for (const c of f.calls) if (c.loop && !c.viaLambda && denotes(c.target)) loops.push(`\`${f.name}()\` (${ctx.shown(s.file)}:${c.span.line + 1})`);
    }
  }
  const out: string[] = [];
  if (threads.length > 0) out.push('', `Runs on a worker thread, handed over by ${listed(threads)}.`);
  if (loops.length > 0) out.push('', `Called on the event loop by ${listed(loops)}.`);
  return out;
}

/** `ITEMS` under `LOCK` (line 11); ... : the first few accesses of shared state, with their locks. */
function stateAccesses(facts: readonly WriteFact[]): string {
  const shown = facts.slice(0, 6).map((f) => `\`${f.target}\` ${f.locks.length > 0 ? `under ${f.locks.map((l) => `\`${l}\``).join(', ')}` : 'with no lock'} (line ${f.line + 1})`);
  return `${shown.join('; ')}${facts.length > 6 ? `; and ${facts.length - 6} more` : ''}`;
}

function describe(ref: FunctionRef, ctx: IndexContext, call: CallFact | undefined): string {
  const lines = [`**${ref.fn.qname}** (${ctx.shown(ref.summary.file)})`, '', kindOf(ref.fn)];
  if (call?.loop) lines.push('', `Called on the event loop, in ${call.loop.description}.`);
  else if (!call && !ref.fn.isAsync) lines.push(...whereItRuns(ref, ctx));
  if (!ref.fn.isAsync && !ref.fn.generatorCoroutine && !ref.fn.offloaded) {
    const path = ctx.chains.chainOf(ref, { everyPath: true });
    if (path) {
      const chain = [...path.steps.map((s) => `\`${s.ref.fn.name}()\` (${ctx.shown(s.ref.summary.file)}:${s.via.line + 1})`), `\`${path.blocking}()\``].join(' → ');
      lines.push('', `Blocks its thread: ${chain}.`);
    } else {
      lines.push('', 'No blocking call found through the calls the index can follow.');
    }
  }
  if (!ref.fn.isAsync) {
    const taken = [...ctx.locks.acquiredBy(ref).values()];
    if (taken.length > 0) {
      lines.push('', `Takes: ${taken.map((t) => `\`${t.lock.text}\` (${t.steps.length > 1 ? `via ${t.steps.slice(1).map((s) => `${s.ref.fn.name}()`).join(' → ')}, ` : ''}${ctx.shown(t.steps[t.steps.length - 1]!.ref.summary.file)}:${t.lock.span.line + 1})`).join(', ')}.`);
    }
    if (ref.fn.writes?.length) lines.push('', `Changes shared state: ${stateAccesses(ref.fn.writes)}.`);
    if (ref.fn.reads?.length) lines.push('', `Reads shared state that the module changes: ${stateAccesses(ref.fn.reads)}.`);
    const params = ref.fn.paramLocks ?? [];
    if (params.length > 0) {
      const bound = call?.lockArgs ? params.map((p) => [p, ctx.locks.argumentLock(call.lockArgs!, p)] as const).filter(([, l]) => l !== undefined) : [];
      lines.push('', bound.length > 0
        ? `Takes the locks this call passes: ${bound.map(([p, l]) => `\`${p.text}\` is \`${l!.text}\``).join(', ')}.`
        : `Takes the locks its callers pass: ${params.map((p) => `\`${p.text}\``).join(', ')}; each call decides which.`);
    }
    const entry = ctx.locks.heldOnEntry(ref);
    if (entry.length > 0) {
      const shown = entry.slice(0, 5).map((e) => `${e.locks.map((l) => `\`${l.text}\``).join(', ')} from ${ctx.shown(e.summary.file)}:${e.call.span.line + 1}`);
      lines.push('', `Called with a lock held: ${shown.join('; ')}${entry.length > 5 ? `; and ${entry.length - 5} more` : ''}.`);
    }
  }
  return lines.join('\n');
}
