/**
 * Modules that stand in for another under an older or smaller Python, imported as fallbacks:
 * `try: import threading as _threading` / `except ImportError: import dummy_threading as _threading`
 * (beaker), `import Queue as queue` on Python 2. Both bindings of such a name mean the same API.
 */
const STAND_INS: ReadonlyMap<string, string> = new Map([
  ['dummy_threading', 'threading'],
  ['_dummy_thread', '_thread'],
  ['dummy_thread', '_thread'],
  ['thread', '_thread'],
  ['Queue', 'queue'],
]);

/** The qualified name with a stand-in module replaced by the module it stands in for. */
export function canonicalModuleName(qname: string): string {
  const dot = qname.indexOf('.');
  const head = dot < 0 ? qname : qname.slice(0, dot);
  const real = STAND_INS.get(head);
  return real === undefined ? qname : real + (dot < 0 ? '' : qname.slice(dot));
}
