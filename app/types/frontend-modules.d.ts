// govuk-frontend and @ministryofjustice/frontend ship JavaScript without type
// declarations: these are the few parts the app uses (app/utils/frontend-components.ts).

type FrontendComponentClass = {
  readonly moduleName: string
  new ($root: Element, config?: Record<string, unknown>): unknown
}

declare module 'govuk-frontend' {
  export const Accordion: FrontendComponentClass
  export const Button: FrontendComponentClass
  export const CharacterCount: FrontendComponentClass
  export const Checkboxes: FrontendComponentClass
  export const ErrorSummary: FrontendComponentClass
  export const NotificationBanner: FrontendComponentClass
  export const PasswordInput: FrontendComponentClass
  export const Radios: FrontendComponentClass
  export const ServiceNavigation: FrontendComponentClass
  export const SkipLink: FrontendComponentClass
  export const Tabs: FrontendComponentClass
}

declare module '@ministryofjustice/frontend/moj/components/sortable-table/sortable-table.mjs' {
  export const SortableTable: FrontendComponentClass
}
