/**
 * Money is integer pence everywhere. This module only formats it for people.
 */

/**
 * Formats integer pence as pounds for display.
 *
 * Rules:
 * - whole pounds are shown without pence: 55000 → "£550", 0 → "£0";
 * - otherwise two decimals: 123450 → "£1,234.50";
 * - thousands are separated by commas: 165000 → "£1,650";
 * - negative amounts put the minus sign before the pound sign: -1230 → "-£12.30";
 * - anything that is not a safe integer (fractions, NaN, Infinity) throws a RangeError.
 */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) {
    throw new RangeError(`formatPence needs a whole number of pence, got ${String(pence)}`)
  }
  const sign = pence < 0 ? '-' : ''
  const abs = Math.abs(pence)
  const pounds = Math.floor(abs / 100)
  const rest = abs % 100
  const poundsText = String(pounds).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const penceText = rest === 0 ? '' : `.${String(rest).padStart(2, '0')}`
  return `${sign}£${poundsText}${penceText}`
}
