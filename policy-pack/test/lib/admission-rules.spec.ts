import * as assert from "assert";
import { workspaceAdmissionRules } from "../../contract";
import { admissionRuleFailures, AdmissionRuleSettings } from "../../lib/admission-rules";
import { Props } from "../../lib/policy";

const SETTINGS: AdmissionRuleSettings = {
  approvedRegistries: ["123456789012.dkr.ecr.eu-west-1.amazonaws.com"],
  allowedCapabilities: ["NET_BIND_SERVICE"],
  allowedSecrets: ["workspace-ca"],
  maxVolumeSize: "10Gi",
};

/** The policy spec a component writes for a rule: exactly the blueprint's canonical rule. */
function compliantSpec(name: string, settings: AdmissionRuleSettings = SETTINGS): Props {
  const rule = workspaceAdmissionRules({
    approvedRegistries: settings.approvedRegistries ?? [],
    allowedCapabilities: settings.allowedCapabilities ?? [],
    allowedSecrets: settings.allowedSecrets ?? [],
    maxVolumeSize: settings.maxVolumeSize ?? "10Gi",
  })[name];
  return JSON.parse(
    JSON.stringify({
      matchConstraints: { resourceRules: rule.resourceRules },
      variables: rule.variables,
      validations: rule.validations.map(({ expression }) => ({ expression })),
    }),
  ) as Props;
}

const PODS = "coder-workspace-pods";
const VOLUMES = "coder-workspace-volume-size";
const STORAGE = "coder-workspace-ephemeral-storage";

function withVariable(spec: Props, name: string, expression: unknown): Props {
  spec.variables = (spec.variables as Props[]).map((v) => (v.name === name ? { name, expression } : v));
  return spec;
}

function withValidation(spec: Props, change: (expression: string) => string): Props {
  spec.validations = (spec.validations as Props[]).map((v, i) => (i === 0 ? { expression: change(v.expression) } : v));
  return spec;
}

const VOLUME_MISSING = 'the validation "workspace volumes may request at most a literal size" is missing or changed';

