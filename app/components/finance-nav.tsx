import { NavLink } from '@remix-run/react'

const SECTIONS = [
  { to: '/finance', label: 'Overview', end: true },
  { to: '/finance/invoices', label: 'Invoices', end: false },
  { to: '/finance/journals', label: 'Recharge journals', end: false },
  { to: '/finance/reconciliation', label: 'Reconciliation', end: false },
  { to: '/finance/aged-debt', label: 'Aged debt', end: false },
] as const

/**
 * The finance pages' own navigation, under the council's header: MOJ
 * Frontend's sub navigation, the section being shown marked with
 * aria-current="page". Not printed.
 */
export function FinanceNav() {
  return (
    <nav className="moj-sub-navigation app-no-print" aria-label="Finance">
      <ul className="moj-sub-navigation__list">
        {SECTIONS.map((s) => (
          <li key={s.to} className="moj-sub-navigation__item">
            <NavLink to={s.to} end={s.end} className="moj-sub-navigation__link">
              {s.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  )
}
