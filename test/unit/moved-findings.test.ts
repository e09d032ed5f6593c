import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../../server/analyzer/rules/rule';
import { moveFindings } from '../../server/analyzer/moved-findings';

const finding = (start: number, end: number, extra: Partial<Finding> = {}): Finding => ({ code: 'TW107', message: 'm', severity: 'warning', start, end, ...extra });

test('findings before an edit stay, findings after it move by what it added or removed', () => {
  const out = moveFindings([finding(0, 5), finding(20, 30)], [{ start: 10, oldEnd: 12, newEnd: 17 }]);
  assert.deepEqual(out.map((f) => [f.start, f.end]), [[0, 5], [25, 35]]);
});

test('text typed at the start of a finding moves it; text typed at its end does not grow it', () => {
  assert.deepEqual(moveFindings([finding(10, 20)], [{ start: 10, oldEnd: 10, newEnd: 13 }]).map((f) => [f.start, f.end]), [[13, 23]]);
  assert.deepEqual(moveFindings([finding(10, 20)], [{ start: 20, oldEnd: 20, newEnd: 23 }]).map((f) => [f.start, f.end]), [[10, 20]]);
});

test('an edit inside or across a finding drops it', () => {
  assert.deepEqual(moveFindings([finding(10, 20)], [{ start: 15, oldEnd: 15, newEnd: 16 }]), []);
  assert.deepEqual(moveFindings([finding(10, 20)], [{ start: 5, oldEnd: 12, newEnd: 5 }]), []);
  assert.deepEqual(moveFindings([finding(10, 20)], [{ start: 19, oldEnd: 25, newEnd: 19 }]), []);
});

test('edits apply in order, each to the text the one before left', () => {
  const out = moveFindings([finding(10, 20)], [
    { start: 0, oldEnd: 0, newEnd: 5 }, // now 15..25
    { start: 30, oldEnd: 30, newEnd: 31 }, // after it
    { start: 0, oldEnd: 2, newEnd: 0 }, // now 13..23
  ]);
  assert.deepEqual(out.map((f) => [f.start, f.end]), [[13, 23]]);
});

test('related places in the same file move with it or drop it; places in other files stay as they are', () => {
  const other = { start: 1, end: 2, message: 'there', file: '/elsewhere.py', position: { line: 0, character: 1, endLine: 0, endCharacter: 2 } };
  const f = finding(40, 50, { related: [{ start: 10, end: 20, message: 'here' }, other] });
  const moved = moveFindings([f], [{ start: 0, oldEnd: 0, newEnd: 1 }]);
  assert.deepEqual(moved[0]!.related, [{ start: 11, end: 21, message: 'here' }, other]);
  assert.deepEqual(moveFindings([f], [{ start: 15, oldEnd: 16, newEnd: 15 }]), [], 'an edit inside a related place in this file');
  assert.equal(moveFindings([f], [{ start: 1, oldEnd: 2, newEnd: 1 }]).length, 1, 'offsets of another file are not this text');
});

test('a fix whose edit was touched goes with its finding', () => {
  const f = finding(10, 20, { fix: { title: 't', safety: 'safe', edits: [{ start: 30, end: 32, newText: 'x' }] } });
  assert.deepEqual(moveFindings([f], [{ start: 31, oldEnd: 31, newEnd: 32 }]), []);
  assert.deepEqual(moveFindings([f], [{ start: 0, oldEnd: 0, newEnd: 2 }])[0]!.fix!.edits, [{ start: 32, end: 34, newText: 'x' }]);
});
