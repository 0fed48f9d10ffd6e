/**
 * Counts in words, the one way the product writes them: "1 day",
 * "1,200 pupils", "0.5 days", "3 lines".
 */

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })

/** A count as people write it: thousands separated, at most two decimal places (10000 → "10,000", 0.333 → "0.33"). */
export function formatCount(n: number): string {
  return COUNT.format(n)
}

/** The word that agrees with a count: plural(1, 'day', 'days') is "day"; 0, 0.5 and 2 take "days". */
export function plural(n: number, one: string, other: string): string {
  return n === 1 ? one : other
}

/** A count with the word that agrees with it: "1 day", "1,200 pupils", "0.5 days". */
export function quantityText(n: number, one: string, other: string): string {
  return `${formatCount(n)} ${plural(n, one, other)}`
}
