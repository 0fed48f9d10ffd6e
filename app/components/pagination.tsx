import { Link } from '@remix-run/react'

/** The address of one page of a list at `path` filtered by `params`: empty values are left out, and page 1 has no page parameter. */
export function pageHref(path: string, params: Record<string, string>, page: number): string {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''))
  if (page > 1) query.set('page', String(page))
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

/**
 * GOV.UK pagination for a list at `path` filtered by `params`; nothing when
 * there is only one page. `numbered` lists the pages near this one (and the
 * first and last) between arrowed Previous and Next links; without it,
 * “Page 2 of 5” stands between plain ones.
 */
export function Pagination({
  label,
  path,
  params,
  page,
  pageCount,
  numbered = false,
}: {
  label: string
  path: string
  params: Record<string, string>
  page: number
  pageCount: number
  numbered?: boolean
}) {
  if (pageCount <= 1) return null
  const href = (n: number) => pageHref(path, params, n)
  return (
    <nav className="govuk-pagination" aria-label={label}>
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={href(page - 1)} rel="prev">
            {numbered ? (
              <svg
                className="govuk-pagination__icon govuk-pagination__icon--prev"
                xmlns="http://www.w3.org/2000/svg"
                height="13"
                width="15"
                aria-hidden="true"
                focusable="false"
                viewBox="0 0 15 13"
              >
                <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
              </svg>
            ) : null}
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      ) : null}
      {numbered ? (
        <ul className="govuk-pagination__list">
          {Array.from({ length: pageCount }, (_, i) => i + 1)
            .filter((n) => n === 1 || n === pageCount || Math.abs(n - page) <= 2)
            .map((n, i, shown) => (
              <PageItem key={n} n={n} current={n === page} gapBefore={i > 0 && n - (shown[i - 1] ?? n) > 1} href={href(n)} />
            ))}
        </ul>
      ) : (
        <p className="govuk-body govuk-!-margin-bottom-0">
          Page {page} of {pageCount}
        </p>
      )}
      {page < pageCount ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
            {numbered ? (
              <svg
                className="govuk-pagination__icon govuk-pagination__icon--next"
                xmlns="http://www.w3.org/2000/svg"
                height="13"
                width="15"
                aria-hidden="true"
                focusable="false"
                viewBox="0 0 15 13"
              >
                <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
              </svg>
            ) : null}
          </Link>
        </div>
      ) : null}
    </nav>
  )
}

function PageItem({ n, current, gapBefore, href }: { n: number; current: boolean; gapBefore: boolean; href: string }) {
  return (
    <>
      {gapBefore ? <li className="govuk-pagination__item govuk-pagination__item--ellipsis">⋯</li> : null}
      <li className={`govuk-pagination__item${current ? ' govuk-pagination__item--current' : ''}`}>
        <Link className="govuk-link govuk-pagination__link" to={href} aria-label={`Page ${n}`} aria-current={current ? 'page' : undefined}>
          {n}
        </Link>
      </li>
    </>
  )
}
