import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import type { YearChoice } from '~/components/offer-form'
import { courseRemovalProblem } from '~/domain/offer-editing'
import { tradingYearLabel } from '~/domain/trading-year'
import { currentTradingYears } from '~/models/admin/teams.server'
import {
  bookedPlaces,
  editableService,
  inclusionChoices,
  isOfferOfService,
  saveOffer,
  type EditableService,
} from '~/models/catalogue/offer-editor.server'
import { actorFor } from '~/models/shared/actor.server'
import { fieldErrors, isUuid, type FieldErrors } from '~/schemas/common'
import { offerFormSchema, offerIntentFrom, offerValuesFrom, withRowChange, type OfferValues } from '~/schemas/offers'
import { forbidden, notFound, requireRole, type SessionUser } from './auth.server'
import { getDb } from './db.server'

/**
 * What the two offer editor routes share: who may edit (service leads their
 * own services, the LA administrator all), which trading year's prices the
 * page edits (?year=, this year by default, or next year), and the action.
 */

export type EditorContext = {
  user: SessionUser
  service: EditableService
  year: number
  years: YearChoice[]
}

/** The signed-in lead or administrator, the service at :slug they may edit (403/404 otherwise) and the year asked for (404 for any other). */
export async function editorContext(request: Request, params: LoaderFunctionArgs['params']): Promise<EditorContext> {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const db = await getDb()
  const service = await editableService(db, user, params.slug ?? '')
  if (service === 'not-found') throw notFound()
  if (service === 'forbidden') throw forbidden()
  const url = new URL(request.url)
  const [current, next] = await currentTradingYears(db, user.authorityId)
  const raw = url.searchParams.get('year')
  const year = raw === null || raw === '' ? current : Number(raw)
  if (year !== current && year !== next) throw notFound()
  const years: YearChoice[] = [
    { year: current, note: 'this year' },
    { year: next, note: 'next year, draft' },
  ].map((y) => ({
    ...y,
    label: tradingYearLabel(y.year),
    href: `${url.pathname}?year=${y.year}`,
    current: y.year === year,
  }))
  return { user, service, year, years }
}

/** The offer id at :offerId, or a 404. */
export function offerIdFrom(params: LoaderFunctionArgs['params']): string {
  const id = params.offerId ?? ''
  if (!isUuid(id)) throw notFound()
  return id
}

export async function choicesFor(ctx: EditorContext, offerId: string | null) {
  return inclusionChoices(await getDb(), ctx.user.authorityId, ctx.service.id, offerId)
}

export type OfferActionData = { errors: FieldErrors; values: OfferValues }

/**
 * The editor's POST: a row button re-renders the form with a row more or
 * fewer (nothing saved; a course with bookings is not removed); "Save offer"
 * validates with the one schema and saves, then goes back to the offer.
 */
export async function offerAction({ request, params, context }: ActionFunctionArgs, offerId: string | null) {
  const ctx = await editorContext(request, params)
  const db = await getDb()
  if (offerId && !(await isOfferOfService(db, ctx.user.authorityId, ctx.service.id, offerId))) throw notFound()
  const form = await request.formData()
  const values = offerValuesFrom(form)
  const intent = offerIntentFrom(form)
  if (intent.kind !== 'save') {
    if (intent.kind === 'remove' && intent.rows === 'courses' && offerId) {
      const courseId = values.courses[intent.index]?.id
      const booked = courseId ? ((await bookedPlaces(db, ctx.user.authorityId, offerId)).get(courseId) ?? 0) : 0
      const problem = courseRemovalProblem(intent.index, booked)
      if (problem) return data<OfferActionData>({ errors: { [`courses-${intent.index}-title`]: problem }, values }, { status: 400 })
    }
    return data<OfferActionData>({ errors: {}, values: withRowChange(values, intent) })
  }
  const parsed = offerFormSchema(ctx.year).safeParse(values)
  if (!parsed.success) return data<OfferActionData>({ errors: fieldErrors(parsed.error.issues), values }, { status: 400 })
  if (!offerId && parsed.data.fields.status === 'retired') {
    return data<OfferActionData>({ errors: { status: 'A new offer is on sale or a draft' }, values }, { status: 400 })
  }
  const result = await saveOffer(db, actorFor(ctx.user, request, context), ctx.service, offerId, parsed.data)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<OfferActionData>({ errors: result.errors, values }, { status: 400 })
  }
  return redirect(`/la/services/${ctx.service.slug}/offers/${result.offerId}?year=${ctx.year}&saved=1`)
}
