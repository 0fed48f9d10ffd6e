import { Link } from '@remix-run/react'

export function SiteFooter({ authorityName }: { authorityName: string }) {
  return (
    <footer className="govuk-footer" role="contentinfo">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <p className="govuk-body-s">Traded services sold by {authorityName} to schools and academies. Prices are in pounds sterling.</p>
            <h2 className="govuk-visually-hidden">Support links</h2>
            <ul className="govuk-footer__inline-list">
              <li className="govuk-footer__inline-list-item">
                <Link className="govuk-footer__link" to="/services">
                  All services
                </Link>
              </li>
              <li className="govuk-footer__inline-list-item">
                <Link className="govuk-footer__link" to="/accessibility">
                  Accessibility statement
                </Link>
              </li>
              <li className="govuk-footer__inline-list-item">
                <Link className="govuk-footer__link" to="/cookies">
                  Cookies
                </Link>
              </li>
              <li className="govuk-footer__inline-list-item">
                <Link className="govuk-footer__link" to="/privacy">
                  Privacy
                </Link>
              </li>
            </ul>
          </div>
          <div className="govuk-footer__meta-item">© {authorityName}</div>
        </div>
      </div>
    </footer>
  )
}
