import { Link } from '@remix-run/react'

/** The council's own header: its name and the service's, never GOV.UK's. */
export function CouncilHeader() {
  return (
    <header className="app-header" role="banner">
      <div className="govuk-width-container app-header__container">
        <div>
          <Link to="/" className="app-header__brand">
            Coventry City Council
          </Link>
          <span className="app-header__service">Buyback: traded services for schools</span>
        </div>
        <nav aria-label="Main">
          <ul className="app-header__nav">
            <li>
              <Link to="/services">Services</Link>
            </li>
          </ul>
        </nav>
      </div>
    </header>
  )
}
