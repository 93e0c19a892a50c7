// The states of an application and the transitions between them: the one table in code. The
// database holds the same states in a check constraint, and every transition is an update guarded
// by the expected state and version, so a transition the table does not allow cannot happen and
// two registrars cannot both move the same application.
import type { ApplicationState } from '#db/schema.ts'

export type { ApplicationState }

export const transitions = {
  // recording the application (parties, documents) before it is accepted
  receive: { from: ['draft'], to: 'received' }, //                          受理: the review clock starts
  start_assessment: { from: ['received'], to: 'assessment' }, //             the clock pauses
  end_assessment: { from: ['assessment'], to: 'received' }, //               report received; clock runs again
  start_public_notice: { from: ['received'], to: 'public_notice' }, //       foundling: 60-day notice, clock pauses
  end_public_notice: { from: ['public_notice'], to: 'received' },
  propose_decision: { from: ['received'], to: 'pending_approval' }, //       registrar prepares register/refuse
  return_decision: { from: ['pending_approval'], to: 'received' }, //        supervisor sends it back
  approve_registration: { from: ['pending_approval'], to: 'registered' }, // supervisor approves: number, certificate
  approve_refusal: { from: ['pending_approval'], to: 'refused' }, //          supervisor approves the refusal
  withdraw: { from: ['draft', 'received', 'assessment', 'public_notice', 'pending_approval'], to: 'withdrawn' },
  register_dissolution: { from: ['registered'], to: 'dissolved' },
  revoke: { from: ['registered'], to: 'revoked' },
} as const satisfies Record<string, { from: readonly ApplicationState[]; to: ApplicationState }>

export type Transition = keyof typeof transitions

export const states: readonly ApplicationState[] = [
  'draft', 'received', 'assessment', 'public_notice', 'pending_approval', 'registered', 'refused', 'withdrawn', 'dissolved', 'revoked',
]

/** States in which the review clock is running or paused: the application is open. */
export const openStates: readonly ApplicationState[] = ['received', 'assessment', 'public_notice', 'pending_approval']

export function allowed(transition: Transition, from: ApplicationState): boolean {
  return (transitions[transition].from as readonly ApplicationState[]).includes(from)
}

export function available(from: ApplicationState): Transition[] {
  return (Object.keys(transitions) as Transition[]).filter((t) => allowed(t, from))
}
