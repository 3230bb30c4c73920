import {
  ApiError,
  DISPLAY_NAME_MAX_LENGTH,
  Errors,
  type RegisterRequest,
  USERNAME_PATTERN,
  type UserView,
} from '@beckon/protocol';
import type { Context } from '../context.js';
import { randomHex } from '../ids.js';
import type { UserRecord } from '../store/port.js';
import { hashPassword, passwordProblem } from './passwords.js';

export function toUserView(user: UserRecord): UserView {
  return { id: user.id, username: user.username, displayName: user.displayName };
}

/** Trimmed; empty means "use the username". Control characters would garble the places names are shown. */
function displayNameFor(input: string | undefined, username: string): string {
  const name = (input ?? '').trim();
  if (!name) return username;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  if ([...name].length > DISPLAY_NAME_MAX_LENGTH || /[\u0000-\u001f\u007f]/.test(name))
    throw ApiError.invalidRequest(
      `displayName must be at most ${DISPLAY_NAME_MAX_LENGTH} printable characters`,
    );
  return name;
}

/** A new platform user. The username keeps the case it was given but is unique regardless of case. */
export async function register(ctx: Context, input: RegisterRequest): Promise<UserRecord> {
  const { username, password } = input;
  if (!USERNAME_PATTERN.test(username))
    throw ApiError.invalidRequest('username must be 3 to 32 of the characters A-Z a-z 0-9 _ . -');
  const problem = passwordProblem(password);
  if (problem) throw ApiError.invalidRequest(problem);
  const displayName = displayNameFor(input.displayName, username);
  // Cheap check first so a taken name does not cost a hash; createUser still decides under a race.
  if (await ctx.store.accounts.getUserByName(username)) throw new ApiError(Errors.USERNAME_TAKEN);
  const user: UserRecord = {
    id: randomHex(16),
    username,
    displayName,
    passwordHash: await hashPassword(password),
    createdAt: ctx.clock.now(),
  };
  if (!(await ctx.store.accounts.createUser(user))) throw new ApiError(Errors.USERNAME_TAKEN);
  return user;
}

export async function getUser(ctx: Context, id: string): Promise<UserRecord | undefined> {
  return ctx.store.accounts.getUser(id);
}

/** The user named `username` in any letter case; 91001 naming it when there is none. */
export async function findUser(ctx: Context, username: string): Promise<UserRecord> {
  const user = await ctx.store.accounts.getUserByName(username);
  if (!user) throw ApiError.because(Errors.NOT_FOUND, `no user named ${username}`);
  return user;
}
