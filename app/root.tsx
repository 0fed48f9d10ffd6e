import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useFetchers,
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect, type ReactNode } from 'react'
import { CouncilHeader } from './components/council-header'
import { SiteFooter } from './components/site-footer'
import appStylesHref from './styles/generated/app.css'
import { getRequestAuthority } from './utils/authority.server'
import { getUser } from './utils/auth.server'
import { getDb } from './utils/db.server'
import { useNonce } from './utils/nonce'
import { startFrontendComponents } from './utils/frontend-components'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  const authority = await getRequestAuthority(await getDb(), request, user)
  return {
    authority: { name: authority.name, contactEmail: authority.contactEmail },
    user: user ? { name: user.name, roles: user.roles, schoolName: user.schoolName } : null,
  }
}

export type RootData = Awaited<ReturnType<typeof loader>>

/** The root loader's data, also inside error boundaries (where it may be missing). */
export function useRootData(): RootData | undefined {
  return useRouteLoaderData<typeof loader>('root')
}

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: appStylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export const meta: MetaFunction = () => [{ title: 'Buyback: traded services for schools' }]

/**
 * govuk-frontend's own test, as its page template runs it: the body says
 * JavaScript is on (`js-enabled`) and, in browsers that run ES modules, that
 * GOV.UK Frontend is supported, before the page is first painted.
 */
const SUPPORTED_SCRIPT = "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');"

/**
 * Starts govuk-frontend's and MOJ Frontend's scripts once the page is
 * hydrated, and again whenever a client navigation, a form or a fetcher has
 * settled (the page's elements may then be new). Never on the server.
 */
function useFrontendComponents() {
  const location = useLocation()
  const navigation = useNavigation()
  const fetchers = useFetchers()
  const settled = navigation.state === 'idle' && fetchers.every((f) => f.state === 'idle')
  useEffect(() => {
    if (settled) void startFrontendComponents()
  }, [location.key, settled])
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce()
  const root = useRootData()
  useFrontendComponents()
  return (
    <html lang="en-GB" className="govuk-template govuk-template--rebranded">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b2f3a" />
        <Meta />
        <Links />
      </head>
      {/* The script below adds classes to <body>: React is told not to mind. */}
      <body className="govuk-template__body" suppressHydrationWarning>
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: SUPPORTED_SCRIPT }} />
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          Skip to main content
        </a>
        <CouncilHeader authorityName={root?.authority.name ?? 'Buyback'} user={root?.user ?? null} />
        <div className="govuk-width-container">
          <main className="govuk-main-wrapper" id="main-content">
            {children}
          </main>
        </div>
        <SiteFooter authorityName={root?.authority.name ?? 'the council'} />
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  )
}

export default function App() {
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const contactEmail = useRootData()?.authority.contactEmail
  if (isRouteErrorResponse(error) && error.status === 404) {
    return <NotFound />
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <>
        <title>You do not have permission to see this page – Buyback</title>
        <h1 className="govuk-heading-l">You do not have permission to see this page</h1>
        <p className="govuk-body">Your account does not give you access to this page. If you think it should, ask your council’s administrator.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">
            Go to the start page
          </a>
        </p>
      </>
    )
  }
  if (isRouteErrorResponse(error) && error.status === 400) {
    return (
      <>
        <title>There is a problem with the address – Buyback</title>
        <h1 className="govuk-heading-l">There is a problem with the address</h1>
        <p className="govuk-body">
          Check the web address, or go to the{' '}
          <a className="govuk-link" href="/services">
            list of services
          </a>
          .
        </p>
      </>
    )
  }
  if (!isRouteErrorResponse(error)) console.error(error)
  return (
    <>
      <title>Sorry, there is a problem with the service – Buyback</title>
      <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
      <p className="govuk-body">Try again later.</p>
      <p className="govuk-body">
        Nothing you have already saved has been lost.
        {contactEmail ? (
          <>
            {' '}
            If the problem continues, email{' '}
            <a className="govuk-link" href={`mailto:${contactEmail}`}>
              {contactEmail}
            </a>
            .
          </>
        ) : null}
      </p>
    </>
  )
}

export function NotFound() {
  return (
    <>
      <title>Page not found – Buyback</title>
      <h1 className="govuk-heading-l">Page not found</h1>
      <p className="govuk-body">If you typed the web address, check it is correct.</p>
      <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
      <p className="govuk-body">
        You can{' '}
        <a className="govuk-link" href="/services">
          browse all services
        </a>{' '}
        or search for the one you need.
      </p>
    </>
  )
}
