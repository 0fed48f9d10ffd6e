import type { FetcherWithComponents } from '@remix-run/react'
import type { FormEvent } from 'react'

/**
 * The field an in-place form adds when JavaScript sends it through a fetcher:
 * the action then answers with data (the page stays, its loaders refresh)
 * rather than redirecting. Without JavaScript the same form posts without it
 * and the action redirects, as a plain form expects.
 */
export const IN_PLACE_FIELD = 'inPlace'

/** Whether this form was sent in place (by a fetcher), so the action should answer with data rather than a redirect. */
export function sentInPlace(form: FormData): boolean {
  return form.get(IN_PLACE_FIELD) === 'true'
}

/**
 * An onSubmit for a `fetcher.Form` that sends the form (and the button that
 * sent it) through the fetcher, marked as in place.
 */
export function submitInPlace(fetcher: Pick<FetcherWithComponents<unknown>, 'submit'>, action?: string) {
  return (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    const submitter = (event.nativeEvent as SubmitEvent).submitter
    const formData = new FormData(event.currentTarget, submitter)
    formData.set(IN_PLACE_FIELD, 'true')
    void fetcher.submit(formData, { method: 'post', action })
  }
}
