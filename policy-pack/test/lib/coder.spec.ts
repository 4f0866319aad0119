import * as assert from "assert";
import {
  CODER_DEFAULT_IMAGE_REPO,
  coderdImage,
  envOf,
  externalAuthProviders,
  isCoderChart,
  providerField,
  providerLabel,
  providerType,
} from "../../lib/coder";
import { Props } from "../../lib/policy";
import { PreviewGaps } from "../../lib/unknowns";

describe("lib/coder isCoderChart", () => {
  for (const chart of [
    "coder",
    " coder-v2/coder ",
    "./charts/coder//",
    "oci://ghcr.io/coder/chart/coder:2.36.3",
    "oci://registry.internal:5000/charts/coder:2.36.3",
    "oci://registry.internal:5000/charts/coder@sha256:0123abcd",
    "https://github.com/coder/coder/releases/download/v2.36.3/coder_helm_2.36.3.tgz?raw=1",
    // The query dropped is the one that runs to the end, past a "?" on an earlier line.
    "charts/x?\n/coder?ref=main",
    // Each part of the version may run to several digits, and the build part to several characters.
    "/opt/charts/coder-10.0.0.tgz",
    "coder_helm_2.36.13.tgz",
    "coder-2.37.0-rc.1+build.20261201.tgz",
  ]) {
    it(`reads ${JSON.stringify(chart)} as Coder's chart`, () => assert.strictEqual(isCoderChart(chart), true));
  }

  for (const chart of [
    undefined,
    42,
    "coder-provisioner",
    // Only an OCI reference carries a tag; a local directory named so is another chart.
    "./charts/coder:2.36.3",
    "./oci://mirror/coder:2.36.3",
    // A digest must be the reference's end; what follows it is no tag to drop.
    "oci://ghcr.io/coder/chart/coder@sha256:0123abcd:1",
    // A packaged archive is named after its chart from the first character to ".tgz" at the end.
    "/opt/charts/my-coder-2.36.3.tgz",
    "/opt/charts/coder-2.36.3.tgz.prov",
  ]) {
    it(`does not read ${JSON.stringify(chart)} as Coder's chart`, () => assert.strictEqual(isCoderChart(chart), false));
  }
});

describe("lib/coder envOf and providers", () => {
  const coder = (): Props => ({
    env: [
      null,
      { value: "no name" },
      { name: "CODER_EXTERNAL_AUTH_0_ID", value: "GitHub" },
      { name: "CODER_EXTERNAL_AUTH_0_CLIENT_ID", value: "abc" },
      { name: "CODER_EXTERNAL_AUTH_1_TYPE", value: 7 },
    ],
  });

  it("skips entries that are null or have no name", () => {
    assert.deepStrictEqual(
      [...envOf(coder(), new PreviewGaps()).keys()],
      ["CODER_EXTERNAL_AUTH_0_ID", "CODER_EXTERNAL_AUTH_0_CLIENT_ID", "CODER_EXTERNAL_AUTH_1_TYPE"],
    );
  });

  it("reads only string fields, types a provider without TYPE or ID as empty, and labels it by key", () => {
    const [github, other] = externalAuthProviders(envOf(coder(), new PreviewGaps()));
    assert.strictEqual(providerType(github), "github");
    assert.strictEqual(providerLabel(github), 'Git provider "GitHub" (CODER_EXTERNAL_AUTH_0)');
    assert.strictEqual(providerField(other, "TYPE"), undefined);
    assert.strictEqual(providerType(other), "");
    assert.strictEqual(providerLabel(other), "Git provider CODER_EXTERNAL_AUTH_1");
  });
});

describe("lib/coder externalAuthProviders", () => {
  it("reads a provider's fields only from variables named as coderd reads them, whatever the index's length", () => {
    const providers = externalAuthProviders(
      envOf(
        {
          env: [
            { name: "CODER_EXTERNAL_AUTH_0_ID", value: "github" },
            // Another program's variable, and a field coderd does not know: neither adds to provider 0.
            { name: "X_CODER_EXTERNAL_AUTH_0_TYPE", value: "gitlab" },
            { name: "CODER_EXTERNAL_AUTH_0_ID2", value: "gitlab" },
            { name: "CODER_EXTERNAL_AUTH_12_ID", value: "gitea" },
          ],
        },
        new PreviewGaps(),
      ),
    );
    assert.deepStrictEqual(
      providers.map((p) => [p.key, [...p.vars.keys()], providerField(p, "ID")]),
      [
        ["CODER_EXTERNAL_AUTH_0", ["ID"], "github"],
        ["CODER_EXTERNAL_AUTH_12", ["ID"], "gitea"],
      ],
    );
  });
});

describe("lib/coder coderdImage", () => {
  it("is the values' repo and tag, trimmed", () => {
    assert.deepStrictEqual(coderdImage({ image: { repo: " registry.example.com/coder ", tag: "v2.36.3" } }), {
      image: "registry.example.com/coder:v2.36.3",
      defaulted: false,
    });
  });

  it("falls back to the chart's repository when the repo is blank", () => {
    assert.deepStrictEqual(coderdImage({ image: { repo: "  " } }), {
      image: CODER_DEFAULT_IMAGE_REPO,
      defaulted: true,
    });
  });

  it("shows no tag when it is empty or not a string", () => {
    for (const tag of ["", 2]) {
      assert.deepStrictEqual(coderdImage({ image: { repo: "registry.example.com/coder", tag } }), {
        image: "registry.example.com/coder",
        defaulted: false,
      });
    }
  });
});
