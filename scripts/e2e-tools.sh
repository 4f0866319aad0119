#!/usr/bin/env bash
# e2e-tools.sh — build (or reuse) the offline toolchain for the e2e tests:
#
#   pulumi CLI, pulumi-language-nodejs, pulumi-resource-kubernetes, etcd, kube-apiserver
#
# Why this exists: the only reachable sources are the Go module proxy, npm and
# Debian apt. Every official Pulumi/Kubernetes binary download (get.pulumi.com,
# GitHub releases, dl.k8s.io) is unreachable, so each tool is compiled from its
# Go module through a throw-away "wrapper module" (see shared/reference/engine.md).
#
# Usage:
#   scripts/e2e-tools.sh            # all tools, in order
#   scripts/e2e-tools.sh etcd ...   # only the named tools
#                                   # (pulumi language-nodejs kubernetes etcd kube-apiserver,
#                                   #  and the optional kube-controller-manager)
#   source "${XDG_CACHE_HOME:-$HOME/.cache}/coder-blueprint-e2e/env.sh"
#
# Outputs (never inside a git tree):
#   $E2E_CACHE/<tool>-<version>/<binary>       one dir per tool+version
#   $E2E_CACHE/pulumi-home/plugins/resource-kubernetes-v<npm version>/...
#   $E2E_CACHE/env.sh                          PATH + helper variables
#
# Idempotent: a tool whose cached binary exists is not rebuilt (a second run
# takes well under a second). Delete its cache dir to force a rebuild.
set -euo pipefail

# ---------------------------------------------------------------- versions --
# Pulumi engine. pkg/v3 and sdk/v3 MUST be pinned to the same version: pkg's
# go.mod requires an older sdk (it uses a local `replace ../sdk` upstream,
# which does not apply to us), and a skew breaks the build or the version stamp.
PULUMI_VERSION="${PULUMI_VERSION:-3.274.1}"

# Node.js language host. Upstream it is its own module with no tags, i.e. only
# a pseudo-version of a release commit. The module proxy here refuses every
# version of it (403 "This module version is not available"), so by default we
# build our own minimal host (tools/pulumi-language-nodejs-lite). Set
# PULUMI_LANGUAGE_NODEJS_MODULE_VERSION=v3.0.0-<ts>-<sha> to try upstream first.
PULUMI_LANGUAGE_NODEJS_MODULE_VERSION="${PULUMI_LANGUAGE_NODEJS_MODULE_VERSION:-}"

# Kubernetes provider. The module has no provider/v4.x tags; the only version
# the proxy serves is this pseudo-version = upstream tag v4.25.0. Its go.mod
# replaces sdk/v4 with ../sdk, so the wrapper pins sdk/v4 to the same release.
K8S_PROVIDER_MODULE_VERSION="${K8S_PROVIDER_MODULE_VERSION:-v4.0.0-20260115033456-f47bc2d6f199}"
K8S_PROVIDER_VERSION="${K8S_PROVIDER_VERSION:-4.25.0}"      # what the binary really is
# @pulumi/kubernetes@4.34.2 (npm) asks the engine for plugin version 4.34.2.
# We also register the 4.25.0 binary under that version (see install_k8s_alias).
K8S_PROVIDER_NPM_VERSION="${K8S_PROVIDER_NPM_VERSION:-4.34.2}"
# Pulumi pkg/sdk version compiled into the provider: the one its go.mod
# requires. Reusing the CLI's 3.274.1 (to share the build cache) does NOT
# compile: pkg/gen/schema.go:202: cannot use pschema.ResourceSpec{…} as
# *ResourceSpec (codegen/schema API changed between 3.215 and 3.274).
K8S_PROVIDER_PULUMI_VERSION="${K8S_PROVIDER_PULUMI_VERSION:-3.215.0}"

ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
# kube-apiserver 1.36.x matches the provider's client-go generation; 1.37 needs go1.27.
KUBE_VERSION="${KUBE_VERSION:-1.36.3}"

