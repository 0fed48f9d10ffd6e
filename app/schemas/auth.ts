import { z } from 'zod'

const email = z
  .string({ error: 'Enter your email address' })
  .trim()
  .min(1, 'Enter your email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))
  .transform((v) => v.toLowerCase())

export const SignInSchema = z.object({
  email,
  password: z.string({ error: 'Enter your password' }).min(1, 'Enter your password').max(200, 'Password must be 200 characters or fewer'),
  redirectTo: z.string().optional(),
})

export const ForgotPasswordSchema = z.object({ email })

export const PASSWORD_MIN = 12

/** A new password: long enough to be strong, typed twice. */
export const NewPasswordSchema = z
  .object({
    password: z
      .string({ error: 'Enter a new password' })
      .min(1, 'Enter a new password')
      .min(PASSWORD_MIN, `Password must be ${PASSWORD_MIN} characters or more`)
      .max(200, 'Password must be 200 characters or fewer'),
    confirmPassword: z.string({ error: 'Confirm your new password' }).min(1, 'Confirm your new password'),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ['confirmPassword'],
    message: 'The passwords do not match',
  })
