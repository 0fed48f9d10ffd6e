import { clock } from '~/utils/clock'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SummaryRow } from '~/components/summary-list'
import { tradingYearLabel, tradingYearOf } from '~/domain/trading-year'
import { AddToBasketForm } from '~/components/add-to-basket'
import { TableHead } from '~/components/table-head'
import { unitsLeftByOffer } from '~/models/ordering/basket.server'
import { periodChoicesForOffers, type PeriodChoices } from '~/models/ordering/periods.server'
import { offerNoticesForSchool } from '~/models/ordering/offer-rules.server'
import { memberSchools } from '~/models/trusts/ordering.server'
import { OfferNotices } from '~/components/offer-notices'
import { getServiceDetail, loadPricedSchool, type OfferDetail } from '~/models/catalogue/catalogue.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { getUser } from '~/utils/auth.server'
import { clustersLedBy, type LedCluster } from '~/models/trusts/clusters.server'
import { getDb } from '~/utils/db.server'
import { formatDate, listPhases } from '~/utils/format'
import { quantityText, unitsLeftText } from '~/domain/quantities'
import { hasAnyRole } from '~/domain/roles'
import { parsePreview } from '~/schemas/service-admin'
import { StatutoryCore, PreviewBanner } from '~/components/statutory-core'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const slug = params.slug ?? ''
  // Slugs are lower-case words and hyphens; anything else cannot be a service.
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) {
    throw new Response('Not found', { status: 404 })
  }
  const db = await getDb()
  const user = await getUser(request)
  const authority = await getRequestAuthority(db, request, user)
  const tradingYear = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  // Council staff who edit services see the page as a maintained school or an academy would (?preview=); anyone else's preview is ignored.
  const preview = user && hasAnyRole(user, ['service_lead', 'la_admin']) ? parsePreview(new URL(request.url).searchParams.get('preview')) : null
  // A signed-in school sees each package's price for itself: its type, its pupils, the VAT it pays.
  const school = !preview && user?.schoolId && user.authorityId === authority.id ? await loadPricedSchool(db, authority.id, user.schoolId) : null
  const service = await getServiceDetail(
    db,
    authority.id,
    slug,
    tradingYear,
    preview ?? user?.schoolType ?? undefined,
    authority.financialYearStartMonth,
    school,
  )
  if (!service) throw new Response('Not found', { status: 404 })
  // School business managers order from here; everyone sees what is left to sell.
  // A trust's buyer orders for its member schools, each line naming its school ("School").
  const trustId = user?.trustId && user.roles.includes('trust_buyer') && user.authorityId === authority.id && !preview ? user.trustId : null
  const canOrder = (Boolean(user?.schoolId && user.roles.includes('school_buyer')) && !preview) || trustId !== null
  const offerIds = service.offers.map((o) => o.id)
  const [unitsLeft, periods, notices, memberSchoolList, clusters]: [
    Record<string, number>,
    Record<string, PeriodChoices>,
    Awaited<ReturnType<typeof offerNoticesForSchool>>,
    { id: string; name: string }[] | null,
    LedCluster[],
  ] = await Promise.all([
    unitsLeftByOffer(db, authority.id, slug, tradingYear),
    canOrder ? periodChoicesForOffers(db, authority.id, offerIds) : {},
    canOrder && user?.schoolId ? offerNoticesForSchool(db, { authorityId: authority.id, schoolId: user.schoolId }, offerIds, tradingYear) : {},
    trustId
      ? memberSchools(db, { authorityId: authority.id, trustId }).then((m) =>
          m.filter((s) => s.status !== 'closed').map(({ id, name }) => ({ id, name })),
        )
      : null,
    canOrder && user?.schoolId && !trustId ? clustersLedBy(db, authority.id, user.schoolId) : [],
  ])
  return {
    authority: { name: authority.name },
    tradingYear,
    service,
    schoolName: user?.schoolName ?? null,
    signedIn: Boolean(user),
    canOrder,
    memberSchools: memberSchoolList,
    clusters,
    unitsLeft,
    periods,
    notices,
    preview,
    now: clock.now().toISOString(),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.service.name} – Services for schools – ${data.authority.name}` : 'Page not found' },
]

const SCHEDULES: Record<string, string> = {
  annual_in_advance: 'Invoiced once, when your order is confirmed or on the day the service starts, whichever is later',
  termly: 'Invoiced in three instalments, at the start of the summer, autumn and spring terms, never before the service starts',
  on_delivery: 'Invoiced monthly for what was delivered the month before',
}

const VAT: Record<string, string> = {
  standard:
    'Prices exclude VAT. Academies and schools outside the council pay VAT at 20%. Maintained schools buying from their own council pay no VAT.',
  exempt: 'Exempt from VAT',
  outside_scope: 'Outside the scope of VAT',
}

function hours(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${value === 1 ? 'hour' : 'hours'}`
}