describe("lib/admission-rules admissionRuleFailures", () => {
  for (const name of [PODS, VOLUMES, STORAGE]) {
    it(`passes the blueprint's own ${name}`, () => {
      assert.deepStrictEqual(admissionRuleFailures(name, compliantSpec(name), SETTINGS), []);
    });
  }

  it("judges nothing about a policy that is not one of the blueprint's rules", () => {
    assert.deepStrictEqual(admissionRuleFailures("someone-elses-policy", {}, SETTINGS), []);
    for (const inherited of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      assert.deepStrictEqual(admissionRuleFailures(inherited, {}, SETTINGS), [], inherited);
    }
  });

  it("reads whitespace in expressions as CEL does: line breaks, runs of spaces and padding change nothing", () => {
    const spec = withValidation(compliantSpec(STORAGE), (e) => `\n  ${e.replace(" && ", "\n    &&  ")}  \n`);
    assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), []);
  });

  it("fails a validation whose tokens were run together", () => {
    const spec = withValidation(compliantSpec(STORAGE), (e) => e.replace(/ && /g, "&&"));
    assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), [
      'the validation "every container needs an ephemeral-storage limit (set one, or rely on the namespace ' +
        'LimitRange)" is missing or changed',
    ]);
  });

  it("skips null entries in variables and validations", () => {
    const spec = compliantSpec(PODS);
    spec.variables = [null, ...(spec.variables as Props[])];
    spec.validations = [null, ...(spec.validations as Props[])];
    assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), []);
  });

  describe("resource rules", () => {
    it("fails a policy without matchConstraints", () => {
      const spec = compliantSpec(STORAGE);
      delete spec.matchConstraints;
      assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), [
        "matchConstraints.resourceRules do not cover CREATE of pods",
      ]);
    });

    for (const field of ["apiGroups", "apiVersions", "operations", "resources"]) {
      it(`fails a rule whose ${field} miss the blueprint's`, () => {
        const spec = compliantSpec(STORAGE);
        spec.matchConstraints.resourceRules[0][field] = ["other"];
        assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), [
          "matchConstraints.resourceRules do not cover CREATE of pods",
        ]);
      });

      it(`passes a rule whose ${field} is "*"`, () => {
        const spec = compliantSpec(STORAGE);
        spec.matchConstraints.resourceRules[0][field] = ["*"];
        assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), []);
      });
    }

    it("names every resource of a rule left uncovered", () => {
      const spec = compliantSpec(PODS);
      spec.matchConstraints.resourceRules = (spec.matchConstraints.resourceRules as Props[]).slice(1);
      assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), [
        "matchConstraints.resourceRules do not cover CREATE/UPDATE of pods, pods/ephemeralcontainers",
      ]);
    });

    it("fails excludeResourceRules, and passes an empty list of them", () => {
      const spec = compliantSpec(STORAGE);
      spec.matchConstraints.excludeResourceRules = [];
      assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), []);
      spec.matchConstraints.excludeResourceRules = [{ apiGroups: [""], resources: ["pods"] }];
      assert.deepStrictEqual(admissionRuleFailures(STORAGE, spec, SETTINGS), [
        "matchConstraints.excludeResourceRules exempt objects from it",
      ]);
    });
  });

  describe("variables", () => {
    it("fails a missing variable", () => {
      const spec = compliantSpec(PODS);
      spec.variables = (spec.variables as Props[]).filter((v) => v.name !== "podSpec");
      assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), ["variable podSpec is missing"]);
    });

    it("fails a missing list variable", () => {
      const spec = compliantSpec(PODS);
      spec.variables = (spec.variables as Props[]).filter((v) => v.name !== "allowedSecrets");
      assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), ["variable allowedSecrets is missing"]);
    });

    it("fails a changed variable", () => {
      const spec = withVariable(compliantSpec(PODS), "podSpec", "object.spec");
      const [failure, ...rest] = admissionRuleFailures(PODS, spec, SETTINGS);
      assert.deepStrictEqual(rest, []);
      assert.match(failure, /^variable podSpec is not the blueprint's \(.+\)$/);
    });

    for (const [form, expression] of [
      ["a CEL expression", "params.capabilities"],
      ["a list holding a number", "[1]"],
      ["a list holding a string and a number", '["NET_BIND_SERVICE", 1]'],
    ]) {
      it(`fails a list variable that is ${form}`, () => {
        const spec = withVariable(compliantSpec(PODS), "allowedCapabilities", expression);
        assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), [
          "variable allowedCapabilities is not a list of strings",
        ]);
      });
    }

    it("fails a capability or Secret the settings do not allow", () => {
      const spec = withVariable(compliantSpec(PODS), "allowedCapabilities", '["NET_BIND_SERVICE", "SYS_ADMIN"]');
      withVariable(spec, "allowedSecrets", '["workspace-ca", "coder-db-url"]');
      assert.deepStrictEqual(admissionRuleFailures(PODS, spec, SETTINGS), [
        'variable allowedCapabilities: capability "SYS_ADMIN" is not allowed',
        'variable allowedSecrets: Secret "coder-db-url" is not allowed',
      ]);
    });

    it("fails every capability and Secret when the settings allow none", () => {
      const settings: AdmissionRuleSettings = { approvedRegistries: SETTINGS.approvedRegistries };
      const spec = withVariable(compliantSpec(PODS), "allowedCapabilities", '["NET_BIND_SERVICE"]');
      withVariable(spec, "allowedSecrets", '["workspace-ca"]');
      assert.deepStrictEqual(admissionRuleFailures(PODS, spec, settings), [
        'variable allowedCapabilities: capability "NET_BIND_SERVICE" is not allowed',
        'variable allowedSecrets: Secret "workspace-ca" is not allowed',
      ]);
    });

    it("passes empty lists when the settings allow none", () => {
      const settings: AdmissionRuleSettings = { approvedRegistries: SETTINGS.approvedRegistries };
      assert.deepStrictEqual(admissionRuleFailures(PODS, compliantSpec(PODS, settings), settings), []);
    });

    describe("image patterns without the stack's registries", () => {
      const settings: AdmissionRuleSettings = { ...SETTINGS, approvedRegistries: [] };

      it("passes an anchored pattern for one registry", () => {
        const spec = withVariable(compliantSpec(PODS), "imagePatterns", '["^registry\\\\.example\\\\.com/"]');
        assert.deepStrictEqual(admissionRuleFailures(PODS, spec, settings), []);
      });

      // Anchored, yet any host fits: each admits a made-up registry's image.
      for (const pattern of ["^.+", "^[^/]+/", "^[a-z]", "^\\w+\\.\\w+/"]) {
        it(`fails ${JSON.stringify(pattern)}, which admits an image of any registry`, () => {
          const spec = withVariable(compliantSpec(PODS), "imagePatterns", JSON.stringify([pattern]));
          assert.deepStrictEqual(admissionRuleFailures(PODS, spec, settings), [
            `variable imagePatterns: image pattern "${pattern}" admits images from any registry`,
          ]);
        });
      }

      for (const pattern of ["^(", "^[a-"]) {
        it(`fails ${JSON.stringify(pattern)}, which is no regular expression, as admitting any registry`, () => {
          const spec = withVariable(compliantSpec(PODS), "imagePatterns", JSON.stringify([pattern]));
          assert.deepStrictEqual(admissionRuleFailures(PODS, spec, settings), [
            `variable imagePatterns: image pattern "${pattern}" admits images from any registry`,
          ]);
        });
      }
    });
  });

  describe("the volume size when the settings name none", () => {
    const settings: AdmissionRuleSettings = { ...SETTINGS, maxVolumeSize: undefined };
    const sized = (size: string) => withValidation(compliantSpec(VOLUMES), (e) => e.replace('"10Gi"', size));

    for (const size of ['"10Gi"', '"500Mi"', '"1Ti"']) {
      it(`passes the blueprint's validation with the size ${size}`, () => {
        assert.deepStrictEqual(admissionRuleFailures(VOLUMES, sized(size), settings), []);
      });
    }

    for (const [form, size] of [
      ["a field instead of a figure", "object.metadata.name"],
      ["an empty string", '""'],
      ["text before the figure", 'object.metadata.name + "Gi"'],
      ["text after the figure", '"10" + "Gi"'],
      ["an expression after the figure", '"10Gi") || true || quantity("1Gi"'],
    ]) {
      it(`fails ${form} in place of the size`, () => {
        assert.deepStrictEqual(admissionRuleFailures(VOLUMES, sized(size), settings), [VOLUME_MISSING]);
      });
    }

    it("fails a changed start of the expression, even one of the same length", () => {
      const spec = withValidation(sized('"10Gi"'), (e) =>
        e.replace("has(object.spec.resources)", "has(object.spec.resourcez)"),
      );
      assert.deepStrictEqual(admissionRuleFailures(VOLUMES, spec, settings), [VOLUME_MISSING]);
    });

    it("fails a changed end of the expression, even one of the same length", () => {
      const spec = withValidation(sized('"10Gi"'), (e) => e.replace(/<= 0$/, ">= 0"));
      assert.deepStrictEqual(admissionRuleFailures(VOLUMES, spec, settings), [VOLUME_MISSING]);
    });
  });
});
