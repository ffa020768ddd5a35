import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { claimsBridgeModuleFile, deployClaimsBridge, prepareClaimsBridge } from "../../../deploy/claimsBridge";
import ClaimsBridgeModule, { LocalClaimsBridgeModule } from "../../../deploy/modules/ClaimsBridge";
import { deployTge, parametersFileFor } from "../../../deploy/tge";
import { loadClaimsBridgeParameters, NO_CLOSE_TIME } from "../../../lib/claims/parameters";
import { InputFileError, PreconditionError } from "../../../lib/errors";
import { defaultSchedule, MAX_RATE } from "../../../lib/schedule";
import { ZERO_ADDRESS_PROBLEM } from "../../../lib/schema";
import { launchTimeline } from "../../../lib/timeline";
import { rejectionOf, thrownBy } from "../../helpers/errors";
import { chainState, networkFileWith, signerAddresses, unix, type RawNetworkFile } from "../../helpers/sections";

/** deploy/parameters/hardhat.json's claimsBridge.closeTime. */
const HARDHAT_CLOSE_TIME = "2027-05-22T00:00:00Z";
/** The index of the ecosystemFund account in hardhat.json: the bridge's owner and sweep recipient. */
const ECOSYSTEM_FUND = 1;

async function bridgeFixture() {
  const tge = await deployTge(hre);
  const deployment = await deployClaimsBridge(hre, { sesh: tge.seshAddress });
  return { tge, ...deployment };
}

function problemsOf(error: Error): readonly string[] {
  if (!(error instanceof InputFileError)) throw error;
  return error.problems;
}

