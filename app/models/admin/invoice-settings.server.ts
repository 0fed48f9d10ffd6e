import type { DB } from '../../../db/connection'
import { invoiceSettingsProblems, normaliseInvoiceSettings, type InvoiceSettingsInput } from '../../domain/invoicing'
import { clock } from '../../utils/clock'
import type { Actor } from '../shared/actor.server'
import { recordAudit } from './audit.server'

/**
 * The authority's invoice settings (VAT number, bank details, remittance
 * address and email, days to pay), shown on every invoice and email and
 * deciding an academy invoice's due date. Set by the LA admin.
 */

/** The settings as the form shows them (empty strings where none is set yet). */
export async function getInvoiceSettings(db: DB, authorityId: string): Promise<InvoiceSettingsInput & { updatedAt: Date | null }> {
  const a = await db
    .selectFrom('authorities')
    .select([
      'vat_number',
      'bank_name',
      'bank_sort_code',
      'bank_account_number',
      'bank_account_name',
      'remittance_address',
      'remittance_email',
      'days_to_pay',
      'settings_updated_at',
    ])
    .where('id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return {
    vatNumber: a.vat_number ?? '',
    bankName: a.bank_name ?? '',
    sortCode: a.bank_sort_code ?? '',
    accountNumber: a.bank_account_number ?? '',
    accountName: a.bank_account_name ?? '',
    remittanceAddress: a.remittance_address ?? '',
    remittanceEmail: a.remittance_email ?? '',
    daysToPay: String(a.days_to_pay),
    updatedAt: a.settings_updated_at,
  }
}

/** Saves valid settings, audited with what changed; otherwise the problems, field by field, and nothing changed. */
export async function saveInvoiceSettings(
  db: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  input: InvoiceSettingsInput,
): Promise<{ ok: true } | { ok: false; errors: Partial<Record<keyof InvoiceSettingsInput, string>> }> {
  const errors = invoiceSettingsProblems(input)
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  const s = normaliseInvoiceSettings(input)
  await db.transaction().execute(async (trx) => {
    const before = await getInvoiceSettings(trx, actor.authorityId)
    await trx
      .updateTable('authorities')
      .set({
        vat_number: s.vatNumber,
        bank_name: s.bankName,
        bank_sort_code: s.sortCode,
        bank_account_number: s.accountNumber,
        bank_account_name: s.accountName,
        remittance_address: s.remittanceAddress,
        remittance_email: s.remittanceEmail,
        days_to_pay: s.daysToPay,
        settings_updated_at: clock.now(),
        settings_updated_by: actor.userId,
      })
      .where('id', '=', actor.authorityId)
      .execute()
    const after = { ...s, daysToPay: String(s.daysToPay) }
    const changed = (Object.keys(after) as (keyof InvoiceSettingsInput)[]).filter((k) => before[k] !== after[k])
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'invoice_settings.updated',
      subjectType: 'authority',
      subjectId: actor.authorityId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { changed },
    })
  })
  return { ok: true }
}
