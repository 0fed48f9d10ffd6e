import type { Migration } from 'kysely/migration'
import * as domainSchema from './20261122_0001_domain_schema'
import * as signInAttempts from './20261122_0002_sign_in_attempts'
import * as orderReferences from './20261122_0003_order_references'
import * as invoicing from './20261122_0004_invoicing'
import * as tradingSummaries from './20261122_0005_trading_summaries'
import * as renewals from './20261122_0006_renewals'
import * as termDates from './20261207_0007_term_dates'
import * as financeCorrections from './20261207_0009_finance_corrections'
import * as offerRules from './20261207_0010_offer_rules'
import * as cancelling from './20261207_0011_cancelling'
import * as servicePeriods from './20261207_0012_service_periods'
import * as serviceAdmin from './20261208_0013_service_admin'
import * as offerEditor from './20261208_0014_offer_editor'
import * as priceLists from './20261208_0015_price_lists'
import * as schoolRegister from './20261208_0016_school_register'
import * as targetsAndDecisions from './20261208_0017_targets_and_decisions'
import * as termsAccepted from './20261208_0018_terms_accepted'
import * as searchTerms from './20261209_0019_search_terms'
import * as payoutsByAuthority from './20261210_0020_payouts_by_authority'
import * as trusts from './20261211_0021_trusts'
import * as trustUsers from './20261211_0022_trust_users'
import * as trustOrders from './20261212_0023_trust_orders'
import * as trustInvoices from './20261213_0024_trust_invoices'
import * as clusters from './20261214_0025_clusters'

/**
 * Every migration, in order. Listed here (not read from the folder) so that
 * they travel inside the server bundle; the name is the file's name.
 */
export const migrations: Record<string, Migration> = {
  '20261122_0001_domain_schema': domainSchema,
  '20261122_0002_sign_in_attempts': signInAttempts,
  '20261122_0003_order_references': orderReferences,
  '20261122_0004_invoicing': invoicing,
  '20261122_0005_trading_summaries': tradingSummaries,
  '20261122_0006_renewals': renewals,
  '20261207_0007_term_dates': termDates,
  '20261207_0009_finance_corrections': financeCorrections,
  '20261207_0010_offer_rules': offerRules,
  '20261207_0011_cancelling': cancelling,
  '20261207_0012_service_periods': servicePeriods,
  '20261208_0013_service_admin': serviceAdmin,
  '20261208_0014_offer_editor': offerEditor,
  '20261208_0015_price_lists': priceLists,
  '20261208_0016_school_register': schoolRegister,
  '20261208_0017_targets_and_decisions': targetsAndDecisions,
  '20261208_0018_terms_accepted': termsAccepted,
  '20261209_0019_search_terms': searchTerms,
  '20261210_0020_payouts_by_authority': payoutsByAuthority,
  '20261211_0021_trusts': trusts,
  '20261211_0022_trust_users': trustUsers,
  '20261212_0023_trust_orders': trustOrders,
  '20261213_0024_trust_invoices': trustInvoices,
  '20261214_0025_clusters': clusters,
}
