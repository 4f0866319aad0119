// coderd's own TLS listener accepts TLS 1.2 and later with secure ciphers unless told otherwise:
// CODER_TLS_MIN_VERSION tls10/tls11 re-admits protocol versions with known weaknesses (deprecated by
// RFC 8996), and CODER_TLS_ALLOW_INSECURE_CIPHERS re-admits the ciphers Go marks insecure. Any spelling
// coderd reads as true counts, as a `coder.commandArgs` flag or in the environment (the flag wins, as in
// coderd); a value from a Secret or ConfigMap cannot be verified.
import { validateCoderChart } from "../../lib/coder";
import { switchNotOff, settingText, settingValue, visibleSetting } from "../../lib/coder-settings";
import { definePolicy } from "../../lib/metadata";

const MIN_VERSION = "CODER_TLS_MIN_VERSION";
const INSECURE_CIPHERS = "CODER_TLS_ALLOW_INSECURE_CIPHERS";
/** The values Coder accepts that keep TLS 1.2 as the floor. */
const STRONG = ["tls12", "tls13"];

export const coderReleaseWeakTls = definePolicy(
  {
    responsibilities: ["tls-coderd"],
    severity: "high",
    forbids: "`CODER_TLS_MIN_VERSION` below tls12, or `CODER_TLS_ALLOW_INSECURE_CIPHERS` read as true",
    references: { other: ["Coder CODER_TLS_MIN_VERSION, CODER_TLS_ALLOW_INSECURE_CIPHERS", "RFC 8996"] },
  },
  {
    name: "coder-release-weak-tls",
    description: `The Coder release must keep ${MIN_VERSION} at tls12 or tls13 and must not allow insecure ciphers.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      `Remove ${MIN_VERSION} (Coder's default is tls12) or set it to "tls12" or "tls13"; ` +
      `remove ${INSECURE_CIPHERS}.`,
    validateResource: validateCoderChart(({ coder, subject, gaps, report }) => {
      gaps.judge(() => {
        const setting = visibleSetting(coder, MIN_VERSION, gaps);
        if (!setting) return;
        const value = settingValue(setting);
        if (typeof value === "string" && STRONG.includes(value)) return;
        const actual = settingText(setting);
        const flag = setting.flag;
        const fix = flag
          ? `remove the flag ${flag} from values.coder.commandArgs or give it "tls12" or "tls13"`
          : `remove ${MIN_VERSION} or set it to "tls12" or "tls13" in values.coder.env`;
        report(
          `${subject}: ${MIN_VERSION} is ${actual}, which lets clients connect to coderd with TLS versions older ` +
            `than 1.2; ${fix}.`,
        );
      });
      gaps.judge(() => {
        const actual = switchNotOff(coder, INSECURE_CIPHERS, gaps);
        if (actual === undefined) return;
        report(
          `${subject}: ${INSECURE_CIPHERS} is ${actual.shown}, which lets coderd negotiate ciphers Go marks ` +
            `insecure; ${actual.fix}.`,
        );
      });
    }),
  },
);
