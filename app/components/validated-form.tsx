import { zodResolver } from '@hookform/resolvers/zod'
import { Form, useNavigation, useSubmit, type FormProps } from '@remix-run/react'
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'
import { FormProvider, useForm, type Resolver, type UseFormReturn } from 'react-hook-form'
import type { FieldErrors } from '~/schemas/common'

/**
 * Forms that check themselves in the browser (docs/decisions/0028): the
 * route's own zod schema runs on the form's values before anything is sent,
 * through react-hook-form and its zod resolver. Without JavaScript, or before
 * hydration, the form is the plain Remix <Form> it always was and the server
 * checks it with the same schema, so both give the same messages.
 */

/**
 * The one adapter from a form to what its schema reads, as an action reads
 * FormData: each field's first value, as a string (files left out). An
 * unticked checkbox or an unanswered radio group is absent, as in a post.
 * A route whose action builds its values with its own function from FormData
 * (deliveryValuesFrom, offerValuesFrom...) passes that same function instead.
 */
export function formValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {}
  for (const [name, value] of form) if (typeof value === 'string' && !(name in values)) values[name] = value
  return values
}

const useIsomorphicLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

type SchemaLike = Parameters<typeof zodResolver>[0]
type Submitter = HTMLButtonElement | HTMLInputElement

/**
 * react-hook-form's errors (nested by the path) as the GOV.UK error
 * summary shows them: one message per top-level field, the first found, as
 * `fieldErrors` does on the server. An issue for the form as a whole is 'form'.
 */
export function flattenErrors(errors: object, key: (name: string) => string = (name) => name): FieldErrors {
  const first = (node: unknown): string | undefined => {
    if (!node || typeof node !== 'object') return undefined
    if ('message' in node && typeof node.message === 'string' && node.message) return node.message
    for (const [k, child] of Object.entries(node)) {
      if (k === 'ref' || k === 'types') continue
      const message = first(child)
      if (message) return message
    }
    return undefined
  }
  const out: FieldErrors = {}
  for (const [name, node] of Object.entries(errors)) {
    const message = first(node)
    if (message) out[key(name === '' || name === 'root' ? 'form' : name)] ??= message
  }
  return out
}

export type ValidatedFormOptions = {
  /** The schema the route's action parses the same form with; none for a form with no fields to check (it still posts once). */
  schema?: SchemaLike
  /**
   * For an action that checks FormData with its own function rather than a
   * zod schema (parseCredit, parseAllocations...): that function, returning
   * the errors it finds by field (none when the form is right).
   */
  check?: (form: FormData) => FieldErrors | null | undefined
  /** What the action builds from FormData before parsing; `formValues` unless the action has its own. */
  values?: (form: FormData) => unknown
  /** The action's answer (`actionData?.errors`): shown until the next check in the browser. */
  serverErrors?: FieldErrors
  /** The key the page shows an error under, when it is not the schema's (`quantity` → `quantity-<line id>`). */
  key?: (name: string) => string
}

export type ValidatedFormState = {
  /** What to show: the browser's own check since it last ran, else the server's answer. */
  errors: FieldErrors | undefined
  /** True while the browser's errors are shown (the page's server errors are stale). */
  checkedInBrowser: boolean
  methods: UseFormReturn
  /** The <Form>'s submit handler, given the <Form>'s own options. */
  handleSubmit: (event: FormEvent<HTMLFormElement>, props: FormProps) => void
}

/**
 * The state of one ValidatedForm, made where the page renders its error
 * summary (which usually sits above the form, at the top of the page).
 */
