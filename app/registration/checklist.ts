// Which documents an adoption registration application needs: a pure function of the kind of case,
// following the registration measures (中国公民收养子女登记办法, 2023 revision; art. 3 was inserted
// in 2023, so the adopter's documents are art. 6 and the placing party's art. 7) and the Civil Code.
// The registrar's checklist and the public guide (/guide) both come from here, so what the public is
// told to bring is what the registrar checks.
//
// Art. 6 (adopter):  para. 1 application, hukou booklet and ID card, certificate of marital status
//                    and ability to raise the child (employer or villagers'/residents' committee),
//                    declaration of own children, health certificate (county-level hospital or above);
//                    para. 2 a child whose birth parents cannot be found: certificate of the adopter's
//                    births (生育情况证明); if the child is not raised by a welfare institution, also
//                    the police certificate of the report of finding the child;
//                    para. 3 stepchild: only hukou, ID and proof of marriage to the birth parent.
// Art. 7 (placing):  para. 1 hukou and ID (an organisation as guardian: its head's ID), and the
//                    written consent of others with a duty to support the child where the Civil Code
//                    asks for it (art. 1096); para. 2 a welfare institution: intake record, and the
//                    police report of finding or the orphan's parents' death proof; para. 3 a guardian:
//                    proof of actual guardianship, and the parents' death proof or (art. 1095) proof
//                    that both parents lack full capacity and endanger the child; para. 4 birth
//                    parents: declaration of special difficulty; one parent alone: proof that the other
//                    has died or cannot be found; a relative adopting: proof of the family relationship
//                    (police or notarised); para. 5 a disabled child: disability certificate.
//
// The item list is what must be on file for the case; the number of copies (each spouse brings
// their own ID card) is not a checklist matter, so `adopters` changes no code. Codes are stable:
// they are stored per application (application_documents.code) and never renamed.
import type { MessageKey } from '#app/platform/i18n/index.ts'

export type PlacingKind = 'guardian' | 'welfare_institution' | 'birth_parents' | 'birth_parent'

export type ChecklistContext = {
  relation: 'none' | 'relative' | 'stepchild'
  placingKind: PlacingKind
  childSituation: 'orphan' | 'parents_not_found' | 'parents_in_difficulty' | 'parents_lack_capacity' | 'other'
  /** Found abandoned, birth parents not found, and not in a welfare institution's long-term care. */
  foundling: boolean
  childDisabled: boolean
  /** 1 adopter, or a married couple (2). */
  adopters: 1 | 2
  /** The child's own consent is needed at 8 or over (Civil Code art. 1104). */
  childAge8OrOver: boolean
}

/** Every code any context can produce: the adopter's, the placing party's, the child's. */
export const allDocumentCodes = [
  'adopter_application_form',
  'adopter_hukou',
  'adopter_id_card',
  'adopter_marriage_certificate',
  'adopter_marital_status_and_ability',
  'adopter_children_declaration',
  'adopter_health_certificate',
  'adopter_fertility_status_proof',
  'police_finding_report',
  'institution_head_id',
  'institution_intake_record',
  'placing_hukou',
  'placing_id_card',
  'guardianship_proof',
  'parents_death_proof',
  'parents_incapacity_proof',
  'supporters_consent',
  'special_difficulty_declaration',
  'birth_parents_agreement',
  'other_parent_missing_proof',
  'relationship_proof',
  'child_disability_proof',
  'child_consent',
] as const

export type DocumentCode = (typeof allDocumentCodes)[number]
export type DocumentParty = 'adopter' | 'placing' | 'child'

export type ChecklistItem = {
  code: DocumentCode
  /** Who provides the document. */
  party: DocumentParty
  required: true
  /** The document's name as on a checklist. */
  label: MessageKey
  /** Its legal basis, short. */
  basis: MessageKey
}

/**
 * A step-parent adoption in the sense of Civil Code art. 1103: a stepchild placed by the birth
 * parents (their consent). Without it, e.g. a guardian placing after the birth parent's death, the
 * ordinary rules apply — the same reading as eligibility.ts.
 */
export function isStepParentAdoption(ctx: Pick<ChecklistContext, 'relation' | 'placingKind'>): boolean {
  return ctx.relation === 'stepchild' && (ctx.placingKind === 'birth_parents' || ctx.placingKind === 'birth_parent')
}

