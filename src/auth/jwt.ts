import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';

export interface JwtSettings {
  /** Where the signing keys are: a JWKS URL (fetched and cached by jose) or a JWKS file. */
  jwksUrl: string | null;
  jwksFile: string | null;
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  /** The claim that lists the connections a token opens (an array, or a space-separated string). */
  connectionsClaim: string;
  /** Least time between two JWKS fetches for unknown key ids. */
  jwksCooldownSeconds: number;
}

/** Asymmetric algorithms only: `none` and shared-secret HMAC are never accepted. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export type VerifiedToken = { ok: true; payload: JWTPayload } | { ok: false; reason: string };

/**
 * Verifies bearer JWTs against a JWKS: signature, algorithm, `iss`, `aud`, `exp` and `nbf` with the
 * allowed clock skew. A token signed with a key id not yet known makes jose fetch the JWKS again, at
 * most once per `jwksCooldownSeconds`, so key rotation works and an attacker cannot make the gateway
 * hammer the identity provider.
 */
export function createJwtVerifier(s: JwtSettings) {
  const keys = s.jwksUrl
    ? createRemoteJWKSet(new URL(s.jwksUrl), { cooldownDuration: s.jwksCooldownSeconds * 1000, cacheMaxAge: 10 * 60_000, timeoutDuration: 5_000 })
    : createLocalJWKSet(JSON.parse(readFileSync(s.jwksFile!, 'utf8')));
  return async (token: string): Promise<VerifiedToken> => {
    try {
      const { payload } = await jwtVerify(token, keys, { issuer: s.issuer, audience: s.audience, clockTolerance: s.clockSkewSeconds, algorithms: ALGORITHMS });
      return { ok: true, payload };
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired' };
      if (err instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `the token's "${err.claim}" claim is not accepted` };
      if (err instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'the token is signed with a key the gateway does not know' };
      if (err instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: 'the token uses an algorithm the gateway does not accept' };
      if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'the token signature does not verify' };
      return { ok: false, reason: 'the token is not valid' };
    }
  };
}

/** A claim holding a list: an array of strings, or one space-separated string. */
export function listClaim(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}
