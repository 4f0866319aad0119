#!/usr/bin/env bash
# e2e-tools.sh — build (or reuse) the offline toolchain of the e2e suite (docs/e2e.md): the Pulumi CLI, a
# minimal Node.js language host, the Kubernetes provider, etcd, kube-apiserver and kube-controller-manager,
# actionlint for the repository's workflows, and cyclonus and kube-score, which check what `npm run plan` plans.
# The only reachable sources are the Go module proxy, npm and Debian's archive, so each tool is compiled
# from its Go module inside a throw-away wrapper module (docs/notes/2026-12-01-e2e-toolchain.md).
#
# Usage:
#   scripts/e2e-tools.sh [tool…]     # no argument: every tool of the table below
#   source "${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coder-blueprint-e2e}/env.sh"
#
# A binary lives in $E2E_CACHE/<tool>-<version>/ (never in a git tree). A tool is taken from there, else from
# PATH when the installed binary reports the pinned version, else built; a warm run builds nothing. Delete a
# tool's directory to rebuild it. env.sh puts every tool on PATH.
set -euo pipefail

# ---------------------------------------------------------------- versions --
# pkg/v3 and sdk/v3 move together: pkg's go.mod requires an older sdk through a local replace that a
# dependent module does not inherit, and a skew breaks the build or the version stamp.
PULUMI_VERSION="${PULUMI_VERSION:-3.274.1}"
# The only provider/v4 version the proxy serves: a pseudo-version of upstream's v4.25.0.
K8S_PROVIDER_MODULE_VERSION="${K8S_PROVIDER_MODULE_VERSION:-v4.0.0-20260115033456-f47bc2d6f199}"
K8S_PROVIDER_VERSION="${K8S_PROVIDER_VERSION:-4.25.0}"
# The provider compiles only against the Pulumi pkg/sdk its go.mod requires, not the CLI's.
K8S_PROVIDER_PULUMI_VERSION="${K8S_PROVIDER_PULUMI_VERSION:-3.215.0}"
# The plugin version @pulumi/kubernetes asks the engine for; the 4.25.0 binary is registered under it too.
K8S_PROVIDER_NPM_VERSION="${K8S_PROVIDER_NPM_VERSION:-4.34.2}"
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
# 1.36 matches the provider's client-go generation; 1.37 needs go1.27.
KUBE_VERSION="${KUBE_VERSION:-1.36.3}"
# Lints .github/workflows in the unit and e2e suites (test/workflows.spec.ts).
ACTIONLINT_VERSION="${ACTIONLINT_VERSION:-1.7.12}"
# Independent checks on the plan's manifests (test/e2e/network-reachability.e2e.ts, kube-score.e2e.ts):
# the newest versions the proxy serves; both build with the local go1.26.
CYCLONUS_VERSION="${CYCLONUS_VERSION:-0.5.6}"
KUBE_SCORE_VERSION="${KUBE_SCORE_VERSION:-1.20.0}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOL_SRC="$ROOT/test/e2e/tools"
E2E_CACHE="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coder-blueprint-e2e}"
# The language host is our own code: its cache dir is keyed by the source's hash, so an edit rebuilds it.
LITE_HASH="$(sha256sum "$TOOL_SRC/pulumi-language-nodejs-lite/main.go" | cut -c1-12)"

# Version stamps as upstream's release builds set them (`-X` values). Without the Kubernetes one the
# API server reports v0.0.0-master and the provider assumes Kubernetes 1.14.
KUBE_STAMP=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  KUBE_STAMP+=" $pkg.gitVersion=v$KUBE_VERSION $pkg.gitMajor=1 $pkg.gitMinor=$(cut -d. -f2 <<<"$KUBE_VERSION")"
  KUBE_STAMP+=" $pkg.gitTreeState=clean $pkg.buildDate=1970-01-01T00:00:00Z"
done

# ------------------------------------------------------------------- tools --
# One record per tool, in build order:
#   dir        cache dir under $E2E_CACHE, named <tool>-<version>
#   bin        the binary's name (default: the tool's name)
#   src        folder under test/e2e/tools copied into the wrapper module (then `go mod tidy`, build `.`)
#   prepare    function run in the wrapper module before `go get`
#   get        modules pinned by `go get` (a dependency does not inherit its go.mod's local replaces)
#   build      extra `go build` flags and the main package (default: the wrapper's own `.`)
#   stamp      `-X` version stamps
#   installed  "ARGS => REGEX": a binary on PATH is used when `bin ARGS` prints REGEX; "any": any version
#   after      function run with the cached binary's path, built or not
declare -A T
NAMES=()
tool() {
  local name="$1" kv
  shift
  NAMES+=("$name")
  for kv in "$@"; do T["$name.${kv%%=*}"]="${kv#*=}"; done
}

