import { HardhatPluginError } from "hardhat/plugins";

import { InputFileError, PreconditionError } from "../lib/errors";

export const PLUGIN_NAME = "session-launch";

/**
 * Runs a task body and turns the errors a person can act on (bad input files, refused preconditions) into a
 * Hardhat plugin error: Hardhat prints its message without a stack trace and exits with status 1.
 */
export async function withReadableErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof InputFileError || error instanceof PreconditionError) {
      throw new HardhatPluginError(PLUGIN_NAME, error.message, error);
    }
    throw error;
  }
}
