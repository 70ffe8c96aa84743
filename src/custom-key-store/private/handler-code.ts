import * as path from 'path';
import { aws_lambda as lambda } from 'aws-cdk-lib';
import { handlerCode as folderCode } from '../../shared/handler-code';

/** The handler sources, next to this folder: `.js` in the published lib/, `.ts` in src/. */
export const HANDLER_DIR = path.join(__dirname, '..', 'handler');

/** The Lambda code of the custom key store handlers (see the shared `handlerCode`). */
export function handlerCode(): lambda.Code {
  return folderCode(HANDLER_DIR, 'key-store');
}
