import type { DB } from '../../../db/connection'

/**
 * Clusters (issue 16, docs/decisions/0036): schools that share pooled
 * blocks. The lead school's business manager buys a block for the cluster
 * from any service page ("Who is it for").
 */

export type LedCluster = { id: string; name: string; memberCount: number }

/** The clusters a school leads, with how many schools each has. */
export async function clustersLedBy(db: DB, authorityId: string, schoolId: string): Promise<LedCluster[]> {
  const rows = await db
    .selectFrom('clusters as c')
    .innerJoin('cluster_members as m', (j) => j.onRef('m.authority_id', '=', 'c.authority_id').onRef('m.cluster_id', '=', 'c.id'))
    .select(['c.id', 'c.name', (eb) => eb.fn.countAll<string>().as('members')])
    .where('c.authority_id', '=', authorityId)
    .where('c.lead_school_id', '=', schoolId)
    .groupBy(['c.id', 'c.name'])
    .orderBy('c.name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, memberCount: Number(r.members) }))
}