tool pulumi dir="pulumi-$PULUMI_VERSION" \
  get="github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
  build="-tags osusergo,grpcnotrace github.com/pulumi/pulumi/pkg/v3/cmd/pulumi" \
  stamp="github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
  installed="version => ^v${PULUMI_VERSION//./\\.}\$"
tool language-nodejs dir="pulumi-language-nodejs-lite-$PULUMI_VERSION-$LITE_HASH" bin=pulumi-language-nodejs \
  src=pulumi-language-nodejs-lite \
  get="github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" \
  stamp="main.version=$PULUMI_VERSION" \
  installed=any
tool kubernetes dir="pulumi-resource-kubernetes-$K8S_PROVIDER_VERSION" bin=pulumi-resource-kubernetes \
  src=pulumi-resource-kubernetes prepare=provider_embed_json after=register_provider_version \
  get="github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PROVIDER_MODULE_VERSION
       github.com/pulumi/pulumi-kubernetes/sdk/v4@v$K8S_PROVIDER_VERSION
       github.com/pulumi/pulumi/pkg/v3@v$K8S_PROVIDER_PULUMI_VERSION
       github.com/pulumi/pulumi/sdk/v3@v$K8S_PROVIDER_PULUMI_VERSION" \
  stamp="github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_PROVIDER_VERSION"
# Debian's etcd-server (3.4) is too old for kube-apiserver >= 1.31. The module root is etcd's main
# package; the release version is a constant, only the git SHA is stamped.
tool etcd dir="etcd-$ETCD_VERSION" \
  get="$(for m in server api client/pkg client pkg; do echo "go.etcd.io/etcd/$m/v3@v$ETCD_VERSION"; done)" \
  build="go.etcd.io/etcd/server/v3" \
  stamp="go.etcd.io/etcd/api/v3/version.GitSHA=module-v$ETCD_VERSION" \
  installed="--version => etcd Version: ${ETCD_VERSION//./\\.}\$"
# -pgo=off: cmd/<name> ships a default.pgo that only adds compile work for a test binary.
for name in kube-apiserver kube-controller-manager; do
  tool "$name" dir="$name-$KUBE_VERSION" prepare=kube_staging_replaces \
    get="k8s.io/kubernetes/cmd/$name@v$KUBE_VERSION" \
    build="-pgo=off k8s.io/kubernetes/cmd/$name" \
    stamp="$KUBE_STAMP" \
    installed="--version => Kubernetes v${KUBE_VERSION//./\\.}\$"
done

# Without the stamp a build from a wrapper module reports "(devel)"; upstream's release builds set it.
tool actionlint dir="actionlint-$ACTIONLINT_VERSION" \
  get="github.com/rhysd/actionlint@v$ACTIONLINT_VERSION" \
  build="github.com/rhysd/actionlint/cmd/actionlint" \
  stamp="github.com/rhysd/actionlint.version=v$ACTIONLINT_VERSION" \
  installed="--version => ^v${ACTIONLINT_VERSION//./\\.}\$"

# A second NetworkPolicy implementation: `cyclonus analyze --mode query-traffic` judges traffic from files.
tool cyclonus dir="cyclonus-$CYCLONUS_VERSION" \
  get="github.com/mattfenwick/cyclonus/cmd/cyclonus@v$CYCLONUS_VERSION" \
  build="github.com/mattfenwick/cyclonus/cmd/cyclonus" \
  stamp="github.com/mattfenwick/cyclonus/pkg/cli.version=v$CYCLONUS_VERSION" \
  installed="version => \"Version\": \"v${CYCLONUS_VERSION//./\\.}\""
tool kube-score dir="kube-score-$KUBE_SCORE_VERSION" \
  get="github.com/zegl/kube-score/cmd/kube-score@v$KUBE_SCORE_VERSION" \
  build="github.com/zegl/kube-score/cmd/kube-score" \
  stamp="main.version=$KUBE_SCORE_VERSION" \
  installed="version => kube-score version: ${KUBE_SCORE_VERSION//./\\.},"

