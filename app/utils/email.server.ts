import { render } from '@react-email/render'
import type { Kysely, Selectable } from 'kysely'
import { createElement, type ComponentType } from 'react'
import type { Database, EmailMessagesTable } from '../../db/schema'
import { InvitationEmail, subject as invitationSubject, type InvitationEmailProps } from '../../emails/invitation'
import { PasswordResetEmail, subject as passwordResetSubject, type PasswordResetEmailProps } from '../../emails/password-reset'
import { OrderApprovedEmail, subject as orderApprovedSubject } from '../../emails/order-approved'
import { OrderAwaitingApprovalEmail, subject as orderAwaitingApprovalSubject } from '../../emails/order-awaiting-approval'
import { OrderCancelledEmail, subject as orderCancelledSubject } from '../../emails/order-cancelled'
import { OrderConfirmedEmail, subject as orderConfirmedSubject } from '../../emails/order-confirmed'
import { OrderPromotedEmail, subject as orderPromotedSubject } from '../../emails/order-promoted'
import { OrderReceivedEmail, subject as orderReceivedSubject } from '../../emails/order-received'
import { OrderRejectedEmail, subject as orderRejectedSubject } from '../../emails/order-rejected'
import type { OrderEmailProps } from '../../emails/order-update'
import { OrderWaitlistedEmail, subject as orderWaitlistedSubject } from '../../emails/order-waitlisted'
import { RenewalReminderEmail, subject as renewalReminderSubject, type RenewalReminderEmailProps } from '../../emails/renewal-reminder'
import { RenewalProposalEmail, subject as renewalProposalSubject, type RenewalProposalEmailProps } from '../../emails/renewal-proposal'
import { CreditNoteIssuedTemplate, subject as creditNoteIssuedSubject } from '../../emails/credit-note-issued'
import { InvoiceIssuedTemplate, subject as invoiceIssuedSubject } from '../../emails/invoice-issued'
import { PaymentReceivedTemplate, subject as paymentReceivedSubject } from '../../emails/payment-received'
import type { CreditNoteIssuedProps, InvoiceIssuedProps, PaymentReceivedProps } from '../../emails/billing'
import { getEnv } from './env.server'
import { enqueue } from './jobs.server'

/**
 * Email: rendered from the React Email templates in emails/, written to the
 * email_messages table (the outbox) and sent by the `send-email` job
 * (app/jobs/send-email.server.ts). See docs/decisions/0004.
 */

/** Every template, by name, with its props. */
export type EmailTemplates = {
  invitation: InvitationEmailProps
  'password-reset': PasswordResetEmailProps
  'order-received': OrderEmailProps
  'order-awaiting-approval': OrderEmailProps
  'order-approved': OrderEmailProps
  'order-rejected': OrderEmailProps
  'order-confirmed': OrderEmailProps
  'order-waitlisted': OrderEmailProps
  'order-promoted': OrderEmailProps
  'order-cancelled': OrderEmailProps
  'renewal-reminder': RenewalReminderEmailProps
  'invoice-issued': InvoiceIssuedProps
  'credit-note-issued': CreditNoteIssuedProps
  'payment-received': PaymentReceivedProps
  'renewal-proposal': RenewalProposalEmailProps
}
export type EmailTemplateName = keyof EmailTemplates

const templates: {
  [K in EmailTemplateName]: { component: ComponentType<EmailTemplates[K]>; subject: (props: EmailTemplates[K]) => string }
} = {
  invitation: { component: InvitationEmail, subject: invitationSubject },
  'password-reset': { component: PasswordResetEmail, subject: passwordResetSubject },
  'order-received': { component: OrderReceivedEmail, subject: orderReceivedSubject },
  'order-awaiting-approval': { component: OrderAwaitingApprovalEmail, subject: orderAwaitingApprovalSubject },
  'order-approved': { component: OrderApprovedEmail, subject: orderApprovedSubject },
  'order-rejected': { component: OrderRejectedEmail, subject: orderRejectedSubject },
  'order-confirmed': { component: OrderConfirmedEmail, subject: orderConfirmedSubject },
  'order-waitlisted': { component: OrderWaitlistedEmail, subject: orderWaitlistedSubject },
  'order-promoted': { component: OrderPromotedEmail, subject: orderPromotedSubject },
  'order-cancelled': { component: OrderCancelledEmail, subject: orderCancelledSubject },
  'renewal-reminder': { component: RenewalReminderEmail, subject: renewalReminderSubject },
  'invoice-issued': { component: InvoiceIssuedTemplate, subject: invoiceIssuedSubject },
  'credit-note-issued': { component: CreditNoteIssuedTemplate, subject: creditNoteIssuedSubject },
  'payment-received': { component: PaymentReceivedTemplate, subject: paymentReceivedSubject },
  'renewal-proposal': { component: RenewalProposalEmail, subject: renewalProposalSubject },
}

