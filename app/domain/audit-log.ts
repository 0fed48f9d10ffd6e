/**
 * The audit log as people read it: an action in words, and a short summary
 * of an event's details with anything secret left out. Pure rules.
 */

/** Keys never shown or exported, whatever an event put in its details: tokens, passwords, links, keys, hashes. */
const SECRET_KEY = /token|password|secret|hash|link|url|key|code|otp|cookie|session|signature/i

/** A copy of the details without secret keys, at any depth; strings that look like a link or a token are hidden too. */
export function redactDetails(value: unknown, depth = 0): unknown {
  if (depth > 6) return '…'
  if (Array.isArray(value)) return value.slice(0, 100).map((v) => redactDetails(v, depth + 1))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY.test(k)) continue
      out[k] = redactDetails(v, depth + 1)
    }
    return out
  }
  if (typeof value === 'string' && (/https?:\/\//i.test(value) || /token=/i.test(value))) return '[hidden]'
  return value
}

function flatten(value: unknown, prefix: string, out: string[]): void {
  if (out.length > 40) return
  if (Array.isArray(value)) {
    if (value.length === 0) return
    if (value.every((v) => v === null || typeof v !== 'object')) {
      out.push(`${prefix}: ${value.join(', ')}`)
      return
    }
    value.forEach((v, i) => flatten(v, `${prefix}[${i + 1}]`, out))
    return
  }
  if (value && typeof value === 'object') {
    // Ids mean nothing to a reader (the subject column names the record).
    const entries = Object.entries(value).filter(([k]) => !/Ids?$/.test(k))
    // A change: "from → to", named by its service, team or name when it has one.
    if ('from' in value && 'to' in value) {
      const v = value as { from: unknown; to: unknown; service?: unknown; team?: unknown; name?: unknown }
      const label = v.service ?? v.team ?? v.name
      out.push(`${label ? String(label) : prefix}: ${v.from ?? 'none'} → ${v.to ?? 'none'}`)
      return
    }
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out)
    return
  }
  if (value === null || value === undefined || value === '') return
  out.push(`${prefix}: ${String(value)}`)
}

/** One line of "key: value" pairs from the (redacted) details, at most `max` characters. */
export function detailsSummary(details: unknown, max = 300): string {
  const parts: string[] = []
  flatten(redactDetails(details), '', parts)
  const text = parts.join('; ')
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

const ACTION_WORDS: Record<string, string> = {
  'sign_in.succeeded': 'Signed in',
  'sign_in.failed': 'Failed to sign in',
  'sign_in.throttled': 'Sign-in blocked after too many attempts',
  sign_out: 'Signed out',
  'password_reset.requested': 'Asked to reset a password',
  'password_reset.completed': 'Reset a password',
  'invitation.sent': 'Invited a user',
  'invitation.accepted': 'Accepted an invitation',
  'invitations.imported': 'Invited users from a file',
  'user.role_changed': 'Changed a user’s role',
  'user.deactivated': 'Deactivated a user',
  'user.reactivated': 'Reactivated a user',
  'school.updated': 'Changed a school',
  'team_year.updated': 'Changed a team’s capacity',
  'targets.saved': 'Saved targets and team figures',
  'team_plan.decided': 'Took a recommendation into next year’s plan',
  'term_dates.updated': 'Changed term dates',
  'journal.posted': 'Posted a recharge journal',
  'payment.recorded': 'Recorded a payment',
  'payment.allocated': 'Allocated a payment',
  'payment.refunded': 'Refunded a payment',
  'job.retried': 'Retried a job',
  'renewal_email.queued': 'Emailed a school about renewing',
  'renewal.window_saved': 'Set the renewal window',
  'renewal.opened': 'Opened renewals',
  'renewal.accepted': 'Accepted a renewal',
  'renewal.declined': 'Declined a renewal',
  'invoice.credited': 'Credited an invoice',
  'invoice.written_off': 'Wrote off an invoice',
  'invoice.voided': 'Voided an invoice',
  'invoice_settings.updated': 'Changed invoice settings',
  'trust.created': 'Added a trust',
  'trust.updated': 'Changed a trust',
  'trust.member_added': 'Added a school to a trust',
  'trust.member_left': 'Recorded a school leaving a trust',
}

/** "school.updated" → "Changed a school"; an action without words of its own is spelt out ("offer.retired" → "Offer retired"). */
export function actionInWords(action: string): string {
  const known = ACTION_WORDS[action]
  if (known) return known
  const text = action.replace(/[._]+/g, ' ').trim()
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The kind of an action, for filtering: the part before the first dot ("invoice.voided" → "invoice"). */
export function actionKind(action: string): string {
  return action.split('.')[0] ?? action
}