export function requiredDocuments(ctx: ChecklistContext): ChecklistItem[] {
  assertConsistent(ctx)
  const items: ChecklistItem[] = []
  const add = (code: DocumentCode, party: DocumentParty, label: MessageKey, basis: MessageKey) => {
    items.push({ code, party, required: true, label, basis })
  }
  const stepParent = isStepParentAdoption(ctx)
  const parentsNotFound = ctx.childSituation === 'parents_not_found'
  const orphan = ctx.childSituation === 'orphan'
  const byInstitution = ctx.placingKind === 'welfare_institution'
  const byBirthParents = ctx.placingKind === 'birth_parents' || ctx.placingKind === 'birth_parent'

  // The adopter (art. 6). The application itself is needed in every case: para. 3 shortens the
  // list of certificates for a step-parent, not the application.
  add('adopter_application_form', 'adopter', 'checklist.doc.adopter_application_form', 'checklist.basis.measures6.1')
  add('adopter_hukou', 'adopter', 'checklist.doc.adopter_hukou', stepParent ? 'checklist.basis.measures6.3' : 'checklist.basis.measures6.1')
  add('adopter_id_card', 'adopter', 'checklist.doc.adopter_id_card', stepParent ? 'checklist.basis.measures6.3' : 'checklist.basis.measures6.1')
  if (stepParent) {
    add('adopter_marriage_certificate', 'adopter', 'checklist.doc.adopter_marriage_certificate', 'checklist.basis.measures6.3')
  } else {
    add('adopter_marital_status_and_ability', 'adopter', 'checklist.doc.adopter_marital_status_and_ability', 'checklist.basis.measures6.1')
    add('adopter_children_declaration', 'adopter', 'checklist.doc.adopter_children_declaration', 'checklist.basis.measures6.1')
    add('adopter_health_certificate', 'adopter', 'checklist.doc.adopter_health_certificate', 'checklist.basis.measures6.1')
    if (parentsNotFound) {
      add('adopter_fertility_status_proof', 'adopter', 'checklist.doc.adopter_fertility_status_proof', 'checklist.basis.measures6.2')
    }
    if (ctx.foundling) {
      add('police_finding_report', 'adopter', 'checklist.doc.police_finding_report', 'checklist.basis.measures6.2')
    }
  }

  // The placing party (art. 7).
  if (byInstitution) {
    add('institution_head_id', 'placing', 'checklist.doc.institution_head_id', 'checklist.basis.measures7.1')
    add('institution_intake_record', 'placing', 'checklist.doc.institution_intake_record', 'checklist.basis.measures7.2')
    // A foundling's finding report is already the adopter's (art. 6 para. 2): one document, once.
    if (parentsNotFound && !ctx.foundling) {
      add('police_finding_report', 'placing', 'checklist.doc.police_finding_report', 'checklist.basis.measures7.2')
    }
    if (orphan) add('parents_death_proof', 'placing', 'checklist.doc.parents_death_proof', 'checklist.basis.measures7.2')
  } else {
    const guardian = ctx.placingKind === 'guardian'
    add('placing_hukou', 'placing', guardian ? 'checklist.doc.placing_hukou.guardian' : 'checklist.doc.placing_hukou', 'checklist.basis.measures7.1')
    add('placing_id_card', 'placing', guardian ? 'checklist.doc.placing_id_card.guardian' : 'checklist.doc.placing_id_card', 'checklist.basis.measures7.1')
  }
  if (ctx.placingKind === 'guardian') {
    add('guardianship_proof', 'placing', 'checklist.doc.guardianship_proof', 'checklist.basis.measures7.3')
    if (orphan) {
      add('parents_death_proof', 'placing', 'checklist.doc.parents_death_proof', 'checklist.basis.measures7.3')
      add('supporters_consent', 'placing', 'checklist.doc.supporters_consent', 'checklist.basis.measures7.1AndCivilCode1096')
    } else if (!parentsNotFound) {
      // A guardian may place a child who is not an orphan only under art. 1095: the evidence of both
      // conditions (no full civil capacity; may seriously harm the child).
      add('parents_incapacity_proof', 'placing', 'checklist.doc.parents_incapacity_proof', 'checklist.basis.measures7.3')
    }
  }
  if (byBirthParents) {
    if (stepParent) {
      add('birth_parents_agreement', 'placing', 'checklist.doc.birth_parents_agreement', 'checklist.basis.civilCode1103')
    } else if (ctx.relation !== 'relative') {
      // Art. 1099(1) (relative) and art. 1103 (step-parent) lift the special-difficulty requirement.
      add('special_difficulty_declaration', 'placing', 'checklist.doc.special_difficulty_declaration', 'checklist.basis.measures7.4')
    }
    if (ctx.placingKind === 'birth_parent') {
      add('other_parent_missing_proof', 'placing', 'checklist.doc.other_parent_missing_proof', 'checklist.basis.measures7.4AndCivilCode1097')
    }
  }
  if (ctx.relation === 'relative') {
    add('relationship_proof', 'placing', 'checklist.doc.relationship_proof.relative', 'checklist.basis.measures7.4')
  } else if (ctx.relation === 'stepchild') {
    add('relationship_proof', 'placing', 'checklist.doc.relationship_proof.stepchild', 'checklist.basis.civilCode1103')
  }
  // The disability certificate serves the art. 1100(2) exemptions, which art. 1103 already grants a
  // step-parent; art. 6 para. 3 keeps the step-parent's list short.
  if (ctx.childDisabled && !stepParent) {
    add('child_disability_proof', 'placing', 'checklist.doc.child_disability_proof', 'checklist.basis.measures7.5')
  }

  // The child.
  if (ctx.childAge8OrOver) add('child_consent', 'child', 'checklist.doc.child_consent', 'checklist.basis.civilCode1104')
  return items
}

/**
 * A foundling recorded with a child situation other than "birth parents cannot be found". The form
 * refuses it (schemas.ts), but a record stored earlier or imported may hold it: the checklist still
 * lists documents for it (the foundling's and the situation's), and registration is blocked on it
 * (registrationBlockers) until the registrar corrects the record.
 */
export function foundlingContradiction(ctx: Pick<ChecklistContext, 'foundling' | 'childSituation'>): boolean {
  return ctx.foundling && ctx.childSituation !== 'parents_not_found'
}

// A contradictory context is a programming error upstream, not a case to list documents for.
function assertConsistent(ctx: ChecklistContext): void {
  if (ctx.adopters !== 1 && ctx.adopters !== 2) throw new RangeError('checklist: one adopter or a married couple')
}
