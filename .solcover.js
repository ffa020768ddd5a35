// solidity-coverage: measure the deployables, not the test doubles. The tests of the chain's own configuration
// (test/chain: gas limit, code size) are left out of coverage runs, which lift those limits for instrumented code.
module.exports = {
  skipFiles: ["test/"],
};