# ------------------------------------------------------------- extra steps --
# go mod download -json MODULE@VERSION FIELD: a field (Dir, GoMod) of the downloaded module.
module_field() {
  go mod download -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\(.*\)\",\{0,1\}\$/\1/p"
}

# Upstream's entry point embeds JSON files that the module zip leaves out; write them from its sources.
provider_embed_json() {
  local dir
  dir="$(module_field "github.com/pulumi/pulumi-kubernetes/provider/v4@$K8S_PROVIDER_MODULE_VERSION" Dir)"
  run_go run ./embed-json "$dir/cmd/pulumi-resource-kubernetes" "$K8S_PROVIDER_VERSION"
}

# k8s.io/kubernetes requires its staging modules (k8s.io/api, client-go, …) at v0.0.0 through local replaces;
# point each at its published v0.<minor>.<patch>, listed from the real go.mod so new ones are picked up.
kube_staging_replaces() {
  local gomod m
  gomod="$(module_field "k8s.io/kubernetes@v$KUBE_VERSION" GoMod)"
  awk '$2 == "v0.0.0" && $1 ~ /^k8s\.io\// {print $1}' "$gomod" | sort -u |
    while read -r m; do go mod edit -replace "$m=$m@v0.${KUBE_VERSION#*.}"; done
}

# @pulumi/kubernetes asks for the provider at K8S_PROVIDER_NPM_VERSION. PATH (env.sh) satisfies it at any
# version; for PULUMI_IGNORE_AMBIENT_PLUGINS=1 setups the binary is also registered under that version in
# a plugin dir ($E2E_PULUMI_PLUGINS) to copy into a PULUMI_HOME.
register_provider_version() {
  local d="$E2E_CACHE/pulumi-home/plugins/resource-kubernetes-v$K8S_PROVIDER_NPM_VERSION"
  mkdir -p "$d"
  ln -sfn "$1" "$d/pulumi-resource-kubernetes"
  rm -f "$d.partial"
}

