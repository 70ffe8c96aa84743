/* eslint-disable import/no-extraneous-dependencies -- the Lambda Node.js runtime provides AWS SDK v3; the library must not depend on it */
import { CreateGrantCommand, GrantConstraints, GrantOperation, KMSClient, RevokeGrantCommand } from '@aws-sdk/client-kms';
import type { CdkCustomResourceEvent, CdkCustomResourceResponse } from 'aws-lambda';

/**
 * The custom resource for one KMS grant (CloudFormation has no resource type for grants).
 *
 * Create and Update both call CreateGrant: a grant cannot be changed, so a change replaces it,
 * and CloudFormation then sends Delete for the old grant id. The request carries a grant Name,
 * which makes CreateGrant idempotent: a retried create, or an update that changes nothing KMS
 * sees (a new service token), gets the same grant id back, and nothing is replaced.
 * Delete revokes the grant (RevokeGrant: the handler role is in the key policy for it; it is
 * neither the grantee nor, unless the app says so, the retiring principal, so RetireGrant is
 * not open to it). A grant that is already gone counts as deleted.
 *
 * The grant token CreateGrant returns is never logged nor returned: it would let whoever reads
 * the logs or the stack use the grant before it is consistent everywhere.
 */

/** The SDK's own retries (throttling, 5xx) with more patience than its default three. */
const kms = new KMSClient({ maxAttempts: 8 });

/** A role created in the same deployment can take seconds to be visible to KMS. */
const NEW_PRINCIPAL_ATTEMPTS = 6;
const NEW_PRINCIPAL_BASE_DELAY_MS = 2_000;

let sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Replaces the sleep between attempts; tests record delays instead of waiting. */
export function setSleep(fn: (ms: number) => Promise<void>): (ms: number) => Promise<void> {
  const previous = sleep;
  sleep = fn;
  return previous;
}

interface GrantProps {
  readonly keyArn: string;
  readonly granteePrincipal: string;
  readonly operations: GrantOperation[];
  readonly retiringPrincipal?: string;
  readonly constraints?: GrantConstraints;
  readonly name: string;
}

function grantProps(raw: Record<string, any>): GrantProps {
  return {
    keyArn: raw.KeyArn,
    granteePrincipal: raw.GranteePrincipal,
    operations: raw.Operations ?? [],
    retiringPrincipal: raw.RetiringPrincipal,
    constraints: raw.Constraints,
    name: raw.Name,
  };
}

export async function onEvent(event: CdkCustomResourceEvent): Promise<CdkCustomResourceResponse> {
  const props = grantProps(event.ResourceProperties);
  switch (event.RequestType) {
    case 'Create':
    case 'Update':
      return createGrant(props);
    case 'Delete':
      return revokeGrant(props.keyArn, event.PhysicalResourceId);
  }
}

async function createGrant(props: GrantProps): Promise<CdkCustomResourceResponse> {
  const request = new CreateGrantCommand({
    KeyId: props.keyArn,
    GranteePrincipal: props.granteePrincipal,
    Operations: props.operations,
    RetiringPrincipal: props.retiringPrincipal,
    Constraints: props.constraints,
    Name: props.name,
  });
  for (let attempt = 1; ; attempt++) {
    try {
      const { GrantId } = await kms.send(request);
      console.log(`Grant ${GrantId} on ${props.keyArn}: ${props.operations.join(', ')} for ${props.granteePrincipal}`);
      return { PhysicalResourceId: GrantId!, Data: { GrantId: GrantId! } };
    } catch (error) {
      const name = (error as Error).name;
      if (name === 'InvalidArnException' && attempt < NEW_PRINCIPAL_ATTEMPTS) {
        const delay = NEW_PRINCIPAL_BASE_DELAY_MS * 2 ** (attempt - 1);
        console.log(`CreateGrant: InvalidArnException on attempt ${attempt}; a new principal may not be visible to KMS yet, retrying in ${delay} ms`);
        await sleep(delay);
        continue;
      }
      throw new Error(`KMS could not create the grant on ${props.keyArn} for ${props.granteePrincipal}: ${CREATE_GRANT_ERRORS[name] ?? 'see the KMS error'} (${name}: ${(error as Error).message})`);
    }
  }
}

const CREATE_GRANT_ERRORS: Record<string, string> = {
  AccessDeniedException: 'the handler role may not create this grant; the key policy must allow it kms:CreateGrant for exactly this grantee and these operations (KeyGrant adds that statement to keys of this library; other keys must delegate to IAM)',
  InvalidArnException: 'the grantee or retiring principal does not exist, or KMS does not see it yet',
  ValidationException: 'KMS rejected an operation or a constraint for this key type',
  DisabledException: 'the key is disabled',
  KMSInvalidStateException: 'the key is not in a state that allows grants (pending deletion or import)',
  LimitExceededException: 'the key has reached the KMS limit of grants per key and grantee',
  NotFoundException: 'the key does not exist',
};

async function revokeGrant(keyArn: string, grantId: string): Promise<CdkCustomResourceResponse> {
  try {
    await kms.send(new RevokeGrantCommand({ KeyId: keyArn, GrantId: grantId }));
    console.log(`Revoked grant ${grantId} on ${keyArn}`);
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'NotFoundException') {
      console.log(`Grant ${grantId} on ${keyArn} is already gone`);
    } else {
      throw new Error(`KMS could not revoke grant ${grantId} on ${keyArn} (${name}: ${(error as Error).message})`);
    }
  }
  return { PhysicalResourceId: grantId };
}
