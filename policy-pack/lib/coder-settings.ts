// A coderd setting as coderd itself resolves it. Coder reads each option from a command-line flag first,
// then from its environment variable (serpent: flag over env over config file), and parses booleans with
// Go's strconv.ParseBool. In the chart, flags reach coderd through values.coder.commandArgs, variables
// through values.coder.env (literal or valueFrom) and values.coder.envFrom (whole Secrets or ConfigMaps,
// which env entries override).
import { Props } from "./policy";
import { envOf } from "./coder";
import { parseCoderBool } from "./coder-bool";
import { PreviewGaps } from "./unknowns";

const ENV = "values.coder.env";
const FLAG = "coder.commandArgs flag ";

export interface CoderSetting {
  /** Where coderd reads it: `coder.commandArgs flag --x`, `values.coder.env`, `values.coder.envFrom`. */
  source: string;
  /** The literal text, when the values hold it. */
  value?: unknown;
  /** Read from a Secret or ConfigMap, whose content the pack cannot see. */
  opaque: boolean;
  /** The coder.commandArgs flag it came from ("--x"), when it came from one. */
  flag?: string;
}

/** "CODER_DISABLE_PASSWORD_AUTH" -> "--disable-password-auth". */
export const flagOf = (variable: string): string =>
  `--${variable
    .replace(/^CODER_/, "")
    .toLowerCase()
    .replace(/_/g, "-")}`;

/**
 * The setting as coderd resolves it, or undefined when nothing sets it. `boolean` says the option is a
 * boolean flag, which `--flag` alone turns on.
 */
export function coderSetting(
  coder: Props,
  variable: string,
  gaps: PreviewGaps,
  boolean = false,
): CoderSetting | undefined {
  const flag = flagOf(variable);
  const args: unknown = coder.commandArgs;
  if (Array.isArray(args)) {
    let found: CoderSetting | undefined;
    for (const [i, arg] of (args as unknown[]).entries()) {
      if (typeof arg !== "string") continue;
      if (arg === flag)
        found = {
          source: `${FLAG}${flag}`,
          value: boolean ? "true" : (args[i + 1] as unknown),
          opaque: false,
          flag,
        };
      else if (arg.startsWith(`${flag}=`))
        found = { source: `${FLAG}${flag}`, value: arg.slice(flag.length + 1), opaque: false, flag };
    }
    if (found) return found;
  }
  const entry = envOf(coder, gaps).get(variable);
  if (entry)
    return entry.hasValue
      ? { source: ENV, value: entry.entry.value, opaque: false }
      : { source: "values.coder.env (valueFrom)", opaque: true };
  const envFrom: unknown = coder.envFrom;
  if (Array.isArray(envFrom) && envFrom.length > 0) return { source: "values.coder.envFrom", opaque: true };
  return undefined;
}

/** How a setting is shown in messages: `"t"`, `"0" (coder.commandArgs flag --x)`, or why it is unseen. */
export function settingText(setting: CoderSetting): string {
  if (setting.opaque) {
    const through = setting.source === "values.coder.envFrom" ? " through values.coder.envFrom" : "";
    return `read from a Secret or ConfigMap${through}, which this policy cannot verify`;
  }
  return `${JSON.stringify(setting.value)}${setting.source === ENV ? "" : ` (${setting.source})`}`;
}

/**
 * The "how to fix" of a setting that must go, where coderd read it: a flag wins over the variable, so a
 * report that named only values.coder.env would send the user to a place that changes nothing.
 */
function removeSettingFix(setting: CoderSetting | undefined, variable: string): string {
  const flag = setting?.flag;
  return flag ? `remove the flag ${flag} from values.coder.commandArgs` : `remove ${variable} from values.coder.env`;
}

/** The "how to fix" of a setting that must have a value: the variable, after removing a flag that wins over it. */
export function setSettingFix(setting: CoderSetting | undefined, variable: string, value: string): string {
  const set = `set ${variable} to ${JSON.stringify(value)} in values.coder.env`;
  const flag = setting?.flag;
  return flag ? `remove the flag ${flag} from values.coder.commandArgs and ${set}` : set;
}

/** A boolean Coder option as a release sets it. */
export type SwitchState =
  | { kind: "unset" }
  | { kind: "set"; on: boolean; shown: string; setting: CoderSetting }
  /** Present, but not a value coderd would start with. */
  | { kind: "invalid"; shown: string; setting: CoderSetting }
  /** Read from a Secret or ConfigMap: what coderd gets cannot be seen at preview. */
  | { kind: "unverifiable"; setting: CoderSetting };

/**
 * A boolean option as coderd resolves it: a `coder.commandArgs` flag (`--x`, `--x=false`) over the
 * variable in `values.coder.env`, read with Go's ParseBool. A variable that could only arrive through
 * `values.coder.envFrom` counts as unset (the pack README's Known limits). Reading a literal throws the
 * engine's error when it is unknown during preview, so callers judge it inside gaps.judge.
 */
export function coderSwitch(coder: Props, variable: string, gaps: PreviewGaps): SwitchState {
  const setting = visibleSetting(coder, variable, gaps, true);
  if (!setting) return { kind: "unset" };
  if (setting.opaque) return { kind: "unverifiable", setting };
  const on = parseCoderBool(setting.value);
  const shown = settingText(setting);
  return on === undefined ? { kind: "invalid", shown, setting } : { kind: "set", on, shown, setting };
}

/**
 * How a switch that must stay off is set, for the report: its value when coderd may read it as anything
 * but false (on, unparsable, or from a Secret or ConfigMap), and the fix where coderd read it; undefined
 * when it is unset or off.
 */
export function switchNotOff(
  coder: Props,
  variable: string,
  gaps: PreviewGaps,
): { shown: string; fix: string } | undefined {
  const state = coderSwitch(coder, variable, gaps);
  if (state.kind === "unset" || (state.kind === "set" && !state.on)) return undefined;
  const shown =
    state.kind === "unverifiable" ? "read from a Secret or ConfigMap, which this policy cannot verify" : state.shown;
  return { shown, fix: removeSettingFix(state.setting, variable) };
}

/** A setting from a flag or `values.coder.env`; one only `values.coder.envFrom` could supply is unset. */
export function visibleSetting(
  coder: Props,
  variable: string,
  gaps: PreviewGaps,
  boolean = false,
): CoderSetting | undefined {
  const setting = coderSetting(coder, variable, gaps, boolean);
  return setting && setting.source !== "values.coder.envFrom" ? setting : undefined;
}

/** The literal value of a visible setting; undefined when unset or read from a Secret or ConfigMap. */
export const settingValue = (setting: CoderSetting | undefined): unknown =>
  setting && !setting.opaque ? setting.value : undefined;