# ------------------------------------------------------------------ setup --
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(dirname "$SCRIPT_DIR")"
LITE_HOST_SRC="$PROJECT_DIR/test/e2e/tools/pulumi-language-nodejs-lite/main.go"
# The lite host is our own code: key its cache by the source's hash so an edit rebuilds it.
LITE_HOST_HASH="$(sha256sum "$LITE_HOST_SRC" | cut -c1-12)"
E2E_CACHE="${E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/coder-blueprint-e2e}"
mkdir -p "$E2E_CACHE"
# Wrapper modules of failed builds are kept for debugging until the next run.
rm -rf "$E2E_CACHE/tmp"

# Be a polite neighbour: low CPU priority, at most 2 parallel compile jobs,
# no cgo (static binaries, no C toolchain needed), no VCS stamping (we build
# from the module cache, there is no .git).
export CGO_ENABLED=0
export GOFLAGS="-buildvcs=false -p=2"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"   # never try to download another Go
NICE=(nice -n 19)

log() { printf '[e2e-tools %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# Optional: E2E_TIME=1 wraps each `go build` in /usr/bin/time -v (peak RSS).
run_go() {
  if [[ "${E2E_TIME:-0}" == 1 && -x /usr/bin/time ]]; then
    "${NICE[@]}" /usr/bin/time -v go "$@"
  else
    "${NICE[@]}" go "$@"
  fi
}

# new_wrapper NAME -> prints a fresh temp dir (inside the cache, never a git tree)
# holding an empty module. Removed on success by finish_build.
new_wrapper() {
  local dir
  mkdir -p "$E2E_CACHE/tmp"
  dir="$(mktemp -d "$E2E_CACHE/tmp/$1.XXXXXX")"
  (cd "$dir" && go mod init "coder-blueprint-e2e.local/$1" >/dev/null 2>&1)
  echo "$dir"
}

# finish_build TMPBIN DEST: atomic install (a half-written binary never looks cached).
finish_build() {
  local tmpbin="$1" dest="$2"
  mkdir -p "$(dirname "$dest")"
  chmod 0755 "$tmpbin"
  mv -f "$tmpbin" "$dest"
}

# on_path NAME EXPECTED_VERSION_REGEX VERSION_ARGS... -> prints the path of a
# binary on PATH whose version output matches, else nothing.
on_path() {
  local name="$1" want="$2"; shift 2
  local p
  p="$(command -v "$name" 2>/dev/null)" || return 0
  # A binary from our own cache is handled by the cache check, not here.
  [[ "$p" == "$E2E_CACHE"/* ]] && return 0
  local out; out="$("$p" "$@" 2>&1 || true)"
  if grep -Eq "$want" <<<"$out"; then echo "$p"; fi
}

# Each tool runs in its own subshell (so `set -e` really applies inside it, see
# the main loop), hence status and extra PATH dirs are passed back via files.
RUN_DIR="$(mktemp -d "${TMPDIR:-/tmp}/e2e-tools.XXXXXX")"
trap 'rm -rf "$RUN_DIR"' EXIT
add_bin_dir() { echo "$1" >> "$RUN_DIR/bindirs"; }
set_status() { echo "$2" > "$RUN_DIR/status.$1"; }

# ----------------------------------------------------------- pulumi CLI --
build_pulumi() {
  local dest="$E2E_CACHE/pulumi-$PULUMI_VERSION/pulumi" p
  if [[ -x "$dest" ]]; then set_status pulumi "cached $dest"; add_bin_dir "$(dirname "$dest")"; return; fi
  p="$(on_path pulumi "^v${PULUMI_VERSION//./\\.}\$" version)"
  if [[ -n "$p" ]]; then set_status pulumi "PATH $p"; add_bin_dir "$(dirname "$p")"; return; fi

  log "pulumi $PULUMI_VERSION: building"
  local w t0=$SECONDS; w="$(new_wrapper pulumi)"
  (
    cd "$w"
    # `go get <package>@v` adds the module plus go.sum lines for exactly the
    # packages needed to build cmd/pulumi. sdk/v3 is pinned alongside.
    # (Upstream also replaces atotto/clipboard with a fork that only matters on
    # Windows; not needed on Linux.)
    run_go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
               "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    log "pulumi: deps resolved in $((SECONDS - t0))s"
    # Flags as in upstream .goreleaser.yml. The -X stamp is required: the CLI's
    # update/version checks and the Automation API parse it.
    run_go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
      -o "$w/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  )
  finish_build "$w/pulumi" "$dest"; rm -rf "$w"
  log "pulumi: built in $((SECONDS - t0))s -> $dest"
  set_status pulumi "built $dest"; add_bin_dir "$(dirname "$dest")"
}

# ------------------------------------------------ pulumi-language-nodejs --
# The engine looks for the language host next to the real path of `pulumi`
# (bundled plugins) or on PATH as pulumi-language-nodejs.
build_language_nodejs() {
  local upstream_ver="${PULUMI_LANGUAGE_NODEJS_MODULE_VERSION}"
  local tag dest p
  if [[ -n "$upstream_ver" ]]; then tag="$PULUMI_VERSION"; else tag="lite-$PULUMI_VERSION-$LITE_HOST_HASH"; fi
  dest="$E2E_CACHE/pulumi-language-nodejs-$tag/pulumi-language-nodejs"
  if [[ -x "$dest" ]]; then set_status language-nodejs "cached $dest"; add_bin_dir "$(dirname "$dest")"; return; fi
  p="$(command -v pulumi-language-nodejs 2>/dev/null || true)"
  if [[ -n "$p" && "$p" != "$E2E_CACHE"/* ]]; then
    set_status language-nodejs "PATH $p"; add_bin_dir "$(dirname "$p")"; return
  fi

  local w t0=$SECONDS; w="$(new_wrapper language-nodejs)"
  local mod=github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
  if [[ -n "$upstream_ver" ]]; then
    # Upstream host: its go.mod replaces pkg/sdk with local paths, so pin both
    # to the CLI version ourselves.
    log "pulumi-language-nodejs: trying upstream $mod@$upstream_ver"
    if (cd "$w" && run_go get "$mod@$upstream_ver" \
          "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" \
          "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION" &&
        run_go build -trimpath \
          -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
          -o "$w/pulumi-language-nodejs" "$mod"); then
      finish_build "$w/pulumi-language-nodejs" "$dest"; rm -rf "$w"
      set_status language-nodejs "built upstream $dest"; add_bin_dir "$(dirname "$dest")"; return
    fi
    log "pulumi-language-nodejs: upstream module unavailable, falling back to the lite host"
    tag="lite-$PULUMI_VERSION-$LITE_HOST_HASH"
    dest="$E2E_CACHE/pulumi-language-nodejs-$tag/pulumi-language-nodejs"
    if [[ -x "$dest" ]]; then
      rm -rf "$w"; set_status language-nodejs "cached lite $dest"; add_bin_dir "$(dirname "$dest")"; return
    fi
  fi

  # Our own minimal host: only sdk/v3 (proto stubs + plugin helpers) is needed.
  log "pulumi-language-nodejs (lite) $PULUMI_VERSION: building"
  cp "$LITE_HOST_SRC" "$w/main.go"
  (
    cd "$w"
    run_go get "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
    run_go mod tidy
    run_go build -trimpath \
      -ldflags "-s -w -X main.version=$PULUMI_VERSION" -o "$w/pulumi-language-nodejs" .
  )
  finish_build "$w/pulumi-language-nodejs" "$dest"; rm -rf "$w"
  log "pulumi-language-nodejs (lite): built in $((SECONDS - t0))s -> $dest"
  set_status language-nodejs "built lite $dest"; add_bin_dir "$(dirname "$dest")"
}

# Put the language host next to our cached `pulumi`: the engine treats
# executables beside the (real path of the) CLI as bundled plugins, so the
# host is found even with PULUMI_IGNORE_AMBIENT_PLUGINS=1 and without the
# "using pulumi-language-nodejs from $PATH" warning.
link_bundled_language_host() {
  local cli_dir="$E2E_CACHE/pulumi-$PULUMI_VERSION" host
  [[ -x "$cli_dir/pulumi" ]] || return 0
  for host in "$E2E_CACHE/pulumi-language-nodejs-$PULUMI_VERSION/pulumi-language-nodejs" \
              "$E2E_CACHE/pulumi-language-nodejs-lite-$PULUMI_VERSION-$LITE_HOST_HASH/pulumi-language-nodejs"; do
    if [[ -x "$host" ]]; then ln -sfn "$host" "$cli_dir/pulumi-language-nodejs"; return 0; fi
  done
}

# ------------------------------------------- pulumi-resource-kubernetes --
build_k8s_provider() {
  local dest="$E2E_CACHE/pulumi-resource-kubernetes-$K8S_PROVIDER_VERSION/pulumi-resource-kubernetes"
  if [[ ! -x "$dest" ]]; then
    log "pulumi-resource-kubernetes $K8S_PROVIDER_VERSION ($K8S_PROVIDER_MODULE_VERSION): building"
    local w t0=$SECONDS; w="$(new_wrapper pulumi-resource-kubernetes)"
    local mod=github.com/pulumi/pulumi-kubernetes/provider/v4
    (
      cd "$w"
      run_go get "$mod@$K8S_PROVIDER_MODULE_VERSION" \
        "github.com/pulumi/pulumi-kubernetes/sdk/v4@v$K8S_PROVIDER_VERSION" \
        "github.com/pulumi/pulumi/pkg/v3@v$K8S_PROVIDER_PULUMI_VERSION" \
        "github.com/pulumi/pulumi/sdk/v3@v$K8S_PROVIDER_PULUMI_VERSION"
      local src; src="$(go list -m -f '{{.Dir}}' "$mod")/cmd/pulumi-resource-kubernetes"
      # Upstream main.go embeds schema-embed.json / terraform-mapping-embed.json,
      # which are gitignored outputs of `go generate` and thus missing from the
      # module zip. We regenerate them (version stamped, minified) from the
      # committed schema.json / terraform-mapping.json with a stdlib-only
      # generator, and compile our own 10-line main.
      mkdir -p gen
      cat > gen/main.go <<'EOF'
// Stamps "version" into schema.json and minifies both JSON files.
package main

import (
	"encoding/json"
	"log"
	"os"
)

func minify(in, out string, version string) {
	b, err := os.ReadFile(in)
	if err != nil {
		log.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		log.Fatalf("%s: %v", in, err)
	}
	if version != "" {
		v["version"] = version
	}
	b, err = json.Marshal(v)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

func main() {
	src, ver := os.Args[1], os.Args[2]
	minify(src+"/schema.json", "schema-embed.json", ver)
	minify(src+"/terraform-mapping.json", "terraform-mapping-embed.json", "")
	if _, err := os.Stat(src + "/helm-mapping.json"); err == nil { // newer provider versions only
		minify(src+"/helm-mapping.json", "helm-mapping-embed.json", "")
	}
}
EOF
      run_go run ./gen "$src" "$K8S_PROVIDER_VERSION"
      # provider.Serve's signature changed upstream: v4.25 takes (name, version,
      # schema, tfMapping); later versions add a helm mapping argument.
      if [[ -f helm-mapping-embed.json ]]; then
        helm_decl=$'//go:embed helm-mapping-embed.json\nvar helmMapping []byte'; helm_arg=", helmMapping"
      else
        helm_decl=""; helm_arg=""
      fi
      cat > main.go <<EOF
// Own entry point for pulumi-resource-kubernetes built from the module zip.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

$helm_decl

func main() {
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping$helm_arg)
}
EOF
      rm -rf gen
      run_go mod tidy
      log "pulumi-resource-kubernetes: deps resolved in $((SECONDS - t0))s"
      run_go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$K8S_PROVIDER_VERSION" \
        -o "$w/pulumi-resource-kubernetes" .
    )
    finish_build "$w/pulumi-resource-kubernetes" "$dest"; rm -rf "$w"
    log "pulumi-resource-kubernetes: built in $((SECONDS - t0))s -> $dest"
    set_status kubernetes "built $dest"
  else
    set_status kubernetes "cached $dest"
  fi
  add_bin_dir "$(dirname "$dest")"
  install_k8s_alias "$dest"
}

# @pulumi/kubernetes asks for plugin "kubernetes" at K8S_PROVIDER_NPM_VERSION.
# Two ways the engine accepts our (older) binary for that request:
#  1. ambient PATH: `pulumi-resource-kubernetes` on PATH wins at ANY version
#     (env.sh puts the cache dir on PATH — this is what the smoke test uses);
#  2. plugin cache: $PULUMI_HOME/plugins/resource-kubernetes-v<ver>/ — exact
#     semver match. We prepare such a dir under $E2E_CACHE/pulumi-home; a
#     harness that sets PULUMI_IGNORE_AMBIENT_PLUGINS=1 can copy or symlink
#     $E2E_PULUMI_PLUGINS into its scratch PULUMI_HOME.
install_k8s_alias() {
  local bin="$1"
  local d="$E2E_CACHE/pulumi-home/plugins/resource-kubernetes-v$K8S_PROVIDER_NPM_VERSION"
  mkdir -p "$d"
  ln -sfn "$bin" "$d/pulumi-resource-kubernetes"
  rm -f "$d.partial"
}

# --------------------------------------------------------------- etcd --
build_etcd() {
  local dest="$E2E_CACHE/etcd-$ETCD_VERSION/etcd" p
  if [[ -x "$dest" ]]; then set_status etcd "cached $dest"; add_bin_dir "$(dirname "$dest")"; return; fi
  p="$(on_path etcd "etcd Version: ${ETCD_VERSION//./\\.}\$" --version)"
  if [[ -n "$p" ]]; then set_status etcd "PATH $p"; add_bin_dir "$(dirname "$p")"; return; fi
  # Debian's etcd-server (3.4.23) is too old for kube-apiserver >= 1.31, hence a build.
  log "etcd $ETCD_VERSION: building"
  local w t0=$SECONDS; w="$(new_wrapper etcd)"
  (
    cd "$w"
    # server/v3's go.mod replaces api, client/pkg, client/v3 and pkg with local
    # paths (ignored for a dependency), so pin them to the same release.
    run_go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/api/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/client/pkg/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/client/v3@v$ETCD_VERSION" \
      "go.etcd.io/etcd/pkg/v3@v$ETCD_VERSION"
    log "etcd: deps resolved in $((SECONDS - t0))s"
    # The module root is the etcd main package (etcdmain.Main). The release
    # version is a constant in api/v3/version; only the git SHA is a variable.
    run_go build -trimpath \
      -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-v$ETCD_VERSION" \
      -o "$w/etcd" go.etcd.io/etcd/server/v3
  )
  finish_build "$w/etcd" "$dest"; rm -rf "$w"
  log "etcd: built in $((SECONDS - t0))s -> $dest"
  set_status etcd "built $dest"; add_bin_dir "$(dirname "$dest")"
}

# ------------------------------------ kube-apiserver (+ controller-manager) --
# build_kube_component NAME: NAME is a main package under k8s.io/kubernetes/cmd.
build_kube_component() {
  local name="$1"
  local dest="$E2E_CACHE/$name-$KUBE_VERSION/$name" p
  if [[ -x "$dest" ]]; then set_status "$name" "cached $dest"; add_bin_dir "$(dirname "$dest")"; return; fi
  p="$(on_path "$name" "Kubernetes v${KUBE_VERSION//./\\.}\$" --version)"
  if [[ -n "$p" ]]; then set_status "$name" "PATH $p"; add_bin_dir "$(dirname "$p")"; return; fi

  log "$name $KUBE_VERSION: building"
  local w t0=$SECONDS; w="$(new_wrapper "$name")"
  local minor="${KUBE_VERSION#*.}"; minor="${minor%%.*}"
  (
    cd "$w"
    # k8s.io/kubernetes requires all staging modules at v0.0.0 and replaces
    # them with ./staging/src/... (local, ignored for a dependency). The
    # documented fix: replace each v0.0.0 requirement by the published
    # k8s.io/<x> v0.<minor>.<patch>. The list is generated from the real go.mod
    # so new staging modules (e.g. k8s.io/streaming in 1.36) are picked up.
    local gomod
    gomod="$("${NICE[@]}" go mod download -json "k8s.io/kubernetes@v$KUBE_VERSION" |
             sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",\{0,1\}$/\1/p')"
    local stg="0.${KUBE_VERSION#*.}"
    awk '$2 == "v0.0.0" && $1 ~ /^k8s\.io\// {print $1}' "$gomod" | sort -u |
      while read -r m; do go mod edit -replace "$m=$m@v$stg"; done
    run_go get "k8s.io/kubernetes/cmd/$name@v$KUBE_VERSION"
    log "$name: deps resolved in $((SECONDS - t0))s"
    # Version stamp as hack/lib/version.sh does. Without it the server reports
    # v0.0.0-master and the k8s provider falls back to assuming 1.14.
    local pkgs=(k8s.io/component-base/version k8s.io/client-go/pkg/version) ld="-s -w" pkg
    for pkg in "${pkgs[@]}"; do
      ld+=" -X $pkg.gitVersion=v$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
    done
    # -pgo=off: cmd/<name> ships a default.pgo profile that `go build` would
    # apply automatically; it only adds compile work and is irrelevant for tests.
    run_go build -trimpath -pgo=off -ldflags "$ld" -o "$w/$name" \
      "k8s.io/kubernetes/cmd/$name"
  )
  finish_build "$w/$name" "$dest"; rm -rf "$w"
  log "$name: built in $((SECONDS - t0))s -> $dest"
  set_status "$name" "built $dest"; add_bin_dir "$(dirname "$dest")"
}
build_kube_apiserver() { build_kube_component kube-apiserver; }
# Optional (not in the default set): runs the garbage collector, namespace and
# service-account controllers, without which Foreground deletes and namespace
# deletes never finish and Pods are rejected for a missing "default" SA.
build_kube_controller_manager() { build_kube_component kube-controller-manager; }

# ---------------------------------------------------------------- main --
ALL=(pulumi language-nodejs kubernetes etcd kube-apiserver kube-controller-manager)
TOOLS=("$@"); [[ ${#TOOLS[@]} -gt 0 ]] || TOOLS=("${ALL[@]}")
FAILED=()
for t in "${TOOLS[@]}"; do
  case "$t" in
    pulumi)          fn=build_pulumi ;;
    language-nodejs) fn=build_language_nodejs ;;
    kubernetes)      fn=build_k8s_provider ;;
    etcd)            fn=build_etcd ;;
    kube-apiserver)  fn=build_kube_apiserver ;;
    kube-controller-manager) fn=build_kube_controller_manager ;;
    *) echo "unknown tool: $t (known: ${ALL[*]} kube-controller-manager)" >&2; exit 2 ;;
  esac
  # A failing tool does not stop the others; the exit code reports it.
  # NB: `if ! fn` would silently disable `set -e` inside fn, so run it in a
  # subshell with errexit on and collect the status afterwards.
  set +e; ( set -e; "$fn" ); rc=$?; set -e
  if [[ $rc -ne 0 ]]; then FAILED+=("$t"); set_status "$t" "FAILED rc=$rc (see log above)"; fi
done

link_bundled_language_host

# env.sh always describes every tool found in the cache, not only the ones
# requested in this run, so partial runs do not shrink it.
for d in "$E2E_CACHE"/pulumi-"$PULUMI_VERSION" \
         "$E2E_CACHE"/pulumi-language-nodejs-lite-"$PULUMI_VERSION-$LITE_HOST_HASH" \
         "$E2E_CACHE"/pulumi-resource-kubernetes-"$K8S_PROVIDER_VERSION" \
         "$E2E_CACHE"/etcd-"$ETCD_VERSION" "$E2E_CACHE"/kube-apiserver-"$KUBE_VERSION" \
         "$E2E_CACHE"/kube-controller-manager-"$KUBE_VERSION"; do
    if [[ -d "$d" ]]; then add_bin_dir "$d"; fi
done
path_add="$(awk '!seen[$0]++' "$RUN_DIR/bindirs" 2>/dev/null | paste -sd: -)"
{
  echo "# generated by e2e-tools.sh — source me"
  echo "export E2E_CACHE='$E2E_CACHE'"
  echo "export PATH='$path_add':\"\$PATH\""
  echo "# plugin dir with resource-kubernetes-v$K8S_PROVIDER_NPM_VERSION (for PULUMI_IGNORE_AMBIENT_PLUGINS=1 setups)"
  echo "export E2E_PULUMI_PLUGINS='$E2E_CACHE/pulumi-home/plugins'"
  echo "export PULUMI_SKIP_UPDATE_CHECK=true"
  echo "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true"
} > "$E2E_CACHE/env.sh.tmp"
mv -f "$E2E_CACHE/env.sh.tmp" "$E2E_CACHE/env.sh"

for t in "${TOOLS[@]}"; do log "$t: $(cat "$RUN_DIR/status.$t" 2>/dev/null || echo '?')"; done
echo "export PATH='$path_add':\"\$PATH\""
echo "# or: source '$E2E_CACHE/env.sh'"
[[ ${#FAILED[@]} -eq 0 ]] || { log "FAILED: ${FAILED[*]}"; exit 1; }
