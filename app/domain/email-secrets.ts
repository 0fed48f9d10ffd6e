/**
 * Secrets in email (issue 15 item 7, docs/decisions/0027): invitation and
 * password-reset emails carry a one-time link whose token signs its holder
 * in. Only the recipient may read it, so everywhere else (the outbox) the
 * message is shown with every such link hidden: in its text, its HTML and
 * its list of links. Any link carrying a `token=` parameter is hidden, in
 * every template, so a new template with a secret link is covered too.
 */

/** Templates whose links are secrets of their recipient. */
export const SECRET_TEMPLATES: readonly string[] = ['invitation', 'password-reset']

export const HIDDEN_LINK = '[link hidden: only the recipient may use it]'

/** A URL carrying a token (plain or HTML-escaped query string). */
const TOKEN_URL = /https?:\/\/[^\s<>"'()[\]]*?(?:[?&]|&amp;)token=[^\s<>"'()[\]]*/gi
/** An href or src attribute whose value carries a token. */
const TOKEN_ATTRIBUTE = /\b(href|src)(\s*=\s*)(["'])[^"']*token=[^"']*\3/gi
/** A bare token parameter anywhere else (belt and braces). */
const TOKEN_PARAMETER = /\btoken=[^\s<>"'&]+/gi

/** The note in place of a token link, keeping the sentence's punctuation after it. */
function hidden(url: string): string {
  return HIDDEN_LINK + (/[.,;:!?]+$/.exec(url)?.[0] ?? '')
}

export function hasSecretLinks(template: string): boolean {
  return SECRET_TEMPLATES.includes(template)
}

/** The plain-text part with every token link replaced by a note that it is hidden. */
export function redactText(text: string): string {
  return text.replace(TOKEN_URL, hidden).replace(TOKEN_PARAMETER, 'token=hidden')
}

/** The HTML part with every token link's address removed and any address shown as text replaced by a note. */
export function redactHtml(html: string): string {
  return html
    .replace(TOKEN_ATTRIBUTE, (_m, attr: string, eq: string, quote: string) => `${attr}${eq}${quote}#link-hidden${quote}`)
    .replace(TOKEN_URL, hidden)
    .replace(TOKEN_PARAMETER, 'token=hidden')
}