describe("Claims bridge (deploy/modules/ClaimsBridge.ts, deploy/claimsBridge.ts)", function () {
  describe("deployed with the hardhat network's claimsBridge section", function () {
    it("pays the TGE's SESH and accepts the wrapped-OXEN test token it deployed first", async function () {
      const { bridge, tge, wrappedOxenMock, wrappedOxenAddress } = await loadFixture(bridgeFixture);
      expect(await bridge.sesh()).to.equal(tge.seshAddress);
      expect(wrappedOxenMock).to.not.equal(undefined);
      expect(await wrappedOxenMock?.getAddress()).to.equal(wrappedOxenAddress);
      expect(await bridge.wrappedOxen()).to.equal(wrappedOxenAddress);
      expect([await wrappedOxenMock?.symbol(), await wrappedOxenMock?.decimals()]).to.deep.equal(["wOXEN", 9n]);
    });

    it("has the launch schedule: 0.54 from the staking portal, decaying from TGE + 6 months to 0.378", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      const schedule = (await bridge.schedule()).map((point) => ({ timestamp: point.timestamp, rate: point.rate }));
      expect(schedule).to.deep.equal(defaultSchedule());
      expect(await bridge.openingTime()).to.equal(BigInt(launchTimeline().at("stakingPortalLive").unix));
    });

    it("is owned by the section's owner, sweeps to its recipient, and closes at its close time", async function () {
      const { bridge } = await loadFixture(bridgeFixture);
      const signers = await signerAddresses();
      expect(await bridge.owner()).to.equal(signers[ECOSYSTEM_FUND]);
      expect(await bridge.sweepRecipient()).to.equal(signers[ECOSYSTEM_FUND]);
      expect(await bridge.closeTime()).to.equal(unix(HARDHAT_CLOSE_TIME));
    });

    it("holds nothing, and is deployed by the local module (one wOXEN and one bridge)", async function () {
      const { bridge, tge, bridgeAddress } = await loadFixture(bridgeFixture);
      expect(await tge.sesh.balanceOf(bridgeAddress)).to.equal(0n);
      expect(await bridge.epochCount()).to.equal(0n);
      expect([...LocalClaimsBridgeModule.futures].map((future) => future.id)).to.deep.equal([
        "ClaimsBridge#OxenClaimsBridge",
      ]);
      expect([...LocalClaimsBridgeModule.submodules].map((module) => module.id)).to.deep.equal(["WrappedOxen"]);
      expect([...ClaimsBridgeModule.futures].map((future) => future.id)).to.deep.equal([
        "ClaimsBridge#OxenClaimsBridge",
      ]);
    });

    it("takes a network's wOXEN by address, and a schedule of breakpoints that never closes", async function () {
      const { tge, wrappedOxenAddress } = await loadFixture(bridgeFixture);
      const file = networkFileWith("bridge-address", (raw) => {
        raw.claimsBridge.wrappedOxen = wrappedOxenAddress;
        raw.claimsBridge.schedule = [
          { date: "2025-06-01T00:00:00Z", rate: "0.5" },
          { date: "2025-07-01T00:00:00Z", rate: "0.25" },
        ];
        raw.claimsBridge.closeTime = "never";
      });
      const prepared = await prepareClaimsBridge(hre, { parametersFile: file });
      expect(claimsBridgeModuleFile(prepared)).to.equal("deploy/modules/ClaimsBridge.ts");
      const { bridge, wrappedOxenMock } = await deployClaimsBridge(hre, {
        sesh: tge.seshAddress,
        parameters: prepared,
      });
      expect(wrappedOxenMock).to.equal(undefined);
      expect(await bridge.wrappedOxen()).to.equal(wrappedOxenAddress);
      expect(await bridge.closeTime()).to.equal(NO_CLOSE_TIME);
      expect((await bridge.schedule()).map((point) => point.rate)).to.deep.equal([500_000_000n, 250_000_000n]);
      expect(await bridge.conversionRateAt(unix("2025-06-16T00:00:00Z"))).to.equal(375_000_000n);
    });
  });

  describe("refuses, before any transaction", function () {
    it("a token that is not an address, the zero address, or no contract", async function () {
      const cases: [string, RegExp][] = [
        ["0x12345", /^sesh "0x12345" is not an address/],
        [ethers.ZeroAddress, /^sesh "0x0{40}" is the zero address/],
        ["0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", /has no contract on network hardhat: deploy the TGE first/],
      ];
      for (const [sesh, message] of cases) {
        const before = await chainState();
        const error = await rejectionOf(deployClaimsBridge(hre, { sesh }));
        expect(error, sesh).to.be.instanceOf(PreconditionError);
        expect(error.message).to.match(message);
        expect(await chainState()).to.deep.equal(before);
      }
    });

    it("a file written for another network", async function () {
      const file = networkFileWith("bridge-network", (raw) => {
        raw.network = "arbitrumSepolia";
      });
      const error = await rejectionOf(prepareClaimsBridge(hre, { parametersFile: file }));
      expect(problemsOf(error)).to.deep.equal([
        'network: the file is for network "arbitrumSepolia" but the deployment runs on "hardhat"',
      ]);
    });

    it("a file without the section", async function () {
      const file = networkFileWith("bridge-missing", (raw) => {
        delete (raw as Partial<RawNetworkFile>).claimsBridge;
      });
      const before = await chainState();
      const error = await rejectionOf(deployClaimsBridge(hre, { sesh: ethers.ZeroAddress, parametersFile: file }));
      expect(problemsOf(error)).to.deep.equal([
        'claimsBridge: the file has no "claimsBridge" section (see docs/deployment.md)',
      ]);
      expect(await chainState()).to.deep.equal(before);
    });
  });

  describe("with a bad claimsBridge section", function () {
    const cases: { title: string; mutate: (raw: RawNetworkFile) => void; problems: string[] }[] = [
      {
        title: "the owner names an undefined account",
        mutate: (raw) => {
          raw.claimsBridge.owner = { account: "foundation" };
        },
        problems: ['claimsBridge.owner: account "foundation" is not defined in "accounts"'],
      },
      {
        title: "the sweep recipient is the zero address",
        mutate: (raw) => {
          raw.claimsBridge.sweepRecipient = { address: ethers.ZeroAddress };
        },
        problems: [`claimsBridge.sweepRecipient.address: ${ZERO_ADDRESS_PROBLEM}`],
      },
      {
        title: "the owner's account is a local index the network does not have",
        mutate: (raw) => {
          raw.accounts.ecosystemFund = 99;
        },
        problems: [
          'claimsBridge.owner: account "ecosystemFund" (accounts.ecosystemFund) is local account index 99, which this network does not have (it has 20 accounts)',
          'claimsBridge.sweepRecipient: account "ecosystemFund" (accounts.ecosystemFund) is local account index 99, which this network does not have (it has 20 accounts)',
        ],
      },
      {
        title: "wOXEN is not an address",
        mutate: (raw) => {
          raw.claimsBridge.wrappedOxen = "wOXEN";
        },
        problems: [
          'claimsBridge.wrappedOxen: "wOXEN" is not an address (expected 0x and 40 hex digits, with a correct checksum if mixed-case), or "mock" on a local chain',
        ],
      },
      {
        title: "the schedule is neither the launch's nor a list",
        mutate: (raw) => {
          raw.claimsBridge.schedule = "lunch";
        },
        problems: [
          'claimsBridge.schedule: "lunch" is neither "launch" (the launch schedule) nor a list of { "date", "rate" } breakpoints',
        ],
      },
      {
        title: "a breakpoint's rate is not a number and another's date is not a date",
        mutate: (raw) => {
          raw.claimsBridge.schedule = [
            { date: "2025-06-01", rate: "0.54" },
            { date: "2025-07-01T00:00:00Z", rate: "half" },
          ];
        },
        problems: [
          "claimsBridge.schedule[0].date: must be an ISO-8601 UTC date such as 2025-05-21T00:00:00Z",
          'claimsBridge.schedule[1].rate: "half" is not a decimal number of SESH per OXEN (write it like "63177550" or "0.5")',
        ],
      },
      {
        title: "the breakpoints are out of order, one rate above the contract's maximum",
        mutate: (raw) => {
          raw.claimsBridge.schedule = [
            { date: "2025-07-01T00:00:00Z", rate: "0.54" },
            { date: "2025-06-01T00:00:00Z", rate: "11" },
          ];
        },
        problems: [
          `claimsBridge.schedule: breakpoint 1: rate 11000000000 is outside (0, ${MAX_RATE}]`,
          `claimsBridge.schedule: breakpoint 1: timestamp ${unix("2025-06-01T00:00:00Z")} comes before the previous one (${unix("2025-07-01T00:00:00Z")})`,
        ],
      },
      {
        title: "claims close before they open, which is also before the chain's time",
        mutate: (raw) => {
          raw.claimsBridge.closeTime = "2024-01-01T00:00:00Z";
        },
        problems: [
          "claimsBridge.closeTime: 2024-01-01T00:00:00Z is not after the schedule's opening 2025-05-22T00:00:00Z",
          "claimsBridge.closeTime: 2024-01-01T00:00:00Z is not after the chain's time 2024-06-01T",
        ],
      },
      {
        title: "the close time is not a date",
        mutate: (raw) => {
          raw.claimsBridge.closeTime = "next year";
        },
        problems: [
          'claimsBridge.closeTime: "next year" must be an ISO-8601 UTC date such as 2025-05-21T00:00:00Z, or "never"',
        ],
      },
      {
        title: "a field is unknown",
        mutate: (raw) => {
          raw.claimsBridge.closingTime = "never";
        },
        problems: ['claimsBridge: Unrecognized key: "closingTime"'],
      },
    ];

    for (const { title, mutate, problems } of cases) {
      it(`when ${title}: names the field and the value, and sends nothing`, async function () {
        const file = networkFileWith(`bridge-${title}`, mutate);
        const before = await chainState();
        const error = await rejectionOf(deployClaimsBridge(hre, { sesh: ethers.ZeroAddress, parametersFile: file }));
        const found = problemsOf(error);
        expect(found, found.join("\n")).to.have.length(problems.length);
        problems.forEach((problem, index) => expect(found[index]).to.include(problem));
        expect(error.message).to.include(file);
        expect(await chainState()).to.deep.equal(before);
      });
    }
  });

  describe("the live networks' sections", function () {
    for (const network of ["arbitrumSepolia", "arbitrumOne"]) {
      it(`${network}.json is not ready: its accounts, wOXEN and close time are not known yet`, function () {
        const error = thrownBy(() => loadClaimsBridgeParameters(parametersFileFor(network), []));
        expect(problemsOf(error)).to.deep.equal([
          'claimsBridge.owner: account "ecosystemFund" has no address yet: set accounts.ecosystemFund to its address',
          'claimsBridge.sweepRecipient: account "ecosystemFund" has no address yet: set accounts.ecosystemFund to its address',
          "claimsBridge.wrappedOxen: the wOXEN address of this network is not known yet: set it before deploying",
          'claimsBridge.closeTime: not decided yet: write the date claims close, or "never"',
        ]);
      });
    }

    it("refuses the wrapped-OXEN test token on a live network", function () {
      const file = networkFileWith(
        "bridge-live-mock",
        (raw) => {
          raw.accounts.ecosystemFund = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
          raw.claimsBridge.wrappedOxen = "mock";
          raw.claimsBridge.closeTime = "never";
        },
        "arbitrumOne",
      );
      const error = thrownBy(() => loadClaimsBridgeParameters(file, []));
      expect(problemsOf(error)).to.deep.equal([
        'claimsBridge.wrappedOxen: "mock" deploys a test token, only on the local chains (hardhat.json); the file is for network "arbitrumOne": write the address of its wOXEN',
      ]);
    });
  });
});
