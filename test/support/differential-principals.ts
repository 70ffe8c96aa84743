/** The accounts, keys and principals both differential tests (test/access/differential*.test.ts) draw from. */
export const KEY_ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const KEY_ARN = `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
export const OTHER_KEY_ARN = `arn:aws:kms:us-east-1:${KEY_ACCOUNT}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;
/** Two roles and a user of the key's account, and a role of another account. */
export const ROLES = [
  `arn:aws:iam::${KEY_ACCOUNT}:role/Admin`,
  `arn:aws:iam::${KEY_ACCOUNT}:role/App`,
  `arn:aws:iam::${KEY_ACCOUNT}:user/Operator`,
  `arn:aws:iam::${OTHER_ACCOUNT}:role/Partner`,
];
export const SERVICES = ['logs.amazonaws.com', 's3.amazonaws.com'];
