import type { LoaderFunctionArgs } from '@remix-run/node'
import { createElement } from 'react'
import { OrderSchedulePdf } from '~/components/pdf/order-schedule.server'
import { getOrderSchedule } from '~/models/ordering/order-schedule.server'
import { orderScopeFor } from '~/models/shared/access-scope.server'
import { isUuid } from '~/schemas/common'
import { notFound, requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { pdfResponse } from '~/utils/pdf.server'

/**
 * /orders/:id/schedule.pdf: the order schedule as a PDF, from the same model
 * function as /orders/:id/schedule, with the same access (another school's
 * order answers 404 exactly as a missing one).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const orderId = params.orderId ?? ''
  if (!isUuid(orderId)) throw notFound()
  const scope = orderScopeFor(user)
  if (!scope) throw notFound()
  const schedule = await getOrderSchedule(await getDb(), scope, orderId.toLowerCase())
  if (!schedule) throw notFound()
  return pdfResponse(createElement(OrderSchedulePdf, { schedule }), `order-schedule-${schedule.order.reference}.pdf`)
}