function cancellation(offer: OfferDetail): string {
  if (offer.cancellationNoticeDays === 0 && offer.lateCancellationFeePercent === 0) {
    return 'You can cancel anything not yet delivered without charge.'
  }
  const notice = offer.cancellationNoticeDays === 1 ? '1 day' : `${offer.cancellationNoticeDays} days`
  if (offer.lateCancellationFeePercent === 0) return `Give at least ${notice}’ notice to cancel.`
  const fee = offer.lateCancellationFeePercent === 100 ? 'the full price' : `${offer.lateCancellationFeePercent}% of the price`
  return `Free to cancel with at least ${notice}’ notice. Later cancellations are charged ${fee}.`
}

export default function ServicePage() {
  const { service, tradingYear, signedIn, canOrder, memberSchools, clusters, unitsLeft, periods, notices, preview, now, schoolName } =
    useLoaderData<typeof loader>()
  const year = tradingYearLabel(tradingYear)
  return (
    <>
      <nav className="govuk-breadcrumbs" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/">
              Home
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/services">
              Services
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/services#category-${service.category.slug}`}>
              {service.category.name}
            </Link>
          </li>
        </ol>
      </nav>
      {preview ? <PreviewBanner schoolType={preview} editPath={`/la/services/${service.slug}`} /> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">{service.category.name}</span>
          <h1 className="govuk-heading-xl">{service.name}</h1>
          <p className="govuk-body-l">{service.summary}</p>
          {service.description.split(/\n\s*\n/).map((paragraph, i) => (
            <p key={i} className="govuk-body">
              {paragraph}
            </p>
          ))}
          {service.phases.length ? (
            <p className="govuk-body">
              <strong>For:</strong> {listPhases(service.phases).toLowerCase()} schools.
            </p>
          ) : null}

          <h2 className="govuk-heading-l">What is included</h2>
          <ul className="govuk-list govuk-list--bullet">
            {service.included.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
          {service.excluded.length ? (
            <>
              <h2 className="govuk-heading-l">What is not included</h2>
              <ul className="govuk-list govuk-list--bullet">
                {service.excluded.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </>
          ) : null}

          <StatutoryCore freeToAll={service.statutoryCore} chargesBegin={service.chargesBegin} />

          <h2 className="govuk-heading-l">Packages and prices for {year}</h2>
          {service.offers.length === 0 ? <p className="govuk-body">There are no packages on sale at the moment.</p> : null}
          {service.offers.map((offer) => (
            <section key={offer.id} className="app-offer" aria-labelledby={`offer-${offer.slug}`}>
              <h3 className="govuk-heading-m" id={`offer-${offer.slug}`}>
                {offer.name}
              </h3>
              {offer.description ? <p className="govuk-body">{offer.description}</p> : null}
              {offer.pricing.length ? (
                offer.pricing.map((line) => (
                  <p key={line} className="app-price">
                    {line}
                  </p>
                ))
              ) : (
                <p className="govuk-body">Not on sale for {year}.</p>
              )}
              {offer.yourPrice.length ? (
                <div className="app-your-price">
                  <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Price for {schoolName ?? 'your school'}:</p>
                  <ul className="govuk-list">
                    {offer.yourPrice.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </div>
              ) : null}
              {offer.nextPricing.map((line) => (
                <p key={line} className="app-price app-price--next">
                  {line}
                </p>
              ))}
              <dl className="govuk-summary-list govuk-summary-list--no-border govuk-!-margin-bottom-0">
                <SummaryRow label="VAT">{VAT[offer.vatCategory]}</SummaryRow>
                <SummaryRow label="Invoicing">{SCHEDULES[offer.invoiceSchedule]}</SummaryRow>
                <SummaryRow label="Cancelling">{cancellation(offer)}</SummaryRow>
                {offer.hoursPerUnit > 0 ? (
                  <SummaryRow label="Time">
                    {hours(offer.hoursPerUnit)} of the team’s time for each {offer.unitOne}
                  </SummaryRow>
                ) : null}
              </dl>
              {unitsLeft[offer.id] !== undefined ? (
                <p className="govuk-body govuk-!-font-weight-bold app-units-left">{unitsLeftText(unitsLeft[offer.id]!, offer, year)}</p>
              ) : null}
              {offer.courses.length ? (
                <table className="govuk-table govuk-!-margin-top-4">
                  <caption className="govuk-table__caption govuk-table__caption--s">Dates</caption>
                  <TableHead columns={['Course', 'Date', 'Venue', { label: 'Places left', numeric: true }]} />
                  <tbody className="govuk-table__body">
                    {offer.courses.map((course) => (
                      <tr key={course.id} className="govuk-table__row">
                        <td className="govuk-table__cell">{course.title}</td>
                        <td className="govuk-table__cell">{formatDate(course.startsAt)}</td>
                        <td className="govuk-table__cell">{course.venue}</td>
                        <td className="govuk-table__cell govuk-table__cell--numeric">
                          {course.placesLeft === 0 ? 'Full' : `${quantityText(course.placesLeft, 'place', 'places')} left`}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
              <OfferNotices notice={notices[offer.id]} />
              {offer.pricing.length ? (
                canOrder && !notices[offer.id]?.duplicate ? (
                  <AddToBasketForm
                    idSuffix={`-${offer.slug}`}
                    schools={memberSchools ?? undefined}
                    clusters={clusters}
                    offer={{
                      id: offer.id,
                      name: offer.name,
                      pricingModel: offer.pricingModel,
                      unitOther: offer.unitOther,
                      courses: offer.courses.filter((c) => c.placesLeft > 0 && c.startsAt > now),
                      period: periods[offer.id],
                    }}
                  />
                ) : !signedIn ? (
                  <p className="govuk-body">
                    <Link className="govuk-link" to={`/login?${new URLSearchParams({ redirectTo: `/services/${service.slug}` })}`}>
                      Sign in to order<span className="govuk-visually-hidden"> {offer.name}</span>
                    </Link>
                  </p>
                ) : null
              ) : null}
            </section>
          ))}

          {service.terms ? (
            <>
              <h2 className="govuk-heading-l">Terms</h2>
              {service.terms.split(/\n\s*\n/).map((paragraph, i) => (
                <p key={i} className="govuk-body">
                  {paragraph}
                </p>
              ))}
            </>
          ) : null}
        </div>
        <aside className="govuk-grid-column-one-third app-contact" aria-labelledby="contact-heading">
          <h2 className="govuk-heading-m" id="contact-heading">
            Contact
          </h2>
          <p className="govuk-body">
            {service.contactName}
            <br />
            <a className="govuk-link" href={`mailto:${service.contactEmail}`}>
              {service.contactEmail}
            </a>
            {service.contactPhone ? (
              <>
                <br />
                {service.contactPhone}
              </>
            ) : null}
          </p>
        </aside>
      </div>
    </>
  )
}
