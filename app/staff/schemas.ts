// The forms of accounts and logging in. Error messages are catalogue keys ("key|param=value"),
// translated where they are shown; these schemas run on the server (authoritative) and in the
// browser (inline validation).
import { z } from 'zod'
import { text } from '#app/platform/text.ts'
import { passwordProblem, PASSWORD_MAX_LENGTH } from '#app/platform/auth/password-policy.ts'
import { roles, rolesConflict } from '#app/platform/permissions.ts'

export const requiredText = text

const optionalEmail = z
  .string()
  .trim()
  .max(200, 'validation.tooLong|max=200')
  .email('validation.email')
  .optional()

export const loginSchema = z.object({
  username: requiredText(40),
  password: z.string({ error: 'validation.required' }).min(1, 'validation.required').max(PASSWORD_MAX_LENGTH, `validation.tooLong|max=${PASSWORD_MAX_LENGTH}`),
  next: z.string().optional(),
})

/** At sign-in: the authenticator's 6 digits, or a recovery code (XXXXX-XXXXX) for a lost phone. */
export const totpCodeSchema = z.object({
  code: z
    .string({ error: 'validation.required' })
    .trim()
    .max(40, 'auth.totp.codeFormat')
    .refine((v) => /^\d{6}$/.test(v.replace(/\s/g, '')) || /^[A-Za-z0-9]{5}[\s-]?[A-Za-z0-9]{5}$/.test(v), 'auth.totp.codeFormat'),
})

const usernameField = z
  .string({ error: 'validation.required' })
  .trim()
  .min(2, 'users.username.format')
  .max(40, 'users.username.format')
  .regex(/^[A-Za-z0-9._-]+$/, 'users.username.format')

const rolesField = z
  .array(z.enum(roles, { error: 'validation.invalid' }), { error: 'users.roles.required' })
  .min(1, 'users.roles.required')
  .refine((chosen) => !rolesConflict(chosen), 'roles.refused.conflict')

// The policy needs the user name, so it is an object-level check; `when` makes it run even while
// other fields still have errors (zod skips object refinements otherwise), so every problem of a
// submitted form shows at once.
function withPasswordPolicy<T extends z.ZodRawShape>(shape: T, passwordKey: string, usernameOf: (v: any) => string) {
  return z.object(shape).superRefine(
    (value: any, ctx) => {
      const problem = passwordProblem(value[passwordKey] ?? '', usernameOf(value))
      if (problem) ctx.addIssue({ code: 'custom', path: [passwordKey], message: problem })
    },
    { when: (payload) => typeof (payload.value as Record<string, unknown> | undefined)?.[passwordKey] === 'string' },
  )
}

// No initial password: the administrator who creates an account never knows a usable secret of it
// (decision 026). The first password is set like a reset: a mailed link or a code the security
// administrator releases.
export const newUserSchema = z.object({
  username: usernameField,
  displayName: requiredText(60),
  email: optionalEmail,
  roles: rolesField,
})

export const editUserSchema = z.object({
  intent: z.literal('update'),
  version: z.coerce.number().int(),
  displayName: requiredText(60),
  email: optionalEmail,
  roles: rolesField,
})

export const changePasswordSchema = (username: string) =>
  withPasswordPolicy(
    {
      current: z.string({ error: 'validation.required' }),
      password: z.string({ error: 'validation.required' }),
      confirm: z.string({ error: 'validation.required' }),
    },
    'password',
    () => username,
  ).refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'auth.password.mismatch' })

export const securitySettingsSchema = z.object({
  totpRequiredRoles: z.array(z.enum(roles)).default([]),
})

// The public page that sets a new password with a reset link (token) or a released code.
export const passwordResetSchema = z
  .object({
    token: z.string().trim().max(100).optional(),
    username: z.string().trim().max(40).optional(),
    code: z.string().trim().max(20).optional(),
    password: z.string({ error: 'validation.required' }),
    confirm: z.string({ error: 'validation.required' }),
  })
  .superRefine((v, ctx) => {
    if (!v.token) {
      if (!v.username) ctx.addIssue({ code: 'custom', path: ['username'], message: 'validation.required' })
      if (!v.code) ctx.addIssue({ code: 'custom', path: ['code'], message: 'validation.required' })
    }
    const problem = passwordProblem(v.password ?? '', v.username ?? '')
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem })
    if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: 'auth.password.mismatch' })
  })