# ------------------------------------------------------------------- build --
# A polite neighbour on a shared machine: lowest CPU priority, two compile jobs, static binaries with no
# C toolchain, no VCS stamping (module cache sources have no .git), never a downloaded Go toolchain.
export CGO_ENABLED=0 GOFLAGS="-buildvcs=false -p=2" GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
run_go() { nice -n 19 go "$@"; }
log() { printf '[e2e-tools %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Each tool runs in a subshell (so that `set -e` holds inside it); PATH dirs come back through a file.
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/e2e-tools.XXXXXX")"
trap 'rm -rf "$RUN_DIR"' EXIT
use_dir() { echo "$1" >>"$RUN_DIR/bindirs"; }

# installed_binary NAME: the binary on PATH (outside the cache) that reports the pinned version, if any.
installed_binary() {
  local spec="${T[$1.installed]:-}" bin="${T[$1.bin]:-$1}" path args out
  [[ -n "$spec" ]] && path="$(command -v "$bin")" && [[ "$path" != "$E2E_CACHE"/* ]] || return 0
  if [[ "$spec" == any ]]; then echo "$path"; return 0; fi
  read -ra args <<<"${spec%% => *}"
  out="$("$path" "${args[@]}" 2>&1 || true)"
  if grep -Eq "${spec#* => }" <<<"$out"; then echo "$path"; fi
}

build() {
  local name="$1" dest="$2" w t0=$SECONDS ldflags="-s -w" x flags
  mkdir -p "$E2E_CACHE/tmp"
  w="$(mktemp -d "$E2E_CACHE/tmp/$name.XXXXXX")"
  log "$name: building in $w"
  cd "$w"
  go mod init "coder-blueprint-e2e.local/$name" >/dev/null 2>&1
  if [[ -n "${T[$name.src]:-}" ]]; then cp -R "$TOOL_SRC/${T[$name.src]}/." .; fi
  if [[ -n "${T[$name.prepare]:-}" ]]; then "${T[$name.prepare]}"; fi
  # shellcheck disable=SC2086  # lists of modules and flags
  run_go get ${T[$name.get]}
  if [[ -n "${T[$name.src]:-}" ]]; then run_go mod tidy; fi
  log "$name: dependencies resolved in $((SECONDS - t0))s"
  for x in ${T[$name.stamp]}; do ldflags+=" -X $x"; done
  read -ra flags <<<"${T[$name.build]:-.}"
  run_go build -trimpath -ldflags "$ldflags" -o "$w/out" "${flags[@]}"
  # Installed atomically: a half-written binary never looks cached. A failed wrapper stays for debugging.
  mkdir -p "$(dirname "$dest")"
  mv -f "$w/out" "$dest"
  cd "$E2E_CACHE"
  rm -rf "$w"
  log "$name: built in $((SECONDS - t0))s -> $dest"
}

provide() {
  local name="$1" dest path why
  dest="$E2E_CACHE/${T[$name.dir]}/${T[$name.bin]:-$name}"
  if [[ -x "$dest" ]]; then
    log "$name: cached $dest"
  elif path="$(installed_binary "$name")" && [[ -n "$path" ]]; then
    why="it reports the pinned version ${T[$name.dir]##*-}"
    if [[ "${T[$name.installed]}" == any ]]; then why="any version is accepted"; fi
    log "$name: using $path from PATH instead of building ($why)"
    use_dir "$(dirname "$path")"
    return 0
  else
    build "$name" "$dest"
  fi
  use_dir "$(dirname "$dest")"
  if [[ -n "${T[$name.after]:-}" ]]; then "${T[$name.after]}" "$dest"; fi
}

# -------------------------------------------------------------------- main --
rm -rf "$E2E_CACHE/tmp" # wrappers of failed builds, kept until the next run
mkdir -p "$E2E_CACHE"
REQUESTED=("$@")
[[ ${#REQUESTED[@]} -gt 0 ]] || REQUESTED=("${NAMES[@]}")
for t in "${REQUESTED[@]}"; do
  [[ -n "${T[$t.dir]:-}" ]] || { echo "unknown tool: $t (known: ${NAMES[*]})" >&2; exit 2; }
done
FAILED=()
for t in "${REQUESTED[@]}"; do
  # A failing tool does not stop the others; the exit code reports it.
  set +e
  (set -e; provide "$t")
  rc=$?
  set -e
  if [[ $rc -ne 0 ]]; then FAILED+=("$t"); fi
done

# The engine treats executables next to the real path of `pulumi` as bundled plugins: the language host
# placed there is found even with PULUMI_IGNORE_AMBIENT_PLUGINS=1, and without a "from $PATH" warning.
CLI_DIR="$E2E_CACHE/${T[pulumi.dir]}"
HOST="$E2E_CACHE/${T[language-nodejs.dir]}/pulumi-language-nodejs"
if [[ -x "$CLI_DIR/pulumi" && -x "$HOST" ]]; then ln -sfn "$HOST" "$CLI_DIR/pulumi-language-nodejs"; fi

# env.sh covers every tool in the cache, not only this run's, so a partial run does not shrink it.
for t in "${NAMES[@]}"; do
  if [[ -d "$E2E_CACHE/${T[$t.dir]}" ]]; then use_dir "$E2E_CACHE/${T[$t.dir]}"; fi
done
PATH_ADD="$(awk '!seen[$0]++' "$RUN_DIR/bindirs" 2>/dev/null | paste -sd: -)"
{
  echo "# generated by e2e-tools.sh — source me"
  echo "export E2E_CACHE='$E2E_CACHE'"
  echo "export PATH='$PATH_ADD':\"\$PATH\""
  echo "# plugin dir with resource-kubernetes-v$K8S_PROVIDER_NPM_VERSION (for PULUMI_IGNORE_AMBIENT_PLUGINS=1 setups)"
  echo "export E2E_PULUMI_PLUGINS='$E2E_CACHE/pulumi-home/plugins'"
  echo "export PULUMI_SKIP_UPDATE_CHECK=true"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
} >"$E2E_CACHE/env.sh.tmp"
mv -f "$E2E_CACHE/env.sh.tmp" "$E2E_CACHE/env.sh"

echo "export PATH='$PATH_ADD':\"\$PATH\""
echo "# or: source '$E2E_CACHE/env.sh'"
if [[ ${#FAILED[@]} -gt 0 ]]; then log "FAILED: ${FAILED[*]} (see the log above)"; exit 1; fi
