/**
 * One answer per owner and key, computed the first time it is asked: rules ask the same question
 * of a function or an attribute many times per pass. The owner is a model (rebuilt after every
 * edit) or something of it, such as a class, so the answers live as long as what they describe.
 * `compute` must not return undefined (use null).
 */
export function answerOnce<O extends object, K, V>(cache: WeakMap<O, Map<K, V>>, owner: O, key: K, compute: () => V): V {
  let known = cache.get(owner);
  if (!known) cache.set(owner, (known = new Map()));
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = compute()));
  return answer;
}
