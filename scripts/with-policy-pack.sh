#!/usr/bin/env bash
# with-policy-pack.sh COMMAND [ARGS…] — `pulumi COMMAND` with the project's policy pack and the stack's pack
# settings (stacks/policy.<stack>.json), and the marker the program checks before it runs
# (config/policy-pack.ts). The stack is the one named by --stack/-s in ARGS, else the selected one.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd="$1"
shift
stack=""
args=("$@")
for i in "${!args[@]}"; do
  case "${args[$i]}" in
    --stack=*) stack="${args[$i]#--stack=}" ;;
    -s | --stack) stack="${args[$((i + 1))]:-}" ;;
  esac
done
[[ -n "$stack" ]] || stack="$(pulumi stack --show-name)"
settings="stacks/policy.${stack##*/}.json"
[[ -f "$settings" ]] || { echo "with-policy-pack: no $settings for stack \"$stack\"" >&2; exit 2; }
# The engine runs the compiled program and pack (package.json `main`): build them from what is on disk.
npm run -s build
export CODER_BLUEPRINT_POLICY_PACK=policy-pack
exec pulumi "$cmd" --policy-pack policy-pack --policy-pack-config "$settings" "$@"
