import { extractText } from 'unpdf'

/** The text of a PDF, all pages joined, for tests to look for numbers, totals and names in. */
export async function pdfText(bytes: ArrayBuffer | Uint8Array): Promise<string> {
  const { text } = await extractText(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), { mergePages: true })
  return text
}
