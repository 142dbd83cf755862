import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UserDto } from '@oms/contracts';
import { z } from 'zod';
import { changePassword, login, logout, refresh, register, type Session } from '../../application/identity/auth';
import { LOADGEN_EMAIL_DOMAIN } from '../../application/identity/load-test-accounts';
import { UnprocessableError } from '../../application/shared/errors';
import type { RouteContext } from '../context';
import { principalOf } from '../plugins/authentication';
import type { RateLimit } from '../plugins/rate-limits';
import { toUserDto } from '../presenters';
import { BEARER, PUBLIC } from '../schemas';

export const REFRESH_COOKIE = 'oms_refresh';
const COOKIE_PATH = '/api/auth';

const SessionDto = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
  user: UserDto,
});
/** The refresh token comes in the body (API clients) or the httpOnly cookie (browsers). */
const RefreshBody = z
  .object({ refreshToken: z.string().min(1).max(256).optional().meta({ example: 'q3VwZ0x1c2V0b2tlbi1leGFtcGxlLTQyLXJlZnJlc2g' }) })
  .nullish();
const Password = z.string().min(8).max(128).meta({ example: 'correct-horse-battery' });
const isLoadTestEmail = (email: string) => email.toLowerCase().endsWith(`@${LOADGEN_EMAIL_DOMAIN}`);

type AuthApp = Parameters<FastifyPluginAsyncZod<RouteContext>>[0];

/** What every auth route needs: the config, the use cases' dependencies and the session reply. */
interface AuthRouteDeps {
  config: RouteContext['config'];
  deps: { store: RouteContext['store']; tokens: RouteContext['tokens']; refreshTtlDays: number; now: RouteContext['now'] };
  sendSession: (reply: FastifyReply, session: Session) => ReturnType<typeof sessionReply>;
}

function sessionReply(session: Session) {
  return { ...session, user: toUserDto(session.user) };
}

function registerRoute(app: AuthApp, { config, deps }: AuthRouteDeps): void {
  app.post(
    '/register',
    {
      config: { rateLimits: [{ name: 'registration per IP', perMin: config.RATE_LIMIT_REGISTER_PER_MIN, per: 'ip' }] },
      schema: {
        summary: 'Create a customer account',
        operationId: 'register',
        tags: ['auth'],
        security: PUBLIC,
        body: z.object({
          username: z
            .string()
            .trim()
            .min(3)
            .max(32)
            .regex(/^[\w.-]+$/, 'letters, digits, _ . - only')
            .meta({ example: 'asha' }),
          email: z.email().max(254).meta({ example: 'asha@example.com' }),
          password: Password,
        }),
        response: { 201: z.object({ user: UserDto }) },
      },
    },
    async (request, reply) => {
      // The load generator's shoppers live there (a load-run reset deletes their orders): only it, as admin, may register them.
      if (isLoadTestEmail(request.body.email)) {
        const admin = await app.requireAdmin(request).then(
          () => true,
          () => false,
        );
        if (!admin) throw new UnprocessableError('reserved-email-domain', `@${LOADGEN_EMAIL_DOMAIN} is reserved for load testing`);
      }
      const user = await register(deps, request.body);
      return reply.code(201).send({ user: toUserDto(user) });
    },
  );
}

function loginRoute(app: AuthApp, { config, deps, sendSession }: AuthRouteDeps): void {
  // Per account AND address, so strangers elsewhere cannot use up a user's quota; one account's
  // attempts from all addresses are only slowed down, never refused, so its owner is never locked out.
  const loginLimits: RateLimit[] = [
    { name: 'login per IP', perMin: config.RATE_LIMIT_LOGIN_IP_PER_MIN, per: 'ip' },
    { name: 'login per account from this address', perMin: config.RATE_LIMIT_LOGIN_PER_MIN, per: 'login-account-and-ip' },
  ];
  app.post(
    '/login',
    {
      config: { rateLimits: loginLimits, loginSlowdownAfter: config.LOGIN_SLOWDOWN_AFTER },
      schema: {
        summary: 'Log in: access token (JWT) and refresh token (also set as an httpOnly cookie)',
        operationId: 'login',
        tags: ['auth'],
        security: PUBLIC,
        body: z.object({
          email: z.string().min(1).max(254).meta({ example: 'asha@example.com' }),
          password: z.string().min(1).max(128).meta({ example: 'correct-horse-battery' }),
        }),
        response: { 200: SessionDto },
      },
    },
    async (request, reply) => sendSession(reply, await login(deps, request.body)),
  );
}

function refreshRoute(app: AuthApp, { config, deps, sendSession }: AuthRouteDeps): void {
  app.post(
    '/refresh',
    {
      config: { rateLimits: [{ name: 'token refresh per IP', perMin: config.RATE_LIMIT_REFRESH_PER_MIN, per: 'ip' }] },
      schema: {
        summary: 'Trade a refresh token (body or cookie) for a new pair; the old one is spent',
        operationId: 'refreshSession',
        tags: ['auth'],
        security: PUBLIC,
        body: RefreshBody,
        response: { 200: SessionDto },
      },
    },
    async (request, reply) => {
      const token = request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE] ?? '';
      return sendSession(reply, await refresh(deps, token));
    },
  );
}

function passwordRoute(app: AuthApp, { config, deps }: AuthRouteDeps): void {
  app.post(
    '/password',
    {
      config: { rateLimits: [{ name: 'password change', perMin: config.RATE_LIMIT_LOGIN_PER_MIN, per: 'user-or-ip' }] },
      onRequest: app.authenticate,
      schema: {
        summary: 'Change my password (current + new); every refresh token of mine is revoked',
        operationId: 'changePassword',
        tags: ['auth'],
        security: BEARER,
        body: z.object({ currentPassword: z.string().min(1).max(128), newPassword: Password }),
        response: { 204: z.undefined() },
      },
    },
    async (request, reply) => {
      await changePassword({ ...deps, adminEmail: config.ADMIN_EMAIL }, principalOf(request).userId, request.body);
      return reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH }).code(204).send();
    },
  );
}

function logoutRoute(app: AuthApp, { deps }: AuthRouteDeps): void {
  const logoutSchema = {
    summary: 'Revoke the refresh token and clear its cookie',
    operationId: 'logout',
    tags: ['auth'],
    security: PUBLIC,
    body: RefreshBody,
    response: { 204: z.undefined() },
  };
  app.post('/logout', { schema: logoutSchema }, async (request, reply) => {
    await logout(deps, request.body?.refreshToken ?? request.cookies[REFRESH_COOKIE]);
    return reply.clearCookie(REFRESH_COOKIE, { path: COOKIE_PATH }).code(204).send();
  });
}

const authRoutes: FastifyPluginAsyncZod<RouteContext> = async (app, ctx) => {
  const { config } = ctx;
  const deps = { store: ctx.store, tokens: ctx.tokens, refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS, now: ctx.now };
  const sendSession = (reply: FastifyReply, session: Session) => {
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      path: COOKIE_PATH,
      httpOnly: true,
      sameSite: 'strict',
      secure: config.COOKIE_SECURE,
      maxAge: config.REFRESH_TOKEN_TTL_DAYS * 86_400,
    });
    return sessionReply(session);
  };
  const routeDeps: AuthRouteDeps = { config, deps, sendSession };
  registerRoute(app, routeDeps);
  loginRoute(app, routeDeps);
  refreshRoute(app, routeDeps);
  passwordRoute(app, routeDeps);
  logoutRoute(app, routeDeps);
};

export default authRoutes;
