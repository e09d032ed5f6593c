/**
 * One answer per model and key, computed the first time it is asked: rules ask the same question
 * of a function or an attribute many times per pass, and a model is rebuilt after every edit, so
 * the answers live as long as their model does. `compute` must not return undefined (use null).
 */
export function answerPerModel<K, V>(cache: WeakMap<object, Map<K, V>>, model: object, key: K, compute: () => V): V {
  let known = cache.get(model);
  if (!known) cache.set(model, (known = new Map()));
  let answer = known.get(key);
  if (answer === undefined) known.set(key, (answer = compute()));
  return answer;
}
