export function SiteFooter() {
  return (
    <footer className="govuk-footer" role="contentinfo">
      <div className="govuk-width-container">
        <div className="govuk-footer__meta">
          <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
            <p className="govuk-body-s">
              Traded services sold by Coventry City Council to schools and academies. Prices are in pounds
              sterling.
            </p>
          </div>
          <div className="govuk-footer__meta-item">© Coventry City Council</div>
        </div>
      </div>
    </footer>
  )
}
