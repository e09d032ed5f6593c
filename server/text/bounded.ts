/**
 * Messages that quote configuration or input are bounded: a setting with 100,000 bad entries, or
 * one entry of a megabyte, must not become a pop-up of that size.
 */

/** Longest message, in UTF-16 units, that quotes what a user or a workspace wrote. */
export const MAX_MESSAGE = 500;
/** Offending values listed before the rest are only counted. */
export const MAX_LISTED = 5;

/** Cuts `text` to `max` units, ending with an ellipsis when it was longer; never splits a surrogate pair. */
export function truncate(text: string, max = MAX_MESSAGE): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** The first few values, each shortened, joined by commas, then `and N more` for the rest. */
export function boundedList(values: readonly unknown[], quote: (v: unknown) => string = (v) => JSON.stringify(v) ?? String(v)): string {
  const shown = values.slice(0, MAX_LISTED).map((v) => truncate(quote(v), 60));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
