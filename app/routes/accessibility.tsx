import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUser } from '~/utils/auth.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { getDb } from '~/utils/db.server'

/** The accessibility statement, in the form the Public Sector Bodies Accessibility Regulations 2018 ask for. */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, await getUser(request))
  return { name: authority.name, email: authority.contactEmail, phone: authority.contactPhone }
}

export const meta: MetaFunction = () => [{ title: 'Accessibility statement – Buyback' }]

export default function Accessibility() {
  const { name, email, phone } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Accessibility statement for Buyback</h1>
        <p className="govuk-body">
          This accessibility statement applies to Buyback, the website through which {name} sells traded services to schools and academies.
        </p>
        <p className="govuk-body">
          This website is run by {name}. We want as many people as possible to be able to use it. For example, that means you should be able to:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>change colours, contrast levels and fonts using your browser or device settings</li>
          <li>zoom in up to 400% without the text spilling off the screen</li>
          <li>navigate most of the website using just a keyboard or speech recognition software</li>
          <li>listen to most of the website using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)</li>
          <li>use every form without JavaScript</li>
        </ul>
        <p className="govuk-body">We have also made the text as simple as possible to understand.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="https://mcmw.abilitynet.org.uk/" rel="noreferrer">
            AbilityNet
          </a>{' '}
          has advice on making your device easier to use if you have a disability.
        </p>

        <h2 className="govuk-heading-l">How accessible this website is</h2>
        <p className="govuk-body">
          We built this website to the Web Content Accessibility Guidelines (WCAG) version 2.2, level AA, using the GOV.UK Design System’s patterns.
          We check every page with automated tests (axe) and by using it with a keyboard and without JavaScript. We know of these limits:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>the income chart on the trading page is a picture of the figures; the same figures are in a table beside it</li>
          <li>downloadable CSV files have no headings other than their first row</li>
        </ul>

        <h2 className="govuk-heading-l">Feedback and contact information</h2>
        <p className="govuk-body">
          If you need information on this website in a different format, such as accessible PDF, large print, easy read, audio recording or braille,
          contact us:
        </p>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            email{' '}
            <a className="govuk-link" href={`mailto:${email}`}>
              {email}
            </a>
          </li>
          {phone ? <li>call {phone}</li> : null}
        </ul>
        <p className="govuk-body">We’ll consider your request and get back to you within 5 working days.</p>

        <h2 className="govuk-heading-l">Reporting accessibility problems with this website</h2>
        <p className="govuk-body">
          We’re always looking to improve the accessibility of this website. If you find any problems not listed on this page or think we’re not
          meeting accessibility requirements, email{' '}
          <a className="govuk-link" href={`mailto:${email}`}>
            {email}
          </a>
          , saying which page and what happened.
        </p>

        <h2 className="govuk-heading-l">Enforcement procedure</h2>
        <p className="govuk-body">
          The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications)
          (No. 2) Accessibility Regulations 2018 (the ‘accessibility regulations’). If you’re not happy with how we respond to your complaint,{' '}
          <a className="govuk-link" href="https://www.equalityadvisoryservice.com/" rel="noreferrer">
            contact the Equality Advisory and Support Service (EASS)
          </a>
          .
        </p>
        <p className="govuk-body">
          If you are in Northern Ireland and are not happy with how we respond to your complaint you can contact the{' '}
          <a className="govuk-link" href="https://www.equalityni.org/Home" rel="noreferrer">
            Equality Commission for Northern Ireland (ECNI)
          </a>
          .
        </p>

        <h2 className="govuk-heading-l">Technical information about this website’s accessibility</h2>
        <p className="govuk-body">
          {name} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2)
          Accessibility Regulations 2018.
        </p>
        <h3 className="govuk-heading-m">Compliance status</h3>
        <p className="govuk-body">
          This website is partially compliant with the{' '}
          <a className="govuk-link" href="https://www.w3.org/TR/WCAG22/" rel="noreferrer">
            Web Content Accessibility Guidelines version 2.2
          </a>{' '}
          AA standard, due to the non-compliances listed below.
        </p>
        <h3 className="govuk-heading-m">Non-accessible content</h3>
        <p className="govuk-body">
          The income chart on the trading page conveys its figures as a picture (WCAG 1.1.1 Non-text content). The same figures are given in a table,
          and we plan to describe the chart’s trend in words by 31 March 2027.
        </p>
        <h3 className="govuk-heading-m">What we’re doing to improve accessibility</h3>
        <p className="govuk-body">
          Every change to this website is tested automatically against WCAG 2.2 AA before it is released, and we test new pages with a keyboard, a
          screen reader and without JavaScript.
        </p>

        <h2 className="govuk-heading-l">Preparation of this accessibility statement</h2>
        <p className="govuk-body">This statement was prepared on 22 November 2026. It was last reviewed on 22 November 2026.</p>
        <p className="govuk-body">
          This website was last tested on 22 November 2026 against the WCAG 2.2 AA standard. The test was carried out by {name}’s digital team, with
          automated checks (axe) of every page and manual checks of the ordering, approval, renewal and finance journeys.
        </p>
        <p className="govuk-body">
          Read about the{' '}
          <Link className="govuk-link" to="/cookies">
            cookies
          </Link>{' '}
          and the{' '}
          <Link className="govuk-link" to="/privacy">
            privacy notice
          </Link>{' '}
          of this website.
        </p>
      </div>
    </div>
  )
}
