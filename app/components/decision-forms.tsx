// The second person's two answers to a proposal awaiting approval (decision 027): approve in one
// click, or refuse with a reason. The proposal is named by its id and the version the page showed,
// so a stale page gets a version conflict rather than deciding something that changed.
import { Form } from '@remix-run/react'

export function ApproveOrRefuseForms({ intent, idField, id, version, idPrefix, labels }: {
  intent: string
  /** The form field that carries the proposal's id. */
  idField: string
  id: string
  version: number
  /** Prefix of the reason field's id, unique on the page. */
  idPrefix: string
  labels: { approve: string; refuse: string; reason: string }
}) {
  const hidden = (decision: 'approve' | 'refuse') => (
    <>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name={idField} value={id} />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="decision" value={decision} />
    </>
  )
  return (
    <>
      <Form method="post" className="inline-form">
        {hidden('approve')}
        <button type="submit" className="button">{labels.approve}</button>
      </Form>
      <Form method="post" className="step-form">
        {hidden('refuse')}
        <div className="field"><label htmlFor={`${idPrefix}-refuse-note`}>{labels.reason}</label><input id={`${idPrefix}-refuse-note`} name="note" maxLength={500} /></div>
        <button type="submit" className="button secondary">{labels.refuse}</button>
      </Form>
    </>
  )
}
