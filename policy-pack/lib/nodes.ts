// How node settings reach a node, for the policies that judge them (IMDS, volume encryption): a managed node
// group only through its launch template, an instance through its own settings or, where it has none, the
// template it launches from. Those templates are judged as resources of their own.
import { Props } from "./policy";
import { AWS } from "./types";

/** True when an instance has no `field` of its own and takes the launch template's, which is judged there. */
export function takesFromLaunchTemplate(type: string, props: Props, field: string): boolean {
  return type === AWS.ec2Instance && Boolean(props.launchTemplate) && props[field] === undefined;
}

/**
 * Reports a managed node group without a launch template: its nodes then run on EKS defaults the program
 * cannot set. `consequence` says what that leaves unenforced and how to fix it.
 */
export function requireLaunchTemplate(props: Props, who: string, report: (m: string) => void, consequence: string) {
  if (!props.launchTemplate) report(`${who}: has no launchTemplate, so ${consequence}`);
}