export type RenderedEmail = { subject: string; html: string; text: string }

/** A template rendered to a subject, an HTML part and a plain-text part. */
export async function renderEmail<T extends EmailTemplateName>(template: T, props: EmailTemplates[T]): Promise<RenderedEmail> {
  const { component, subject } = templates[template]
  const element = createElement(component as ComponentType<EmailTemplates[T]>, props)
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })])
  return { subject: subject(props), html, text }
}

/** An absolute address in the app, for links in emails (APP_URL + path). */
export function appUrl(path: string): string {
  return new URL(path, `${getEnv().APP_URL}/`).toString()
}

export type EmailMessage = Selectable<EmailMessagesTable>
export type EmailMessageSummary = Omit<EmailMessage, 'html' | 'text'>

export type QueueEmailInput<T extends EmailTemplateName> = {
  authorityId: string
  template: T
  to: string
  props: EmailTemplates[T]
  /**
   * Names this message, e.g. `invitation:<user id>:<token id>`: queueing
   * again with the same key (in the same authority) sends nothing new and
   * returns the first message.
   */
  idempotencyKey: string
}

/**
 * Renders a message, writes it to the outbox (status `queued`) and enqueues
 * the `send-email` job for it, in the caller's transaction: the message is
 * sent if and only if the transaction commits. Given the pool rather than a
 * transaction, it makes one of its own.
 *
 * The same idempotency key never sends twice: the first message is returned
 * with `created: false`.
 */
export async function queueEmail<T extends EmailTemplateName>(
  trx: Kysely<Database>,
  input: QueueEmailInput<T>,
): Promise<{ message: EmailMessageSummary; created: boolean }> {
  const rendered = await renderEmail(input.template, input.props)
  const run = async (t: Kysely<Database>) => {
    const inserted = await t
      .insertInto('email_messages')
      .values({
        authority_id: input.authorityId,
        idempotency_key: input.idempotencyKey,
        template: input.template,
        to_address: input.to,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
      })
      .onConflict((oc) => oc.columns(['authority_id', 'idempotency_key']).doNothing())
      .returning(summaryColumns)
      .executeTakeFirst()
    if (!inserted) {
      const existing = await t
        .selectFrom('email_messages')
        .select(summaryColumns)
        .where('authority_id', '=', input.authorityId)
        .where('idempotency_key', '=', input.idempotencyKey)
        .executeTakeFirstOrThrow()
      return { message: existing, created: false }
    }
    await enqueue(
      t,
      'send-email',
      { authorityId: inserted.authority_id, messageId: inserted.id },
      { idempotencyKey: `${inserted.authority_id}:${inserted.id}` },
    )
    return { message: inserted, created: true }
  }
  return trx.isTransaction ? run(trx) : trx.transaction().execute(run)
}

const summaryColumns = [
  'authority_id',
  'id',
  'idempotency_key',
  'template',
  'to_address',
  'subject',
  'status',
  'attempts',
  'last_error',
  'sent_at',
  'created_at',
] as const

/** The authority's outbox, newest first, without the message bodies. */
export async function listOutbox(db: Kysely<Database>, authorityId: string, options: { limit?: number } = {}): Promise<EmailMessageSummary[]> {
  return db
    .selectFrom('email_messages')
    .select(summaryColumns)
    .where('authority_id', '=', authorityId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(options.limit ?? 50)
    .execute()
}

/** One message of the authority's outbox, with its HTML and text, or undefined. */
export async function getOutboxMessage(db: Kysely<Database>, authorityId: string, id: string): Promise<EmailMessage | undefined> {
  // Not a UUID: not found, rather than a database error.
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return undefined
  return db.selectFrom('email_messages').selectAll().where('authority_id', '=', authorityId).where('id', '=', id).executeTakeFirst()
}
