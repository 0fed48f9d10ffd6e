import { Radios, TextInput } from './forms'
import type { FieldErrors } from '~/schemas/common'
import { TRUST_INVOICING_NAMES } from '~/schemas/trust-labels'
import type { TrustValues } from '~/schemas/trusts'

/** A trust's details, on the add and edit forms (issue 16). */
export function TrustFields({ values, errors }: { values: Partial<TrustValues>; errors: FieldErrors | undefined }) {
  return (
    <>
      <TextInput
        name="name"
        label="Name"
        labelSize="m"
        hint="As on Get Information about Schools"
        width="full"
        maxLength={200}
        defaultValue={values.name}
        error={errors?.name}
      />
      <TextInput
        name="companiesHouseNumber"
        label="Companies House number (optional)"
        labelSize="m"
        hint="8 characters, like 09876543"
        width={10}
        maxLength={20}
        spellCheck={false}
        defaultValue={values.companiesHouseNumber}
        error={errors?.companiesHouseNumber}
      />
      <TextInput
        name="approvalLimit"
        label="Trust approval limit"
        labelSize="m"
        hint="An order the trust places for its schools of this much or more, all schools together, needs the trust’s approver. In pounds, like 5000, up to £1,000,000."
        prefix="£"
        inputMode="decimal"
        width={10}
        maxLength={30}
        defaultValue={values.approvalLimit}
        error={errors?.approvalLimit}
      />
      <Radios
        name="invoicing"
        legend="How the trust is invoiced"
        value={values.invoicing}
        error={errors?.invoicing}
        options={[
          { value: 'per_school', label: TRUST_INVOICING_NAMES.per_school, hint: 'Each school’s lines on its own invoice, to the school' },
          {
            value: 'consolidated',
            label: TRUST_INVOICING_NAMES.consolidated,
            hint: 'Every school’s lines of an order on one invoice, to the trust’s address',
          },
        ]}
      />
      <TextInput
        name="addressLine1"
        label="Address (optional)"
        labelSize="m"
        width="full"
        maxLength={250}
        defaultValue={values.addressLine1}
        error={errors?.addressLine1}
        autoComplete="address-line1"
      />
      <TextInput
        name="town"
        label="Town (optional)"
        labelSize="m"
        width={20}
        maxLength={150}
        defaultValue={values.town}
        error={errors?.town}
        autoComplete="address-level2"
      />
      <TextInput
        name="postcode"
        label="Postcode (optional)"
        labelSize="m"
        width={10}
        maxLength={20}
        defaultValue={values.postcode}
        error={errors?.postcode}
        autoComplete="postal-code"
      />
      <TextInput
        name="financeEmail"
        label="Finance email (optional)"
        labelSize="m"
        hint="Where the trust’s invoices are sent"
        type="email"
        width={30}
        maxLength={300}
        spellCheck={false}
        defaultValue={values.financeEmail}
        error={errors?.financeEmail}
        autoComplete="email"
      />
    </>
  )
}
