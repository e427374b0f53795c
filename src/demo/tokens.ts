/**
 * Demo hardware tokens of every type with vendor-like serials (sequential within boxes, as shipped),
 * assigned to users and, for some administrators, to their logins. No secrets: those live only on the hub.
 */
import { TOKEN_TYPES, type TokenType } from '../domain/enums.js';
import type { Admin, Token } from '../domain/schemas.js';
import { tokenIdForSerial } from '../domain/ids.js';
import { categoryDeck, pastTime, type Rng } from './random.js';

const DAY = 86_400_000;

/** HOTP-6 and YubiKeys dominate fleets; TOTP and 8-digit tokens are rarer; d1 are the ones bought from Duo. */
const TYPE_WEIGHTS: Record<TokenType, number> = { h6: 30, h8: 6, t6: 16, t8: 6, yk: 24, d1: 18 };

/**
 * Serial formats by type: a vendor prefix and a fixed number of digits, or bare decimals (YubiKey serials
 * have 8 digits, Duo D-100 ones 10). Prefixes and lengths differ, so serials of two types never collide.
 */
const SERIAL_FORMATS: Record<TokenType, { prefix: string; digits: number; floor: number }> = {
  h6: { prefix: 'C200', digits: 8, floor: 0 },
  h8: { prefix: 'C100', digits: 8, floor: 0 },
  t6: { prefix: 'T2C', digits: 9, floor: 0 },
  t8: { prefix: 'T2M', digits: 9, floor: 0 },
  yk: { prefix: '', digits: 8, floor: 10_000_000 },
  d1: { prefix: '', digits: 10, floor: 1_000_000_000 },
};
const BOX_SIZE = 100;

/** Who holds a token: nobody yet, one user, or (the reference allows it) two users. */
const ASSIGNMENT_WEIGHTS = [30, 66, 4];

/** Issues serials of one type: sequential within a box of 100, with a gap between boxes. */
function serialIssuer(rng: Rng, type: TokenType): () => string {
  const format = SERIAL_FORMATS[type];
  let next = format.floor + rng.int(0, 10 ** (format.digits - 1) - 1);
  let inBox = 0;
  return () => {
    if (inBox === BOX_SIZE) {
      next += rng.int(1, 900);
      inBox = 0;
    }
    inBox++;
    return format.prefix + String(next++).padStart(format.digits, '0');
  };
}

/** `count` tokens, every type present when count allows; some assigned to users, some to administrators. */
export function buildTokens(
  rng: Rng,
  count: number,
  userIds: readonly string[],
  admins: readonly Admin[],
  now: number,
): Token[] {
  const types = categoryDeck(rng, count, TOKEN_TYPES.map((t) => TYPE_WEIGHTS[t]), true);
  const assignments = categoryDeck(rng, count, ASSIGNMENT_WEIGHTS, userIds.length > 0);
  const issuers = Object.fromEntries(TOKEN_TYPES.map((t) => [t, serialIssuer(rng, t)])) as Record<TokenType, () => string>;

  const tokens = Array.from({ length: count }, (_, i): Token => {
    const type = TOKEN_TYPES[types[i] ?? 0] ?? 'h6';
    const serial = issuers[type]();
    const users: string[] = [];
    const holders = userIds.length === 0 ? 0 : Math.min(assignments[i] ?? 0, userIds.length);
    while (users.length < holders) {
      const u = rng.pick(userIds);
      if (!users.includes(u)) users.push(u);
    }
    const created = pastTime(rng, now, DAY, 3 * 365 * DAY);
    return {
      token_id: tokenIdForSerial(serial),
      serial,
      type,
      totp_step: type === 't6' || type === 't8' ? (rng.chance(0.85) ? 30 : 60) : 0,
      users,
      admins: [],
      origin: type === 'd1' ? 'vendor' : 'third-party',
      created,
      updated: created + Math.floor(rng.next() * (now - created)),
    };
  });

  // Owners always log in with a token in the demo; others sometimes. Admins take tokens no user holds.
  const free = tokens.filter((t) => t.users.length === 0);
  for (const admin of admins) {
    if (tokens.length === 0) break;
    if (admin.role !== 'Owner' && !rng.chance(0.4)) continue;
    const token = free.length > 0 ? free.splice(rng.int(0, free.length - 1), 1)[0] : rng.pick(tokens);
    token?.admins.push(admin.admin_id);
  }
  return tokens;
}
