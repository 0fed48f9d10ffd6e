import { Form, Link, NavLink } from '@remix-run/react'
import type { Role } from '~/domain/roles'

type HeaderUser = { name: string; roles: Role[]; schoolName: string | null }

/** The council's own header: its name and the service's, never GOV.UK's. */
export function CouncilHeader({ authorityName, user }: { authorityName: string; user: HeaderUser | null }) {
  const links: { to: string; label: string }[] = [{ to: '/services', label: 'Services' }]
  const trustUser = Boolean(user?.roles.includes('trust_buyer') || user?.roles.includes('trust_approver'))
  if (user && !trustUser) links.push({ to: '/orders', label: 'Orders' })
  if (trustUser) links.push({ to: '/trust', label: 'Your trust' }, { to: '/orders', label: 'Orders' })
  if (user?.roles.includes('trust_buyer')) links.push({ to: '/trust/basket', label: 'Basket' })
  if (trustUser) links.push({ to: '/invoices', label: 'Invoices' }, { to: '/statement', label: 'Statement' }, { to: '/spend', label: 'Spend' })
  if (user?.roles.includes('school_buyer') || user?.roles.includes('school_approver'))
    links.push({ to: '/basket', label: 'Basket' }, { to: '/renewals', label: 'Renewals' })
  if (user?.roles.includes('school_approver')) links.push({ to: '/approvals', label: 'Approvals' })
  if (user?.schoolName && (user.roles.includes('school_buyer') || user.roles.includes('school_approver')))
    links.push({ to: '/invoices', label: 'Invoices' }, { to: '/statement', label: 'Statement' }, { to: '/spend', label: 'Spend' })
  if (user?.roles.includes('service_lead')) links.push({ to: '/la/delivery', label: 'Delivery' })
  if (user?.roles.includes('service_lead') || user?.roles.includes('la_admin')) {
    links.push({ to: '/la/services', label: 'Offers and prices' }, { to: '/la/trading', label: 'Trading' }, { to: '/la/capacity', label: 'Capacity' })
  }
  if (user?.roles.includes('finance') || user?.roles.includes('la_admin')) {
    links.push({ to: '/finance', label: 'Finance' })
  }
  if (user?.roles.includes('la_admin')) {
    links.push(
      { to: '/la/admin/users', label: 'Users' },
      { to: '/la/admin/schools', label: 'Schools' },
      { to: '/la/admin/trusts', label: 'Trusts' },
      { to: '/la/admin/teams', label: 'Teams' },
      { to: '/la/admin/targets', label: 'Targets' },
      { to: '/la/admin/term-dates', label: 'Term dates' },
      { to: '/la/admin/renewals', label: 'Renewals' },
      { to: '/la/admin/outbox', label: 'Outbox' },
      { to: '/la/admin/audit', label: 'Audit log' },
      { to: '/la/admin/settings', label: 'Invoice settings' },
    )
  }
  return (
    <header className="app-header" role="banner">
      <div className="govuk-width-container app-header__container">
        <div>
          <Link to="/" className="app-header__brand">
            {authorityName}
          </Link>
          <span className="app-header__service">Buyback: traded services for schools</span>
          {user ? (
            <p className="app-header__who" data-testid="signed-in-as">
              Signed in as {user.name}
              {user.schoolName ? `, ${user.schoolName}` : ''}
            </p>
          ) : null}
        </div>
        {/*
          govuk-frontend's service navigation script: on a phone the links fold
          behind a "Menu" button (it shows the button and hides the list);
          without JavaScript, or on a wider screen, the links stay in view.
        */}
        <div className="app-header__navigation" data-module="govuk-service-navigation">
          <nav aria-label="Main">
            <button
              type="button"
              className="govuk-service-navigation__toggle govuk-js-service-navigation-toggle app-header__toggle"
              aria-controls="app-navigation"
              hidden
              aria-hidden="true"
            >
              Menu
            </button>
            <ul className="app-header__nav" id="app-navigation">
              {links.map((l) => (
                <li key={l.to}>
                  {/* NavLink marks the current section with aria-current="page". */}
                  <NavLink to={l.to}>{l.label}</NavLink>
                </li>
              ))}
              {user ? (
                <li>
                  <Form method="post" action="/logout" className="app-header__signout">
                    <button type="submit" className="app-header__link-button">
                      Sign out<span className="govuk-visually-hidden"> ({user.name})</span>
                    </button>
                  </Form>
                </li>
              ) : (
                <li>
                  <Link to="/login">Sign in</Link>
                </li>
              )}
            </ul>
          </nav>
        </div>
      </div>
    </header>
  )
}
