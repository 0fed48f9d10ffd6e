import { describe, expect, it } from 'vitest'
import { type CatalogTable, distributionProblems } from '../../db/distribution'

const orders: CatalogTable = {
  name: 'orders',
  authorityColumn: { notNull: true },
  keys: [
    { kind: 'primary key', name: 'orders_pkey', columns: ['authority_id', 'id'] },
    { kind: 'unique', name: 'orders_reference_key', columns: ['authority_id', 'reference'] },
    { kind: 'foreign key', name: 'orders_authority_id_fkey', columns: ['authority_id'], references: { table: 'authorities', columns: ['id'] } },
    {
      kind: 'foreign key',
      name: 'orders_school_fkey',
      columns: ['authority_id', 'school_id'],
      references: { table: 'schools', columns: ['authority_id', 'id'] },
    },
  ],
}

describe('keeping the database distributable by authority', () => {
  it('passes a tenant table whose keys all include authority_id, and named reference tables', () => {
    const authorities: CatalogTable = {
      name: 'authorities',
      authorityColumn: null,
      keys: [{ kind: 'primary key', name: 'authorities_pkey', columns: ['id'] }],
    }
    expect(distributionProblems([orders, authorities])).toEqual([])
  })

  it('names each key that would cross authorities', () => {
    const bad: CatalogTable = {
      name: 'payouts',
      authorityColumn: { notNull: false },
      keys: [
        { kind: 'primary key', name: 'payouts_pkey', columns: ['id'] },
        { kind: 'unique', name: 'payouts_stripe_key', columns: ['stripe_payout_id'] },
        { kind: 'foreign key', name: 'payouts_order_fkey', columns: ['order_id'], references: { table: 'orders', columns: ['id'] } },
        {
          kind: 'foreign key',
          name: 'payouts_crossed_fkey',
          columns: ['order_id', 'authority_id'],
          references: { table: 'orders', columns: ['authority_id', 'id'] },
        },
      ],
    }
    expect(distributionProblems([orders, bad])).toEqual([
      'payouts.authority_id may be null',
      "payouts's primary key payouts_pkey (id) does not include authority_id",
      "payouts's unique payouts_stripe_key (stripe_payout_id) does not include authority_id",
      "payouts's foreign key payouts_order_fkey (order_id) to orders does not match authority_id to authority_id",
      "payouts's foreign key payouts_crossed_fkey (order_id, authority_id) to orders does not match authority_id to authority_id",
    ])
  })

  it('refuses a table with no authority_id that is not named, and one with no primary key', () => {
    const notes: CatalogTable = { name: 'notes', authorityColumn: null, keys: [] }
    const loose: CatalogTable = { name: 'loose', authorityColumn: { notNull: true }, keys: [] }
    expect(distributionProblems([notes, loose])).toEqual([
      'notes has no authority_id column and is not a named reference table',
      'loose has no primary key',
    ])
  })
})
