/**
 * Private events of the user slice, version 1. Each lives in its own category, is read
 * only by this service, is never projected into a read model and never relayed to
 * JetStream (the relay takes the categories tenant, user, apikey and plan only). They
 * are not part of @caas/contracts because no other service may depend on them.
 */

/** In `emailclaim-<sha256(lowercased e-mail)>`: the latest one names the account owning the address. */
export interface EmailClaimed {
  readonly type: 'EmailClaimed';
  readonly data: { readonly userId: string };
}

/** In `credential-<userId>`: `scrypt$N$r$p$salt$hash`; the latest one is the password. */
export interface PasswordSet {
  readonly type: 'PasswordSet';
  readonly data: { readonly userId: string; readonly passwordHash: string };
}
