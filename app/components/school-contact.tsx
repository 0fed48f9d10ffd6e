/** Who to call at a school about a lapsed service or renewal: headteacher, email address and phone. */
export function SchoolContact({ headteacher, email, phone }: { headteacher: string | null; email: string | null; phone: string | null }) {
  return (
    <>
      {headteacher ? (
        <>
          {headteacher} (headteacher)
          <br />
        </>
      ) : null}
      {email ? (
        <a className="govuk-link" href={`mailto:${email}`}>
          {email}
        </a>
      ) : (
        'No email address'
      )}
      {phone ? (
        <>
          <br />
          {phone}
        </>
      ) : null}
    </>
  )
}
