import { type Kysely, sql } from 'kysely'

/**
 * A Stripe payout is unique within its authority, not across the deployment
 * (issue 18, item 10; docs/decisions/0033): every tenant table's unique
 * constraints include authority_id, so that the database can be distributed
 * by authority. savePayout keeps a payout with the authority it was first
 * saved under.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stripe_payouts drop constraint stripe_payouts_stripe_payout_id_key`.execute(db)
  await sql`alter table stripe_payouts add constraint stripe_payouts_authority_payout_key unique (authority_id, stripe_payout_id)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stripe_payouts drop constraint stripe_payouts_authority_payout_key`.execute(db)
  await sql`alter table stripe_payouts add constraint stripe_payouts_stripe_payout_id_key unique (stripe_payout_id)`.execute(db)
}
