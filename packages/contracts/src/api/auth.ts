/** Schemas of the auth and user routes (`/api/auth/...`, `/api/users/...`). */
import { z } from 'zod';
import { isoDateTime, uuidSchema } from './common.js';

/** Roles, weakest first: a role may do everything the roles before it may. */
export const USER_ROLES = ['viewer', 'editor', 'admin'] as const;
/** One of {@link USER_ROLES}. */
export type UserRole = (typeof USER_ROLES)[number];
/** zod schema of a role. */
export const userRoleSchema = z.enum(USER_ROLES);

/** A login name: lowercase letters, digits, `.`, `_`, `-`, starting with a letter or digit. */
export const usernameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, {
  message: 'use 1-64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit',
});

/** A new password; long passphrases welcome, short ones refused. */
export const passwordSchema = z.string().min(8, { message: 'use at least 8 characters' }).max(1024);

/** The signed-in user as the UI needs it. */
export const userSchema = z.object({ id: uuidSchema, username: z.string(), role: userRoleSchema });
/** The signed-in user. */
export type UserDto = z.infer<typeof userSchema>;

/** A user as an admin sees it. */
export const userDetailSchema = userSchema.extend({
  disabled: z.boolean(),
  created_at: isoDateTime,
  updated_at: isoDateTime,
});
/** A user as an admin sees it. */
export type UserDetailDto = z.infer<typeof userDetailSchema>;

/** `POST /api/auth/login` body. The password is not length-checked here: a wrong one is just wrong. */
export const loginRequestSchema = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .strict();
/** `POST /api/auth/login` and `GET /api/auth/me` response. */
export const sessionUserResponseSchema = z.object({ user: userSchema });

/** `POST /api/auth/tokens` body. */
export const createTokenRequestSchema = z
  .object({
    name: z.string().min(1).max(100),
    /** Days until the token stops working; absent = never expires. */
    expires_in_days: z.number().int().min(1).max(3650).optional(),
  })
  .strict();
/** `POST /api/auth/tokens` response: the token is shown this once and stored only as a hash. */
export const createTokenResponseSchema = z.object({ id: uuidSchema, name: z.string(), token: z.string() });

/** One API token, without its secret. */
export const apiTokenSchema = z.object({
  id: uuidSchema,
  name: z.string(),
  user_id: uuidSchema,
  created_at: isoDateTime,
  last_used_at: isoDateTime.nullable(),
  expires_at: isoDateTime.nullable(),
  revoked: z.boolean(),
});
/** One API token, without its secret. */
export type ApiTokenDto = z.infer<typeof apiTokenSchema>;
/** `GET /api/auth/tokens` response: the caller's tokens (every user's for an admin). */
export const listTokensResponseSchema = z.array(apiTokenSchema);

/** Path of the routes under one token or user. */
export const idParamsSchema = z.object({ id: uuidSchema });

/** `POST /api/users` body (admin). */
export const createUserRequestSchema = z
  .object({ username: usernameSchema, password: passwordSchema, role: userRoleSchema })
  .strict();
/** `PATCH /api/users/:id` body (admin): at least one field. */
export const updateUserRequestSchema = z
  .object({
    role: userRoleSchema.optional(),
    password: passwordSchema.optional(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, {
    message: 'give at least one of role, password, disabled',
  });
/** `GET /api/users` response (admin). */
export const listUsersResponseSchema = z.array(userDetailSchema);
