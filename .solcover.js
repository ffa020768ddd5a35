// solidity-coverage: measure the deployables, not the test doubles. The tests of the chain's own configuration
// (test/chain: gas limit, code size) are left out of coverage runs, which lift those limits for instrumented code.
// Coverage compiles without the optimizer; the Yul optimizer stays on so that the curve maths' assembly
// (contracts/libraries, inline assembly that coverage does not instrument anyway) compiles without stack-too-deep.
module.exports = {
  skipFiles: ["test/", "libraries/"],
  configureYulOptimizer: true,
};
