/**
 * A search for text anywhere in a column (ILIKE): LIKE's own wildcards are
 * escaped, so that a search for "50%" finds the text "50%".
 */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
