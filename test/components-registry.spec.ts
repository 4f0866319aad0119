// The registry pull credentials under the engine's mocks: one pull-only Secret per namespace for a
// docker-config account, and nothing stored in the cluster for the node role or anonymous pulls.
import "./harness/mocks";
import * as assert from "assert";
import { PullCredentials, RegistryAccess } from "../components/registry";
import { PULL_ACCOUNT_ANNOTATION, PULL_SECRET } from "../policy-pack/contract";
import { publishedBy } from "./harness/component-outputs";
import { capture } from "./harness/mocks";
import { ofType } from "./harness/resources";
import { isSecret, reveal } from "./harness/secrets";

const NAMESPACES = [
  { name: "coder", ref: "coder" },
  { name: "coder-ws", ref: "coder-ws" },
];
const CONFIG_JSON = '{"auths":{"registry.example.com":{"auth":"Y29kZXItcHVsbDp0b2tlbg=="}}}';
const DOCKER_CONFIG: PullCredentials = { mode: "docker-config", account: "coder-pull", dockerConfigJson: CONFIG_JSON };

async function registry(pull: PullCredentials) {
  let pullSecretName: string | undefined;
  const resources = await capture(() => {
    const access = new RegistryAccess("registry", { namespaces: NAMESPACES, pull });
    pullSecretName = access.pullSecretName;
    return {};
  });
  return { secrets: ofType(resources, "kubernetes:core/v1:Secret"), pullSecretName };
}

describe("components/registry: RegistryAccess", () => {
  it("stores one pull Secret per namespace for a docker-config account, its config a Pulumi secret", async () => {
    const { secrets, pullSecretName } = await registry(DOCKER_CONFIG);
    assert.equal(pullSecretName, PULL_SECRET);
    assert.deepStrictEqual(await publishedBy("coder-blueprint:registry:RegistryAccess"), ["pullSecretName"]);
    assert.deepStrictEqual(
      secrets.map((s) => s.name),
      ["registry-coder-pull", "registry-coder-ws-pull"],
    );
    for (const [i, secret] of secrets.entries()) {
      assert.deepStrictEqual(secret.inputs.metadata, {
        name: PULL_SECRET,
        namespace: NAMESPACES[i].ref,
        annotations: { [PULL_ACCOUNT_ANNOTATION]: "coder-pull" },
      });
      assert.equal(secret.inputs.type, "kubernetes.io/dockerconfigjson");
      // Under the component, so it takes the component's provider (the stack's cluster).
      assert.equal(
        secret.parent,
        "urn:pulumi:test::coder-blueprint::coder-blueprint:registry:RegistryAccess::registry",
      );
      assert.ok(isSecret(secret.inputs.stringData), "the docker config must reach the engine as a secret");
      assert.deepStrictEqual(reveal(secret.inputs.stringData), { ".dockerconfigjson": CONFIG_JSON });
    }
  });

  for (const pull of [{ mode: "node-role" }, { mode: "anonymous" }] as PullCredentials[]) {
    it(`stores no credentials and names no pull Secret for ${pull.mode} pulls`, async () => {
      const { secrets, pullSecretName } = await registry(pull);
      assert.deepStrictEqual(secrets, []);
      assert.equal(pullSecretName, undefined);
    });
  }
});
