import { addedCapabilities } from "../policies/kubernetes/added-capabilities";
import { expectPass, expectViolation } from "./expect";
import { compliantDeployment, mainContainer } from "./fixtures/kubernetes";
import { mutate } from "./fixtures/resources";

const WHO = 'Deployment "coder-workspaces/coder-workspace" container "dev"';
const adding = (...caps: string[]) =>
  mutate(compliantDeployment(), (p) => (mainContainer(p).securityContext.capabilities.add = caps));

describe("added-capabilities", () => {
  it("passes containers that only drop capabilities", async () => {
    await expectPass(addedCapabilities, compliantDeployment());
  });

  it("fails any added capability when the allowlist is empty (the default)", async () => {
    await expectViolation(
      addedCapabilities,
      adding("NET_BIND_SERVICE"),
      WHO,
      /adds capabilities NET_BIND_SERVICE, which are not in the approved list \(none\); remove them from securityContext\.capabilities\.add/,
    );
  });

  it("fails SYS_ADMIN even when another capability is approved", async () => {
    const config = { config: { "added-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } } };
    await expectViolation(
      addedCapabilities,
      adding("NET_BIND_SERVICE", "SYS_ADMIN"),
      WHO,
      /adds capabilities SYS_ADMIN, which are not in the approved list \(NET_BIND_SERVICE\)/,
      config,
    );
  });

  it("accepts an approved capability in any spelling", async () => {
    await expectPass(addedCapabilities, adding("cap_net_bind_service"), {
      config: { "added-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } },
    });
  });
});
