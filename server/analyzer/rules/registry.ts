import type { Rule, RuleMeta } from './rule';
import { blockingSleep } from './tw101-blocking-sleep';
import { blockingHttp } from './tw102-blocking-http';
import { blockingSubprocess } from './tw103-blocking-subprocess';
import { blockingFileIo } from './tw104-blocking-file-io';
import { blockingInput } from './tw105-blocking-input';
import { threadWaitInAsync } from './tw106-thread-wait-in-async';
import { blockingViaHelper } from './tw107-blocking-via-helper';
import { syncOrmInAsync } from './tw111-sync-orm-in-async';
import { blockingNetwork } from './tw108-blocking-network';
import { blockingDatabase } from './tw109-blocking-database';
import { blockingCall } from './tw110-blocking-call';
import { unawaitedCoroutine } from './tw201-unawaited-coroutine';
import { danglingTask } from './tw202-dangling-task';
import { swallowedCancellation } from './tw203-swallowed-cancellation';
import { nestedEventLoop } from './tw204-nested-event-loop';
import { getEventLoop } from './tw205-get-event-loop';
import { asyncBusyWait } from './tw206-async-busy-wait';
import { syncWithAsyncPrimitive } from './tw207-sync-with-async-primitive';
import { awaitOutsideAsync } from './tw208-await-outside-async';
import { runInsteadOfStart } from './tw301-run-instead-of-start';
import { startInConstructor } from './tw302-start-in-constructor';
import { threadWithoutTarget } from './tw303-thread-without-target';
import { lateBindingClosure } from './tw304-late-binding-closure';
import { futureNeverChecked } from './tw305-future-never-checked';
import { executorNotClosed } from './tw306-executor-not-closed';
import { unpicklableProcessTarget } from './tw307-unpicklable-process-target';
import { missingMainGuard } from './tw308-missing-main-guard';
import { unguardedAcquire } from './tw401-unguarded-acquire';
import { uselessLock } from './tw402-useless-lock';
import { threadLockAcrossAwait } from './tw403-thread-lock-across-await';
import { blockingUnderLock } from './tw404-blocking-under-lock';
import { waitNotInLoop } from './tw405-wait-not-in-loop';
import { conditionWithoutLock } from './tw406-condition-without-lock';
import { lockOrderInversion } from './tw407-lock-order-inversion';
import { nonReentrantReacquire } from './tw408-non-reentrant-reacquire';
import { inconsistentLocking } from './tw501-inconsistent-locking';
import { unsynchronizedUpdate } from './tw502-unsynchronized-update';
import { checkThenAct } from './tw503-check-then-act';
import { unsafeLazyInit } from './tw504-unsafe-lazy-init';
import { threadLocalInAsync } from './tw505-thread-local-in-async';
import { loopCallFromThread } from './tw506-loop-call-from-thread';

/**
 * Test hook, read once at start: THREADWISE_TEST_FAIL_RULE=TW101 makes that rule throw from each of
 * its handlers, so tests can show, in the real server and CLI, that a failing rule is logged while
 * the other rules' findings still arrive. Unset (always, outside tests) it changes nothing.
 */
function withInjectedFailure(rules: readonly Rule[], code: string | undefined): readonly Rule[] {
  if (!code) return rules;
  const fail = (): never => {
    throw new Error(`${code} made to fail by THREADWISE_TEST_FAIL_RULE`);
  };
  return rules.map((r) => (r.meta.code !== code ? r : {
    ...r,
    onCall: r.onCall && fail,
    onNode: r.onNode && fail,
    onFinish: r.onFinish && fail,
  }));
}

/** Every rule the analyzer runs, in code order. */
export const RULES: readonly Rule[] = withInjectedFailure([
  blockingSleep,
  blockingHttp,
  blockingSubprocess,
  blockingFileIo,
  blockingInput,
  threadWaitInAsync,
  blockingViaHelper,
  syncOrmInAsync,
  blockingNetwork,
  blockingDatabase,
  blockingCall,
  unawaitedCoroutine,
  danglingTask,
  swallowedCancellation,
  nestedEventLoop,
  getEventLoop,
  asyncBusyWait,
  syncWithAsyncPrimitive,
  awaitOutsideAsync,
  runInsteadOfStart,
  startInConstructor,
  threadWithoutTarget,
  lateBindingClosure,
  futureNeverChecked,
  executorNotClosed,
  unpicklableProcessTarget,
  missingMainGuard,
  unguardedAcquire,
  uselessLock,
  threadLockAcrossAwait,
  blockingUnderLock,
  waitNotInLoop,
  conditionWithoutLock,
  lockOrderInversion,
  nonReentrantReacquire,
  inconsistentLocking,
  unsynchronizedUpdate,
  checkThenAct,
  unsafeLazyInit,
  threadLocalInAsync,
  loopCallFromThread,
], process.env.THREADWISE_TEST_FAIL_RULE);

/** Reported by the suppression pass itself, not by a rule handler. */
export const UNUSED_SUPPRESSION: RuleMeta = {
  code: 'TW001',
  name: 'unused-suppression',
  severity: 'information',
  fix: 'safe',
  summary: 'a suppression comment that silences nothing',
  description: 'A Threadwise suppression comment that silenced nothing.',
  peerCodes: [],
};

export const ALL_META: readonly RuleMeta[] = [UNUSED_SUPPRESSION, ...RULES.map((r) => r.meta)];

export function ruleMeta(code: string): RuleMeta | undefined {
  return ALL_META.find((m) => m.code === code);
}
