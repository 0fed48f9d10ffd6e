/**
 * Starts govuk-frontend's and MOJ Frontend's scripts on the elements that ask
 * for them (`data-module="govuk-button"`, `"moj-sortable-table"`, ...), in the
 * browser only. Called after hydration and after every client navigation or
 * revalidation; an element already started (govuk-frontend marks it
 * `data-<module>-init`) is left alone, so nothing is started twice.
 * docs/decisions/0029-govuk-and-moj-frontend-javascript.md
 */
type ComponentClass = { readonly moduleName: string; new ($root: Element, config?: Record<string, unknown>): unknown }

let loading: Promise<{ component: ComponentClass; config?: Record<string, unknown> }[]> | null = null

function loadComponents() {
  loading ??= Promise.all([import('govuk-frontend'), import('@ministryofjustice/frontend/moj/components/sortable-table/sortable-table.mjs')]).then(
    ([govuk, moj]) => [
      // Double-click prevention where a button asks for it (data-prevent-double-click="true": orders, money, emails);
      // never on a form checked in the browser, which refuses a second submit itself (decision 0029).
      { component: govuk.Button },
      { component: govuk.CharacterCount },
      { component: govuk.Checkboxes },
      // The app's error summary moves focus itself (app/components/forms.tsx); the script adds what its links do.
      { component: govuk.ErrorSummary, config: { disableAutoFocus: true } },
      { component: govuk.NotificationBanner },
      { component: govuk.PasswordInput },
      { component: govuk.Radios },
      { component: govuk.ServiceNavigation },
      { component: govuk.SkipLink },
      { component: govuk.Tabs },
      { component: govuk.Accordion },
      { component: moj.SortableTable },
    ],
  )
  return loading
}

export async function startFrontendComponents(scope: ParentNode = document): Promise<void> {
  const components = await loadComponents()
  // A GOV.UK button that does not name its module is a GOV.UK button all the same.
  for (const button of scope.querySelectorAll('button.govuk-button:not([data-module])')) button.setAttribute('data-module', 'govuk-button')
  for (const { component, config } of components) {
    const name = component.moduleName
    for (const element of scope.querySelectorAll(`[data-module="${name}"]:not([data-${name}-init])`)) {
      try {
        if (config) new component(element, config)
        else new component(element)
      } catch (error) {
        // A component that cannot start leaves the element as the server sent it, which works without JavaScript.
        console.warn(`${name} not started`, error)
      }
    }
  }
}