export function useValidatedForm(options: ValidatedFormOptions): ValidatedFormState {
  const latest = useRef(options)
  useIsomorphicLayoutEffect(() => {
    latest.current = options
  })
  const formRef = useRef<HTMLFormElement | null>(null)
  const submitterRef = useRef<Submitter | null>(null)
  const submittingRef = useRef(false)
  // The browser's errors, with the server's answer they were found after: a new answer replaces them.
  const [client, setClient] = useState<{ after: FieldErrors | undefined; errors: FieldErrors } | null>(null)
  const navigation = useNavigation()
  const submit = useSubmit()

  const resolver = useCallback<Resolver>(async (_values, context, resolverOptions) => {
    const { schema, check: checkForm, values = formValues } = latest.current
    const form = formRef.current
    if ((!schema && !checkForm) || !form) return { values: {}, errors: {} }
    const data = new FormData(form)
    const submitter = submitterRef.current
    if (submitter?.name) data.append(submitter.name, submitter.value)
    if (checkForm) {
      const found = Object.entries(checkForm(data) ?? {}).filter((e): e is [string, string] => Boolean(e[1]))
      return { values: {}, errors: Object.fromEntries(found.map(([name, message]) => [name, { type: 'check', message }])) }
    }
    if (!schema) return { values: {}, errors: {} }
    // The values the action would parse: the resolver checks these, not react-hook-form's own copy.
    const check = zodResolver(schema) as unknown as Resolver
    return check(values(data) as Record<string, unknown>, context, resolverOptions)
  }, [])

  const methods = useForm({ resolver, mode: 'onSubmit', reValidateMode: 'onSubmit', shouldFocusError: false })

  // The form may be sent again once the navigation it started is over.
  useEffect(() => {
    if (navigation.state === 'idle') submittingRef.current = false
  }, [navigation.state])

  const serverErrors = options.serverErrors
  const handleSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>, props: FormProps) => {
      event.preventDefault()
      // A second click while the first is checked or sent does nothing.
      if (submittingRef.current) return
      submittingRef.current = true
      const form = event.currentTarget
      const submitter = ((event.nativeEvent as SubmitEvent).submitter as Submitter | null) ?? null
      formRef.current = form
      submitterRef.current = submitter
      void methods.handleSubmit(
        () => {
          setClient(null)
          submit(submitter ?? form, {
            method: (submitter?.getAttribute('formmethod') as FormProps['method']) || props.method,
            replace: props.replace,
            preventScrollReset: props.preventScrollReset,
            relative: props.relative,
            state: props.state,
          })
        },
        (errors) => {
          submittingRef.current = false
          setClient({ after: serverErrors, errors: flattenErrors(errors, latest.current.key) })
        },
      )(event)
    },
    [methods, submit, serverErrors],
  )

  const clientErrors = client && client.after === serverErrors ? client.errors : null
  return { errors: clientErrors ?? serverErrors, checkedInBrowser: clientErrors !== null, methods, handleSubmit }
}

/**
 * The errors a page shows when it has several browser-checked forms with
 * different fields: those of each form the browser has checked since the
 * server's last answer, else the server's answer.
 */
export function shownErrors(forms: ValidatedFormState[], serverErrors: FieldErrors | undefined): FieldErrors | undefined {
  const checked = forms.filter((f) => f.checkedInBrowser)
  return checked.length ? Object.assign({}, ...checked.map((f) => f.errors)) : serverErrors
}

type ValidatedFormProps = Omit<FormProps, 'onSubmit'> & { form: ValidatedFormState; children: ReactNode }

/**
 * A Remix <Form> checked in the browser by `form` (from useValidatedForm)
 * before it is sent, then sent the Remix way with the button that was
 * pressed, so that the action sees what a post without JavaScript sends. The
 * markup is that of the <Form> alone: identical before and after hydration.
 */
export function ValidatedForm({ form, children, ...props }: ValidatedFormProps) {
  const { handleSubmit } = form
  return (
    <FormProvider {...form.methods}>
      <Form {...props} onSubmit={(event) => handleSubmit(event, props)}>
        {children}
      </Form>
    </FormProvider>
  )
}

/** A form with no fields to check (a money button such as "Submit order"): sent once, however often it is pressed. */
export function SubmitOnceForm(props: Omit<ValidatedFormProps, 'form'>) {
  const form = useValidatedForm({})
  return <ValidatedForm form={form} {...props} />
}
