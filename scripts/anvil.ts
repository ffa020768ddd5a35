// `npm run anvil [-- --port P] [--host H]`: anvil, Foundry's node, serving the local Arbitrum-like chain in the
// foreground, with the flags of lib/chain/anvil.ts. It listens where `--network anvil` looks (ANVIL_RPC_URL's port,
// else 8546) unless --port says otherwise. Ctrl-C or SIGTERM stops it: the signal is passed on to anvil, and this
// process exits once anvil has, with its status. .ci/run starts it like this in the background.
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { parseArgs } from "node:util";

import {
  ANVIL_HOST,
  ANVIL_RPC_URL_VARIABLE,
  anvilArguments,
  anvilBinary,
  anvilPort,
  parsePort,
} from "../lib/chain/anvil";

function main(): void {
  const { values } = parseArgs({
    options: { port: { type: "string" }, host: { type: "string" } },
    strict: true,
    allowPositionals: false,
  });
  const port = values.port === undefined ? anvilPort(process.env) : parsePort(values.port, "--port");
  const host = values.host ?? ANVIL_HOST;
  const binary = anvilBinary();
  console.log(
    `anvil: the local Arbitrum-like chain on http://${host}:${port}; rehearse with ` +
      `${ANVIL_RPC_URL_VARIABLE}=http://${host}:${port} npx hardhat rehearse --network anvil`,
  );
  const child = spawn(binary, anvilArguments({ port, host }), { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      child.kill(signal);
    });
  }
  child.on("error", (error) => {
    console.error(`anvil could not be started (${binary}): ${error.message}`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    process.exit(code ?? (signal === null ? 1 : 128 + constants.signals[signal]));
  });
}

try {
  main();
} catch (error) {
  console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
