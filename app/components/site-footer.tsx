import { Link } from '@remix-run/react'

export function SiteFooter({ authorityName }: { authorityName: string }) {
  return (
    <footer className="govuk-footer" role="contentinfo">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <p className="govuk-body-s">
              Traded services sold by {authorityName} to schools and academies. Prices are in pounds sterling.
            </p>
            <p className="govuk-body-s">
              <Link className="govuk-footer__link" to="/services">
                All services
              </Link>
            </p>
          </div>
          <div className="govuk-footer__meta-item">© {authorityName}</div>
        </div>
      </div>
    </footer>
  )
}
